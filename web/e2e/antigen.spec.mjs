// Antigen kits (抗原): before any kit the community's antigen page says how to start; a grid
// worker hands kits to a household of their grid (a double tap records them once) and reports a
// member negative; a resident reports their own positive on the phone page with the personal
// code of their household card; the community officer sees the alert on the antigen page, on the
// desktop and on a phone, acknowledges it and it leaves the open list; the self-report page in
// English, with a server error that follows the language switch.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, PHONE, api, demoAccount, launch, newPage, pickFromMenu, shot, signIn, test } from './helpers.mjs';

let browser;
let admin;
const gridAccount = demoAccount('grid1');
const officer = demoAccount('community1');
let gridWorker; // grid1's user: { displayName, placeId }
let household; // { id, members: [{ id, name }] } — gets the kits
let positive; // { id, name, code } — reports their own positive
let english; // { id, name, code } — reports in English

async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px`);
}

/** Picks a result in the report dialog; a click while the dialog is still zooming in can miss. */
async function chooseResult(dialog, result) {
  const checked = dialog.locator('.ant-radio-button-wrapper-checked').getByTestId(`report-${result}`);
  for (let attempt = 1; ; attempt++) {
    await dialog.getByTestId(`report-${result}`).click();
    try {
      await checked.waitFor({ timeout: 3000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function chooseLanguage(page, label, done) {
  await pickFromMenu(page, page.getByTestId('home-lang'), label, done);
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  const g = await api(gridAccount);
  gridWorker = (await g.get('/api/auth/me')).user;
  // households of grid1 by their members; the kits go to one with two or more and none yet
  const { items } = await g.get(`/api/residents?placeId=${gridWorker.placeId}&limit=200`);
  const byHousehold = new Map();
  for (const r of items) byHousehold.set(r.householdId, [...(byHousehold.get(r.householdId) ?? []), r]);
  const families = [...byHousehold.entries()].filter(([, m]) => m.length >= 2);
  for (const [id] of families) {
    if ((await g.get(`/api/households/${id}/antigen`)).kitsTotal === 0) {
      const { residents } = await g.get(`/api/households/${id}`);
      household = { id, members: residents.map((r) => ({ id: r.id, name: r.name })) };
      break;
    }
  }
  assert.ok(household, 'a household of two or more in grid1 without kits');
  // two residents of other households of the grid report for themselves
  const others = items.filter((r) => r.householdId !== household.id);
  assert.ok(others.length >= 2, 'two more residents in grid1');
  const withCode = async (r) => ({ id: r.id, name: r.name, code: (await g.get(`/api/residents/${r.id}/code`)).code });
  positive = await withCode(others[0]);
  english = await withCode(others.find((r) => r.householdId !== others[0].householdId) ?? others[1]);
  assert.match(positive.code, /^FK1\./);
  await g.dispose();
});

after(async () => {
  await admin?.dispose();
  await browser?.close();
});

test('before any kit, the antigen page says how to start', async () => {
  const o = await api(officer);
  const summary = await o.get('/api/antigen/summary');
  await o.dispose();
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.getByTestId('nav-antigen').click();
  await page.getByTestId('antigen-page').waitFor();
  await page.getByTestId('alerts-empty').getByText('没有待处置的阳性提醒').waitFor();
  if (summary.kits === 0 && summary.reports.negative + summary.reports.positive + summary.reports.invalid === 0) {
    await page.getByTestId('antigen-empty').getByText('辖区内尚未发放抗原试剂').waitFor();
    await page.getByTestId('antigen-empty').getByText('发放抗原').waitFor();
    assert.equal(await page.getByTestId('antigen-open-banner').count(), 0);
  }
  await page.getByTestId('self-report-link').getByText('/self-report').waitFor();
  await shot(page, 'desktop-antigen-empty');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a grid worker hands kits to a household of their grid (once, however often tapped) and reports a member negative', async () => {
  const page = await newPage(browser);
  await signIn(page, gridAccount);
  await page.goto(`${BASE}/households/${household.id}`);
  const card = page.getByTestId('household-antigen');
  await card.getByText('尚未向本户发放抗原试剂。').waitFor();
  await card.getByText('上门发放后点击“发放抗原”').waitFor();
  await shot(page, 'desktop-household-antigen-empty');

  // hand out kits: one per member by default; a double tap records them once
  const n = household.members.length;
  await card.getByTestId('antigen-distribute').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('distribute-kits').waitFor();
  assert.equal(await dialog.getByTestId('distribute-kits').inputValue(), String(n));
  await dialog.getByText(`默认每人一份（本户 ${n} 人）`).waitFor();
  await shot(page, 'desktop-antigen-distribute');
  await dialog.getByTestId('distribute-ok').dblclick();
  await card.getByTestId('antigen-kits-total').getByText(`已发放 ${n} 份`).waitFor();
  await card.getByTestId('antigen-distribution').getByText(`${gridWorker.displayName} 发放 ${n} 份`).waitFor();
  const g = await api(gridAccount);
  const kits = await g.get(`/api/households/${household.id}/antigen`);
  await g.dispose();
  assert.equal(kits.kitsTotal, n, 'the double tap recorded the kits once');
  assert.equal(kits.distributions.length, 1);

  // report the first member negative, tested now
  const member = household.members[0];
  await card.getByTestId(`antigen-report-${member.id}`).click();
  const report = page.getByRole('dialog');
  await report.getByText(`上报抗原结果 · ${member.name}`).waitFor();
  await chooseResult(report, 'negative');
  await shot(page, 'desktop-antigen-report');
  await report.getByTestId('report-ok').click();
  await report.waitFor({ state: 'hidden' });
  const row = card.getByTestId('antigen-members').locator('tr', { hasText: member.name });
  await row.getByTestId('antigen-negative').waitFor();
  await row.getByText(gridWorker.displayName).waitFor();
  // a positive would warn before it is sent
  await card.getByTestId(`antigen-report-${household.members[1].id}`).click();
  await chooseResult(page.getByRole('dialog'), 'positive');
  await page.getByRole('dialog').getByText('阳性结果会立即提醒社区和网格员').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: /取\s*消/ }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await shot(page, 'desktop-household-antigen');

  // the member's own page lists the result
  await page.goto(`${BASE}/residents/${member.id}`);
  const mine = page.getByTestId('resident-antigen');
  await mine.getByTestId('antigen-negative').waitFor();
  await mine.getByText(gridWorker.displayName).waitFor();
  await mine.scrollIntoViewIfNeeded();
  await shot(page, 'desktop-resident-antigen');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // the same card on the grid worker's phone
  const phone = await newPage(browser, PHONE);
  await signIn(phone, gridAccount);
  await phone.goto(`${BASE}/households/${household.id}`);
  const phoneCard = phone.getByTestId('household-antigen');
  await phoneCard.getByText(`已发放 ${n} 份`).waitFor();
  await phoneCard.getByTestId('antigen-member').first().waitFor();
  await phoneCard.scrollIntoViewIfNeeded();
  await shot(phone, 'phone-household-antigen');
  await noSideways(phone, 'the household page');
  await phone.goto(`${BASE}/residents/${member.id}`);
  await phone.getByTestId('resident-antigen').getByTestId('antigen-negative').waitFor();
  await phone.getByTestId('resident-antigen').scrollIntoViewIfNeeded();
  await shot(phone, 'phone-resident-antigen');
  await noSideways(phone, 'the resident page');
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
});

test('a resident reports their own positive on the phone: the old /self-report link with their code opens the antigen tab of /home', async () => {
  const page = await newPage(browser, PHONE);
  // an old poster without a code: the residents' home, which asks to sign in
  await page.goto(`${BASE}/self-report`);
  await page.waitForURL(/\/home\?tab=antigen$/);
  await page.getByTestId('home-sign-in').waitFor();
  // the old link with the personal code signs in by that code and opens the antigen tab
  await page.goto(`${BASE}/self-report?code=${encodeURIComponent(positive.code)}`);
  await page.waitForURL(/\/home\?tab=antigen$/);
  await page.getByTestId('home-antigen').getByRole('heading', { name: '抗原自测上报' }).waitFor();
  await shot(page, 'phone-self-report');
  await noSideways(page, 'the self-report tab');

  // nothing chosen: the result is asked for
  await page.getByTestId('home-antigen-submit').click();
  await page.getByTestId('home-antigen').getByText('请选择检测结果').waitFor();
  await page.getByTestId('home-antigen-positive').click();
  assert.equal(await page.getByTestId('home-antigen-positive').getAttribute('aria-checked'), 'true');
  await shot(page, 'phone-self-report-filled');
  await page.getByTestId('home-antigen-submit').click();
  const done = page.getByTestId('home-antigen-done');
  await done.getByText(/已上报：阳性/).waitFor();
  await done.getByText('请留在家中，不要外出；社区已收到提醒，会尽快联系您。').waitFor();
  await page.getByTestId('home-antigen-item').first().waitFor();
  await shot(page, 'phone-self-report-positive');
  await noSideways(page, 'the positive confirmation');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the community officer sees the alert on the antigen page, on the desktop and a phone, acknowledges it, and it leaves the open list', async () => {
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.getByTestId('nav-antigen-badge').waitFor();
  await page.getByTestId('nav-antigen').click();
  await page.getByTestId('antigen-open-banner').getByText(/名居民抗原阳性，尚未处置/).waitFor();
  const table = page.getByTestId('alerts-table');
  const row = table.locator('tr', { hasText: positive.name });
  await row.getByTestId('alert-name').getByText(positive.name).waitFor();
  await row.getByText('本人自报').waitFor();
  await row.getByText(gridWorker.displayName).waitFor();
  await row.getByText('待处置').waitFor();
  const totals = await page.getByTestId('antigen-totals').innerText();
  assert.match(totals, /已发放住户\s*[1-9]/);
  assert.match(totals, /阳性\s*[1-9]/);
  await page.getByTestId('antigen-places').waitFor();
  await shot(page, 'desktop-antigen');

  // drill into the first place below: the trail shows where we are
  const first = page.locator('[data-testid^=antigen-drill-]').first();
  const name = (await first.innerText()).trim();
  await first.click();
  await page.getByTestId('antigen-trail-current').getByText(name).waitFor();
  await shot(page, 'desktop-antigen-drill');

  // on a phone: the banner, the alert as a card with its button, a dot on the menu button
  const phone = await newPage(browser, PHONE);
  await signIn(phone, officer);
  await phone.goto(`${BASE}/antigen`);
  await phone.getByTestId('antigen-open-banner').waitFor();
  const item = phone.getByTestId('alert-item').filter({ hasText: positive.name });
  await item.getByText('本人自报', { exact: false }).waitFor();
  await shot(phone, 'phone-antigen');
  await noSideways(phone, 'the antigen page');
  await phone.getByRole('button', { name: /菜单|menu/i }).first().click();
  await phone.getByTestId('nav-antigen-badge').waitFor();
  await shot(phone, 'phone-antigen-menu');
  await phone.keyboard.press('Escape');
  assert.deepEqual(phone.errors, []);
  await phone.context().close();

  // acknowledge: it leaves the open list, the banner and the badge go
  const alertId = (await row.getAttribute('data-row-key')) ?? '';
  await page.getByTestId(`ack-${alertId}`).click();
  await page.getByTestId('ack-confirm').click();
  await page.getByText(`已标记 ${positive.name} 为已处置`).waitFor();
  await page.getByTestId('alerts-empty').getByText('没有待处置的阳性提醒').waitFor();
  await page.getByTestId('antigen-open-banner').waitFor({ state: 'detached' });
  await page.getByTestId('nav-antigen-badge').waitFor({ state: 'detached' });
  await page.getByTestId('alerts-all').click();
  const acked = page.getByTestId('alerts-table').locator('tr', { hasText: positive.name });
  await acked.getByText('已处置').first().waitFor();
  await shot(page, 'desktop-antigen-acknowledged');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the old self-report link in English: a bad code in either language, then a negative from the antigen tab', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(`${BASE}/self-report?code=FK1.zz.AAAAAAAAAAAAAAAA`);
  await page.getByTestId('home-card-error').getByText('无法识别此个人码，请核对户卡').waitFor();
  await chooseLanguage(page, 'English', () => page.getByTestId('home-card-error').getByText('This personal code is not recognised; check the household card').waitFor({ timeout: 4000 }));
  await shot(page, 'phone-self-report-error-en');
  await noSideways(page, 'the card error in English');

  await page.goto(`${BASE}/self-report?code=${encodeURIComponent(english.code)}`);
  await page.waitForURL(/\/home\?tab=antigen$/);
  await page.getByTestId('home-antigen').getByText('One line, at C only').waitFor();
  await page.getByTestId('home-antigen-negative').click();
  await page.getByTestId('home-antigen-submit').click();
  await page.getByTestId('home-antigen-done').getByText(/Reported: Negative/).waitFor();
  await shot(page, 'phone-self-report-en');
  await noSideways(page, 'the confirmation in English');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // the grid worker's page of that resident shows it, reported by the resident themselves
  const desk = await newPage(browser);
  await signIn(desk, gridAccount);
  await desk.goto(`${BASE}/residents/${english.id}`);
  const mine = desk.getByTestId('resident-antigen');
  await mine.getByTestId('antigen-negative').waitFor();
  await mine.getByText('本人自报').waitFor();
  assert.deepEqual(desk.errors, []);
  await desk.context().close();
});
