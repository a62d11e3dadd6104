// A grid worker sees only their grid: the tree, the list and the search.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, api, demoAccount, launch, masked, newPage, shot, signIn , test } from './helpers.mjs';

let browser;
let grid1;
let otherGrid;
let otherId;
let gridFirstPage;

before(async () => {
  browser = await launch();
  const g1 = await api(demoAccount('grid1'));
  const g2 = await api(demoAccount('grid2'));
  const admin = await api(ADMIN);
  grid1 = (await g1.get('/api/auth/me')).user;
  otherGrid = (await g2.get('/api/auth/me')).user;
  // a resident of the other grid, and their full ID number
  const { items } = await admin.get(`/api/residents?placeId=${otherGrid.placeId}&limit=1`);
  assert.equal(items.length, 1, 'the demo district has residents in grid 2');
  otherId = (await admin.post(`/api/residents/${items[0].id}/reveal-id`)).idNumber;
  gridFirstPage = (await admin.get(`/api/residents?placeId=${grid1.placeId}&limit=50`)).items;
  await Promise.all([g1.dispose(), g2.dispose(), admin.dispose()]);
});
after(async () => browser?.close());

test('grid worker: the tree, the list and the search stay inside their grid', async () => {
  const page = await newPage(browser);
  await signIn(page, demoAccount('grid1'));
  await page.waitForURL(/\/residents/);
  // header: name, role, scope
  assert.match(await page.getByTestId('user-meta').innerText(), new RegExp(`网格员 · ${grid1.placeName}`));
  // menu: no import, accounts or audit for a grid worker
  await page.getByTestId('nav-residents').waitFor();
  for (const key of ['import', 'accounts', 'audit']) assert.equal(await page.getByTestId(`nav-${key}`).count(), 0);

  // the tree starts at the grid and has no node of the other grid
  const tree = page.getByTestId('place-tree');
  await tree.getByTestId(`tree-node-${grid1.placeId}`).waitFor();
  assert.equal(await tree.getByTestId(`tree-node-${otherGrid.placeId}`).count(), 0);
  const roots = await tree.locator('.ant-tree-treenode[aria-level="1"], .ant-tree-list-holder-inner > .ant-tree-treenode').evaluateAll(
    (nodes) => nodes.filter((n) => !n.querySelector('.ant-tree-indent-unit')).length,
  );
  assert.equal(roots, 1, 'one root: the grid');

  // the list is exactly the grid's residents, as the administrator sees them filtered by the grid
  const table = page.getByTestId('residents-table');
  await table.getByTestId('resident-link').first().waitFor();
  const shown = await table.getByTestId('resident-link').allInnerTexts();
  assert.ok(shown.length > 0);
  assert.deepEqual(shown, gridFirstPage.map((r) => r.name));
  assert.ok(gridFirstPage.every((r) => r.gridId === grid1.placeId));
  await shot(page, 'desktop-grid-worker');

  // an ID number from the other grid finds nothing
  const search = page.getByTestId('resident-search').locator('input');
  await search.fill(otherId);
  await search.press('Enter');
  await page.getByTestId('empty-filtered').waitFor();
  assert.equal(await table.getByText(masked(otherId)).count(), 0);
  await shot(page, 'desktop-grid-worker-search-other');

  // and a direct link to the other grid's page is answered like a place that does not exist
  await page.goto(`${BASE}/places/${otherGrid.placeId}`);
  await page.getByText('不存在或不在您的管辖范围内').waitFor();
  await page.context().close();
});
