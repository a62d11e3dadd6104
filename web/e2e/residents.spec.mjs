// Find a resident by a full ID number, reveal it (the dialog says it is logged) and find the
// reveal in the audit log; field-level errors on the resident form; the detail pages.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, PHONE, api, breakChecksum, launch, makeId, masked, newPage, pickFromMenu, shot, signIn, test } from './helpers.mjs';

let browser;
let admin;
let resident;
const idNumber = makeId('120104', '19750816', 931);

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  const { items } = await admin.get('/api/households?limit=1');
  resident = (await admin.post('/api/residents', { householdId: items[0].id, name: '检索测试', idNumber, phone: '13912345678', tenancy: 'tenant', elderlyAlone: true })).resident;
});
after(async () => {
  await admin?.dispose();
  await browser?.close();
});

test('the residents list, desktop and phone', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/residents`);
  await page.getByTestId('resident-link').first().waitFor();
  await page.getByTestId('place-tree').getByText('河西区').waitFor().catch(() => undefined);
  await shot(page, 'desktop-residents');
  // the tree filters the list
  const firstNode = page.locator('[data-testid^=tree-node-]').first();
  await firstNode.click();
  await page.waitForURL(/placeId=/);
  await page.getByTestId('place-filter').waitFor();
  await page.context().close();

  const phone = await newPage(browser, PHONE);
  await signIn(phone, ADMIN);
  await phone.goto(`${BASE}/residents`);
  await phone.getByTestId('resident-link').first().waitFor();
  await shot(phone, 'phone-residents');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the residents page scrolls sideways by ${overflow}px on a phone`);
  // the menu is a drawer on a phone
  await phone.getByRole('button', { name: /菜单/ }).click();
  await phone.getByTestId('nav-places').waitFor();
  await phone.context().close();
});

test('type a full ID number: one row, masked; reveal it and find the reveal in the audit log', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/residents`);
  const search = page.getByTestId('resident-search').locator('input');
  await search.fill(idNumber);
  await search.press('Enter');
  await page.waitForURL(new RegExp(`q=${idNumber}`));
  const table = page.getByTestId('residents-table');
  await table.getByText('检索测试').waitFor();
  assert.equal(await table.getByTestId('resident-link').count(), 1);
  assert.equal(await table.getByTestId('id-masked').innerText(), masked(idNumber));
  await shot(page, 'desktop-resident-search');

  await table.getByTestId('reveal-id').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('审计日志').waitFor();
  await shot(page, 'desktop-reveal-confirm');
  await dialog.getByRole('button', { name: '确认查看' }).click();
  assert.equal(await table.getByTestId('id-full').innerText(), idNumber);

  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-table').waitFor();
  await page.getByTestId('audit-action-filter').click();
  await page.keyboard.type('查看完整证件号');
  await page.keyboard.press('Enter');
  const row = page.getByTestId('audit-table').locator('tr', { hasText: `居民 #${resident.id}` }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /admin/);
  assert.match(await row.innerText(), /查看完整证件号/);
  await shot(page, 'desktop-audit');
  await page.context().close();
});

test('resident and household detail pages, desktop and phone', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/residents/${resident.id}`);
  await page.getByTestId('resident-detail').getByText('13912345678').waitFor();
  await page.getByTestId('resident-detail').getByText('独居老人').waitFor();
  await shot(page, 'desktop-resident-detail');
  await page.getByRole('button', { name: '住户' }).click();
  await page.waitForURL(/\/households\//);
  await page.getByTestId('household-members').getByText('检索测试').waitFor();
  await shot(page, 'desktop-household');
  await page.context().close();

  const phone = await newPage(browser, PHONE);
  await signIn(phone, ADMIN);
  await phone.goto(`${BASE}/residents/${resident.id}`);
  await phone.getByTestId('resident-detail').waitFor();
  await shot(phone, 'phone-resident-detail');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the detail page scrolls sideways by ${overflow}px on a phone`);
  await phone.context().close();
});

test('the server names the field at fault: a wrong check digit shows under the ID number', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/residents/new?householdId=${resident.householdId}&placeId=${resident.placeId}`);
  const form = page.getByTestId('resident-form');
  await form.getByLabel('姓名').fill('校验测试');
  await form.getByLabel('证件号码').fill(breakChecksum(makeId('120104', '19800101', 932)));
  await page.getByTestId('save-resident').click();
  const idItem = form.locator('.ant-form-item', { has: page.getByLabel('证件号码') });
  await idItem.locator('.ant-form-item-explain-error').getByText('校验位').waitFor();
  await shot(page, 'desktop-resident-form-error');

  // the right number saves and opens the new resident
  await form.getByLabel('证件号码').fill(makeId('120104', '19800101', 932));
  await page.getByTestId('save-resident').click();
  await page.waitForURL(/\/residents\/\d+$/);
  await page.getByTestId('resident-name').getByText('校验测试').waitFor();
  await page.context().close();
});

test('places: the tree, counts and a chart; create and rename a place', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  const { ancestors } = await admin.get(`/api/places/${resident.placeId}`);
  const compound = ancestors.find((a) => a.kind === 'compound') ?? ancestors[ancestors.length - 1];
  await page.goto(`${BASE}/places/${resident.placeId}`);
  await page.getByTestId('place-title').waitFor();
  // up to the compound through the breadcrumbs: its page has child places with a chart
  await page.locator('.fk-crumbs a', { hasText: compound.name }).click();
  await page.waitForURL(new RegExp(`/places/${compound.id}$`));
  await page.getByTestId('children-table').waitFor();
  await page.locator('canvas').first().waitFor();
  await shot(page, 'desktop-places');

  await page.getByTestId('create-child').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('place-name').fill('端到端新建地点');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await page.getByTestId('children-table').getByText('端到端新建地点').waitFor();
  await page.getByTestId('place-tree').getByText('端到端新建地点').waitFor();

  // open it and rename it: the title, the table of its parent and the tree follow
  await page.getByTestId('children-table').getByText('端到端新建地点').click();
  await page.getByTestId('place-title').getByText('端到端新建地点').waitFor();
  const rename = page.getByRole('dialog');
  await pickFromMenu(page, page.getByTestId('place-actions'), /重命名/, () => rename.waitFor({ timeout: 4000 }));
  await rename.getByTestId('place-name').fill('端到端改名地点');
  await rename.getByRole('button', { name: /保\s*存/ }).click();
  await page.getByTestId('place-title').getByText('端到端改名地点').waitFor();
  await page.getByTestId('place-tree').getByText('端到端改名地点').waitFor();
  await page.context().close();
});
