// After the lane: pack sealed tubes into a box and hand it over; the lab receives it with a tube
// missing and sees the report; a result file with bad rows writes nothing and says why; the fixed
// file has a positive pool, whose five people are on the recall list with their grid worker;
// 清楼 — drill down to the building, see who is missing, exempt one, sample the rest until it is cleared.
import crypto from 'node:crypto';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, PHONE, api, demoAccount, launch, newPage, shot, signIn, test } from './helpers.mjs';

let browser;
let admin;
const officer = demoAccount('community1');
const run = Date.now().toString(36).toUpperCase();
const tube = (n) => `T${run}-${n}`;
const BOX = `BOX-${run}`;
const STRAY = `X${run}-99`;
const PASSWORD = 'E2e-lab-pass-2026';
const lab = { username: `lab_${run.toLowerCase()}`, password: PASSWORD };
const english = { username: `officer_en_${run.toLowerCase()}`, password: PASSWORD };

let districtId;
let communityId;
let campaignId;
let roundId;
let laneId;
let building; // the building to clear: { id, name, trail: [ids below the community] }
let gridWorker;
let people; // the people of the pools' building, in address order
let nextTube = 5;

/** A resident scanned into a tube at the lane by their ID document (mainland ID, passport, permit). */
async function scan(t, residentId) {
  const { resident } = await admin.get(`/api/residents/${residentId}`);
  const { idNumber } = await admin.post(`/api/residents/${residentId}/reveal-id`);
  return admin.post('/api/scans', { key: crypto.randomUUID(), laneId, tube: t, idNumber, idType: resident.idType });
}
const campaignUrl = (tab) => `${BASE}/testing/${campaignId}?tab=${tab}`;

function csv(rows) {
  return Buffer.from('\ufeff' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** Stops the print dialog (headless) and shows the page as it would print. */
async function printPreview(page, button, name) {
  await page.evaluate(() => {
    window.print = () => undefined;
  });
  await page.getByTestId(button).click();
  await page.getByTestId('print-area').waitFor({ state: 'attached' });
  await page.emulateMedia({ media: 'print' });
  await shot(page, name);
  await page.emulateMedia({ media: 'screen' });
}

/** Opens a select and picks an option; a click that lands while the dialog is still animating in may not open it. */
async function pick(page, select, title) {
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    await select.click();
    try {
      await dropdown.getByTitle(title, { exact: true }).click({ timeout: 4000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function noSideways(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  districtId = (await admin.get('/api/places/roots')).items[0].id;
  const me = await api(officer);
  communityId = (await me.get('/api/auth/me')).user.placeId;
  await me.dispose();

  const now = Date.now();
  const window = { startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 12 * 3_600_000).toISOString() };
  const campaign = await admin.post('/api/campaigns', {
    name: `全员核酸 ${run}`,
    placeId: communityId,
    ...window,
    places: [{ placeId: communityId, mode: 'pool5' }],
    rounds: [window],
  });
  campaignId = campaign.id;
  roundId = campaign.rounds[0].id;
  const site = await admin.post(`/api/campaigns/${campaignId}/sites`, { placeId: communityId, name: '社区广场采样点', lanes: 2, opensAt: '00:00', closesAt: '23:59' });
  laneId = site.lanes[0].id;

  // buildings of the grids that have a grid worker (the recall list names them)
  const candidates = [];
  for (const g of ['grid1', 'grid2']) {
    const c = await api(demoAccount(g));
    const who = (await c.get('/api/auth/me')).user;
    await c.dispose();
    const cov = await admin.get(`/api/rounds/${roundId}/coverage?placeId=${who.placeId}&by=building`);
    for (const r of cov.rows) candidates.push({ ...r, worker: who.displayName });
  }
  // the pools come from the biggest building; the smallest with a few people is cleared
  const big = candidates.filter((r) => r.missing >= 16).sort((a, b) => b.missing - a.missing)[0];
  assert.ok(big, 'a demo building with at least 16 residents to sample');
  gridWorker = big.worker;
  people = (await admin.get(`/api/rounds/${roundId}/missing?placeId=${big.placeId}&limit=200`)).items;
  const small = candidates.filter((r) => r.placeId !== big.placeId && r.missing >= 3).sort((a, b) => a.missing - b.missing)[0] ?? big;
  const { ancestors } = await admin.get(`/api/places/${small.placeId}`);
  const above = ancestors.map((a) => a.id);
  building = { id: small.placeId, name: small.name, trail: [...above.slice(above.indexOf(communityId) + 1), small.placeId] };

  // three full pools (sealed as they fill) and one open tube
  for (let i = 0; i < 16; i++) {
    const r = await scan(tube(Math.floor(i / 5) + 1), people[i].id);
    assert.equal(r.outcome, 'recorded');
  }
  assert.notEqual((await admin.get(`/api/tubes/${tube(3)}`)).sealedAt, null);
  assert.equal((await admin.get(`/api/tubes/${tube(4)}`)).sealedAt, null);

  await admin.post('/api/users', { username: lab.username, displayName: '金域检验 孙工', role: 'lab_operator', placeId: districtId, password: PASSWORD });
  await admin.post('/api/users', { username: english.username, displayName: 'Officer Wang', role: 'community_officer', placeId: communityId, password: PASSWORD, locale: 'en-US' });
});

after(async () => {
  await admin?.dispose();
  await browser?.close();
});

test('pack sealed tubes into a box (an open tube is refused next to it) and hand the box over', async () => {
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.goto(campaignUrl('handover'));
  await page.getByTestId('pack-form').waitFor();
  await page.getByTestId('boxes-table').getByText('本轮还没有转运箱').waitFor();
  await shot(page, 'desktop-testing-handover-empty');

  await page.getByTestId('box-barcode').fill(BOX);
  await page.getByTestId('box-barcode').press('Enter');
  // a scanner types each code and Enter; the focus moved to the tube field
  for (const code of [tube(1), tube(4), tube(2), tube(3)]) {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('pack-tubes-count').getByText('已扫 4 管').waitFor();
  await page.getByTestId('pack-submit').click();
  // TUBE_NOT_SEALED, field tubes[1]: shown on the second line, the open tube
  const open = page.locator(`[data-testid=pack-tubes-item][data-tube="${tube(4)}"]`);
  await open.getByText('尚未封管').waitFor();
  assert.match(await open.getAttribute('class'), /fk-scan-error/);
  await shot(page, 'desktop-testing-pack-error');
  await open.getByTestId('pack-tubes-remove').click();
  await page.getByTestId('pack-submit').click();
  const row = page.getByTestId(`box-${BOX}`);
  await row.getByText('已装箱').waitFor();
  await row.getByText('3 管 · 15 人').waitFor();

  await page.getByTestId(`handover-${BOX}`).click();
  await page.getByTestId('carrier').fill('转运 李师傅 津A·12345');
  await page.getByTestId('handover-ok').click();
  await row.getByText('运输中').waitFor();
  await row.getByText('转运 李师傅 津A·12345').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the lab receives the box with a tube missing and one extra, and sees the report', async () => {
  const page = await newPage(browser);
  await signIn(page, lab);
  await page.goto(campaignUrl('handover'));
  await page.getByTestId(`receive-${BOX}`).click();
  await page.getByTestId('lab-name').fill('金域医学检验所');
  const input = page.getByTestId('receive-tubes-input');
  for (const code of [tube(1), tube(2), STRAY]) {
    await input.fill(code);
    await input.press('Enter');
  }
  await page.getByTestId('receive-ok').click();
  const report = page.getByTestId('receipt-report');
  await report.getByTestId('receipt-missing').getByText(tube(3)).waitFor();
  await report.getByTestId('receipt-extra').getByText(STRAY).waitFor();
  await shot(page, 'desktop-testing-receive');
  await page.getByTestId('receive-done').click();

  const row = page.getByTestId(`box-${BOX}`);
  await row.getByText('已接收').waitFor();
  await row.getByText('缺 1 管').waitFor();
  await row.locator('.ant-table-row-expand-icon').click();
  await page.getByTestId(`box-detail-${BOX}`).getByText('未收到', { exact: true }).waitFor();
  await shot(page, 'desktop-testing-handover');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a result file with bad rows writes nothing and reports each row; the fixed file recalls a pool', async () => {
  const page = await newPage(browser);
  await signIn(page, lab);
  await page.goto(campaignUrl('results'));
  const upload = (name, rows) =>
    page.locator('[data-testid=results-dropzone] input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: csv(rows) });

  await upload('results-bad.csv', [
    ['试管条码', '结果'],
    [tube(1), '阳性'],
    [tube(2), '阴性'],
    ['NOPE-0001', '阴性'],
    [tube(3), 'maybe'],
  ]);
  await page.getByTestId('results-rejected').waitFor();
  await page.getByTestId('results-nothing-written').getByText('整批未写入').first().waitFor();
  const errors = page.getByTestId('results-errors');
  await errors.getByRole('cell', { name: '4', exact: true }).waitFor();
  await errors.getByText('NOPE-0001').waitFor();
  await errors.getByRole('cell', { name: '5', exact: true }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('results-report-download').click()]);
  const report = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  assert.match(report, /RESULT_TUBE_UNKNOWN/);
  assert.match(report, /RESULT_VALUE/);
  assert.match(download.suggestedFilename(), /\.csv$/);
  await shot(page, 'desktop-testing-results-report');
  // nothing was written
  assert.equal((await admin.get(`/api/tubes/${tube(1)}`)).result, null);

  await page.getByRole('button', { name: '重新上传' }).click();
  await upload('results.csv', [
    ['tube', 'result'],
    [tube(1), '阳性'],
    [tube(2), '阴性'],
    [tube(3), 'negative'],
  ]);
  const summary = page.getByTestId('results-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /阳性\s*1/);
  assert.match(await summary.innerText(), /召回人数\s*5/);
  await shot(page, 'desktop-testing-results-done');

  // one tube by hand: an unknown tube is refused on its field
  await page.getByTestId('record-tube').fill('NOPE-0002');
  await page.getByTestId('record-submit').click();
  await page.getByTestId('record-form').getByText('不存在或不在您的范围内').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the recall list: the five people of the positive pool with their grid worker; printable', async () => {
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.goto(campaignUrl('recalls'));
  const table = page.getByTestId('recalls-table');
  for (const p of people.slice(0, 5)) await table.getByText(p.name, { exact: true }).first().waitFor();
  assert.equal(await table.locator('tr.fk-row-positive').count(), 5);
  await table.getByText(gridWorker).first().waitFor();
  await table.getByText('混管阳性').first().waitFor();
  await shot(page, 'desktop-testing-recalls');
  await printPreview(page, 'recalls-print', 'desktop-testing-recalls-print');

  // the resident's own page shows the positive pool
  await page.goto(`${BASE}/residents/${people[0].id}`);
  const tests = page.getByTestId('resident-tests');
  await tests.getByText(tube(1)).waitFor();
  await tests.getByText('阳性').waitFor();
  await shot(page, 'desktop-resident-tests');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // on a phone: the recall list and the boxes as lists, nothing wider than the screen
  const phone = await newPage(browser, PHONE);
  await signIn(phone, officer);
  await phone.goto(campaignUrl('recalls'));
  await phone.getByTestId('recalls-table').getByText(people[0].name, { exact: true }).first().waitFor();
  await shot(phone, 'phone-testing-recalls');
  await noSideways(phone);
  await phone.goto(campaignUrl('handover'));
  await phone.getByTestId(`box-${BOX}`).getByText('缺 1 管').waitFor();
  await shot(phone, 'phone-testing-handover');
  await noSideways(phone);
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
});

test('清楼: drill down to the building, see who is missing, exempt one, sample the rest until cleared', async () => {
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.goto(campaignUrl('coverage'));
  await page.getByTestId('coverage-table').waitFor();
  // community → compound → grid (its buildings, most missing first) → the building
  const [compound, grid] = building.trail;
  await page.getByTestId(`drill-${compound}`).first().click();
  await page.getByTestId(`trail-${communityId}`).waitFor();
  await page.getByTestId(`drill-${grid}`).first().click();
  await page.getByTestId(`trail-${compound}`).waitFor();
  await page.getByTestId(`drill-${building.id}`).first().waitFor();
  await shot(page, 'desktop-testing-coverage');
  await page.getByTestId(`drill-${building.id}`).first().click();
  await page.getByTestId('trail-current').filter({ hasText: building.name }).waitFor();

  const missing = page.getByTestId('missing-table');
  const rest = (await admin.get(`/api/rounds/${roundId}/missing?placeId=${building.id}&limit=200`)).items;
  await missing.getByText(rest[0].name, { exact: true }).first().waitFor();
  assert.equal(await page.getByTestId('missing-row').count(), Math.min(rest.length, 50));
  assert.match(await page.getByTestId('missing-count').innerText(), new RegExp(`${rest.length} 人`));
  await shot(page, 'desktop-testing-missing');

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('missing-xlsx').click()]);
  const bytes = Buffer.concat(await (await xlsx.createReadStream()).toArray());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  await printPreview(page, 'missing-print', 'desktop-testing-missing-print');

  // the same list on a phone
  const phone = await newPage(browser, PHONE);
  await signIn(phone, officer);
  await phone.goto(campaignUrl('coverage'));
  await phone.getByTestId('coverage-table').waitFor();
  for (const id of building.trail) {
    await phone.getByTestId(`drill-${id}`).first().click();
    await phone.getByTestId('trail-current').filter({ hasText: id === building.id ? building.name : '' }).waitFor();
    await phone.waitForLoadState('networkidle');
  }
  await phone.getByTestId('missing-table').getByText(rest[0].name, { exact: true }).first().waitFor();
  await shot(phone, 'phone-testing-missing');
  await noSideways(phone);
  assert.deepEqual(phone.errors, []);
  await phone.context().close();

  // exempt the first one: in hospital
  const away = rest[0];
  await page.getByTestId(`exempt-${away.id}`).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('exempt-note').waitFor();
  await pick(page, dialog.getByLabel('原因'), '住院');
  await dialog.getByTestId('exempt-note').fill('市一院住院，家属电话告知');
  await shot(page, 'desktop-testing-exempt');
  await dialog.getByTestId('exempt-ok').click();
  await page.getByTestId('exempted').waitFor();
  await page.getByTestId(`exempt-${away.id}`).waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('missing-count').innerText(), new RegExp(`${rest.length - 1} 人`));

  // the door-knocking teams find the rest; they are sampled at the door
  const left = (await admin.get(`/api/rounds/${roundId}/missing?placeId=${building.id}&limit=200`)).items;
  assert.equal(left.length, rest.length - 1);
  for (let i = 0; i < left.length; i++) {
    if (i % 5 === 0) nextTube++;
    await scan(tube(nextTube), left[i].id);
  }
  await page.getByTestId('coverage-refresh').click();
  await page.getByTestId('cleared').waitFor();
  await page.getByTestId('cleared-tag').waitFor();
  const totals = await page.getByTestId('coverage-totals').innerText();
  assert.match(totals, /未采\s*0/);
  assert.match(totals, /免检\s*[1-9]/);
  await shot(page, 'desktop-testing-cleared');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in English: coverage by building and the recall list', async () => {
  const page = await newPage(browser);
  await signIn(page, english);
  await page.goto(campaignUrl('coverage'));
  await page.getByTestId('coverage-table').waitFor();
  await page.getByRole('columnheader', { name: 'Expected' }).waitFor();
  await page.getByTestId('by-building').click();
  await page.getByRole('columnheader', { name: 'Building' }).waitFor();
  // the cleared building is at the bottom (least missing first is last); its row says so
  await page.getByTestId(`drill-${building.id}`).waitFor();
  await page.getByText('Not yet sampled', { exact: false }).first().waitFor();
  await shot(page, 'desktop-testing-coverage-en');
  await page.goto(campaignUrl('recalls'));
  await page.getByTestId('recalls-table').getByText('Positive pool').first().waitFor();
  await page.getByRole('columnheader', { name: 'Grid worker' }).waitFor();
  await shot(page, 'desktop-testing-recalls-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
