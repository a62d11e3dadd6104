// Risk zones (issue 14): the command center declares a sealed zone (封控区) on a compound through
// the form (the place picked in the tree, the policy with what it means, a reason); the table
// shows it with the households and residents under it; the place's history shows the
// declaration. A resident of the compound signs in (household card link) and sees the sealed
// zone on their home page in Chinese, English and Korean. The street officer steps it down to
// controlled (a reason is required) and the history shows both decisions; a second declaration
// on the place is refused with the server's message on the field; a grid worker reads the zone
// without the buttons. The administrator edits the controlled policy (a new version), the zone
// shows "newer version", the street re-applies it; then lifts it, and the resident's home says
// there are no restrictions. axe on every new page, drawer and dialog; screenshots of the zones
// page, the declare form, the history, the policies page and the resident's card, desktop and
// phone, zh-CN and en-US (the resident's in ko-KR too), to E2E_ZONES_SHOTS (default /work/shots/zones).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { request as pwRequest } from 'playwright-core';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, newPage, signIn, test } from './helpers.mjs';
import { checkA11y } from './axe.mjs';

const CENTER = demoAccount('center');
const STREET = demoAccount('street1');
const GRID = demoAccount('grid1');
const SHOTS = process.env.E2E_ZONES_SHOTS ?? '/work/shots/zones';
mkdirSync(SHOTS, { recursive: true });

let browser;
let admin;
let compound; // { id, name, households, residents }
let chain; // the tree's names from the district down to the compound
let residentCode; // a household card code of someone living in the compound
let controlledRules; // the seeded rules of the controlled policy, put back at the end
const REASON_DECLARE = '3 号楼发现 1 例阳性感染者，流调后划定';
const REASON_STEP = '连续 7 天无新增阳性，经专家组评估降级';
const REASON_REAPPLY = '执行修订后的管控区策略';
const REASON_LIFT = '风险解除，恢复正常生活秩序';

async function zoneShot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** No element wider than the viewport: nothing clipped sideways. */
async function noSideways(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 1, `${what} scrolls sideways by ${wide}px`);
}

async function inLanguage(account, locale) {
  const a = await api(account);
  await a.patch('/api/auth/me', { locale });
  await a.dispose();
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Opens the places tree select by its label, walks down `names` (opening each) and picks the last. */
async function pickPlace(page, label, names) {
  await page.getByLabel(label, { exact: true }).click();
  const popup = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  const node = (name) => popup.locator('.ant-select-tree-treenode').filter({ has: page.locator('.ant-select-tree-title', { hasText: new RegExp(`^${escape(name)}（`) }) });
  await node(names[0]).first().waitFor();
  for (let i = 0; i < names.length - 1; i++) {
    const next = node(names[i + 1]).first();
    if (!(await next.isVisible())) {
      await node(names[i]).first().locator('.ant-select-tree-switcher').click();
      await next.waitFor();
    }
  }
  await node(names[names.length - 1]).first().locator('.ant-select-tree-node-content-wrapper').click();
  // a multiple select stays open for more picks: a click outside it closes it
  await page.locator('.ant-drawer-open .ant-drawer-title').click();
  await popup.waitFor({ state: 'hidden' });
}

async function pickOption(page, label, text) {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first().click();
}

const activeRow = (page) => page.locator(`[data-testid="zone-row"][data-place="${compound.name}"][data-ended="false"]`);

/** The kinds of the events in the open history drawer, newest first. */
async function historyKinds(page) {
  const drawer = page.getByTestId('zone-history-timeline');
  await drawer.waitFor();
  return drawer.getByTestId('zone-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
}

async function openHistory(page) {
  await activeRowOrAny(page).getByTestId('zone-place').click();
  await page.getByTestId('zone-history-timeline').waitFor();
}
const activeRowOrAny = (page) => page.locator(`[data-testid="zone-row"][data-place="${compound.name}"]`).first();

async function closeDrawer(page) {
  await page.locator('.ant-drawer-open .ant-drawer-close').first().click();
  await page.locator('.ant-drawer-open').waitFor({ state: 'detached' }).catch(() => undefined);
}

/** Opens a decision dialog on the compound's zone in force and confirms it with a reason. */
async function decide(page, testId, reason, done) {
  await activeRow(page).getByTestId(testId).click();
  const modal = page.locator('.ant-modal-wrap:visible');
  await modal.getByTestId('zone-action-reason').waitFor();
  await modal.getByTestId('zone-action-reason').fill(reason);
  await modal.getByTestId('zone-action-ok').click();
  await page.locator('.ant-message').getByText(done).waitFor();
  await modal.waitFor({ state: 'hidden' });
}

/** A resident of the compound on a phone, signed in by the household card link. */
async function residentPage(viewport = PHONE, options = {}) {
  const page = await newPage(browser, viewport, options);
  await page.goto(`${BASE}/home/card#${encodeURIComponent(residentCode)}`);
  await page.waitForURL(`${BASE}/home`);
  await page.getByTestId('home-code').waitFor();
  // the resident's language is kept on the server: another spec may have left it in English
  if ((await page.locator('html').getAttribute('lang')) !== 'zh-CN') {
    await page.getByTestId('home-lang').click();
    await page.locator('.ant-dropdown-menu-item').filter({ hasText: '简体中文' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  }
  return page;
}

async function chooseHomeLanguage(page, name) {
  await page.getByTestId('home-lang').click();
  await page.locator('.ant-dropdown-menu-item').filter({ hasText: name }).click();
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  // a compound with households in the last community of the first street (the street officer's area)
  const [district] = (await admin.get('/api/places/roots')).items;
  const [street] = (await admin.get(`/api/places/${district.id}/children`)).items;
  const communities = (await admin.get(`/api/places/${street.id}/children`)).items;
  const community = communities[communities.length - 1];
  const compounds = (await admin.get(`/api/places/${community.id}/children`)).items.filter((p) => p.kind === 'compound' && p.residents > 0);
  const c = compounds[compounds.length - 1];
  assert.ok(c, 'the community has a compound with residents');
  const detail = await admin.get(`/api/places/${c.id}`);
  compound = { id: c.id, name: c.name, households: detail.place.households, residents: detail.place.residents };
  chain = [district.name, street.name, community.name, c.name];
  const { items: households } = await admin.get(`/api/households?placeId=${c.id}&limit=50`);
  const household = households.find((h) => h.residentCount >= 1);
  assert.ok(household, 'the compound has a household with residents');
  residentCode = (await admin.get(`/api/households/${household.id}/card`)).members[0].code;
  // a rerun on the same database: nothing in force on the compound to begin with
  for (const z of (await admin.get(`/api/zones?placeId=${c.id}`)).items) {
    if (z.place.id === c.id) await admin.post(`/api/zones/${z.id}/lift`, { reason: '端到端测试前清理' });
  }
  const controlled = (await admin.get('/api/zone-policies')).items.find((p) => p.key === 'controlled');
  const { level, names, movement, supply, testEveryDays, testPerHousehold, stepDownDays, stepDownTo } = controlled;
  controlledRules = { level, names, movement, supply, testEveryDays, testPerHousehold, stepDownDays, stepDownTo };
  for (const a of [CENTER, STREET, ADMIN]) await inLanguage(a, 'zh-CN');
});

after(async () => {
  // the seeded rules back (a new version), and every account in Chinese
  if (controlledRules) await fetchPut(`/api/zone-policies/controlled`, controlledRules).catch(() => undefined);
  for (const a of [CENTER, STREET, ADMIN]) await inLanguage(a, 'zh-CN').catch(() => undefined);
  await admin?.dispose();
  await browser?.close();
});

/** PUT as the administrator (the helpers' client has no put). */
async function fetchPut(url, data) {
  const ctx = await pwRequest.newContext({ baseURL: BASE });
  try {
    await ctx.post('/api/auth/login', { data: ADMIN });
    const r = await ctx.put(url, { data });
    if (!r.ok()) throw new Error(`PUT ${url} → ${r.status()} ${await r.text()}`);
    return r.json();
  } finally {
    await ctx.dispose();
  }
}

test('the command center declares a sealed zone on a compound through the form; the table and the history show it', async () => {
  const page = await newPage(browser);
  await signIn(page, CENTER);
  await page.getByRole('menuitem', { name: '风险区域' }).click();
  await page.waitForURL(/\/zones$/);
  await page.getByTestId('zones-table').waitFor();
  assert.equal(await activeRow(page).count(), 0, 'nothing in force on the compound yet');

  await page.getByTestId('declare-zone-button').click();
  await page.getByTestId('declare-zone-form').waitFor();
  // nothing filled: each field says what it needs
  await page.getByTestId('declare-zone-submit').click();
  await page.getByText('请至少选择一个地点').waitFor();
  await page.getByText('请选择区域类型').waitFor();

  await pickPlace(page, '地点', chain);
  await pickOption(page, '区域类型', '封控区');
  // what the chosen policy means, in plain words
  await page.getByTestId('declare-zone-policy-rule').getByText('居家不出 · 送货上门 · 每天核酸（每户一人） · 7 天无新增阳性可降为管控区').waitFor();
  await page.getByTestId('declare-zone-reason').fill(REASON_DECLARE);
  // the picked place keeps its name (not its id) after the policy changed the form
  await page.getByTestId('declare-zone-form').getByText(`${compound.name}（小区）`).waitFor();
  await zoneShot(page, 'declare-form-desktop-zh-CN');
  await checkA11y(page, 'declare zone form');

  await page.getByTestId('declare-zone-submit').click();
  await page.locator('.ant-message').getByText('已划定 1 个区域').waitFor();
  const row = activeRow(page);
  await row.waitFor();
  assert.equal((await row.getByTestId('zone-policy').textContent()).trim(), '封控区v1');
  assert.equal(await row.getByTestId('zone-policy').getAttribute('data-level'), 'sealed');
  assert.equal(Number(await row.getByTestId('zone-households').textContent()), compound.households);
  assert.equal(Number(await row.getByTestId('zone-residents').textContent()), compound.residents);
  assert.ok(compound.residents > 0);
  assert.match(await row.getByTestId('zone-means').textContent(), /居家不出.*送货上门.*每天核酸（每户一人）/);
  await row.getByText('区指挥部 王主任').waitFor();
  await row.getByText(REASON_DECLARE).waitFor();
  await zoneShot(page, 'zones-desktop-zh-CN');
  await checkA11y(page, 'zones page');

  // the place opens its history: the declaration, who, when, why, which policy version
  await openHistory(page);
  assert.deepEqual(await historyKinds(page), ['declared']);
  const event = page.getByTestId('zone-event').first();
  await event.getByText('划定').first().waitFor();
  await event.getByText('封控区v1').waitFor();
  await event.getByText('区指挥部 王主任').waitFor();
  await event.getByText(REASON_DECLARE).waitFor();
  await event.getByTestId('zone-event-current').waitFor();
  assert.match(await event.textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d/);
  await zoneShot(page, 'history-desktop-zh-CN');
  await checkA11y(page, 'zone history drawer');
  await closeDrawer(page);

  // the step-down list: nothing meets its rule on the day it was declared
  await page.getByTestId('zones-tab-step-down').click();
  await page.getByText('目前没有满足降级条件的区域。').waitFor();
  await checkA11y(page, 'ready to step down');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a resident of the compound sees the sealed zone on their home page, in Chinese, English and Korean; offline too', async () => {
  const page = await residentPage(PHONE, { serviceWorkers: 'allow' });
  const card = page.getByTestId('home-zone');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-level'), 'sealed');
  assert.equal(await page.getByTestId('home-zone-name').textContent(), '封控区');
  assert.match(await page.getByTestId('home-zone-place').textContent(), new RegExp(`^${escape(compound.name)} · \\d{4}-\\d\\d-\\d\\d 起$`));
  assert.match(await page.getByTestId('home-zone-movement').textContent(), /请居家，不要外出/);
  assert.match(await page.getByTestId('home-zone-supply').textContent(), /工作人员把生活物资送到您家门口/);
  assert.match(await page.getByTestId('home-zone-test').textContent(), /每天检测一次.*每户派一人检测/);
  await zoneShot(page, 'resident-card-phone-zh-CN');
  await checkA11y(page, 'resident zone card');
  await noSideways(page, 'the resident zone card');

  await chooseHomeLanguage(page, 'English');
  await page.getByTestId('home-zone-name').getByText('Sealed zone').waitFor();
  assert.match(await page.getByTestId('home-zone-movement').textContent(), /Stay at home; do not go out/);
  assert.match(await page.getByTestId('home-zone-supply').textContent(), /Staff deliver supplies to your door/);
  assert.match(await page.getByTestId('home-zone-test').textContent(), /A test every day.*One person per household is tested/);
  await zoneShot(page, 'resident-card-phone-en-US');
  await noSideways(page, 'the resident zone card in English');

  await chooseHomeLanguage(page, '한국어');
  await page.getByTestId('home-zone-name').getByText('봉쇄 구역').waitFor();
  assert.match(await page.getByTestId('home-zone-movement').textContent(), /집에 머무르고 외출하지 마세요/);
  await zoneShot(page, 'resident-card-phone-ko-KR');
  await checkA11y(page, 'resident zone card in Korean');
  await noSideways(page, 'the resident zone card in Korean');

  await chooseHomeLanguage(page, '简体中文');
  await page.getByTestId('home-zone-name').getByText('封控区').waitFor();

  // offline (the service worker keeps the shell), the last zone shown stays on the phone
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.getByTestId('home-zone').waitFor();
  await page.waitForTimeout(500);
  await page.context().setOffline(true);
  await page.reload();
  await page.getByTestId('home-offline').waitFor();
  assert.equal(await page.getByTestId('home-zone-name').textContent(), '封控区');
  await zoneShot(page, 'resident-card-offline-phone-zh-CN');
  await checkA11y(page, 'resident zone card offline');
  await page.context().setOffline(false);
  const errors = page.errors;
  await page.context().close();

  // a desktop browser: the same card, not stretched
  const wide = await residentPage(DESKTOP);
  await wide.getByTestId('home-zone').waitFor();
  await zoneShot(wide, 'resident-card-desktop-zh-CN');
  await wide.context().close();
  assert.deepEqual(errors, []);
});

test('the street officer steps the zone down to controlled with a reason; the history shows both; a grid worker only reads', async () => {
  const page = await newPage(browser);
  await signIn(page, STREET);
  await page.goto(`${BASE}/zones`);
  await activeRow(page).waitFor();

  // a reason is required
  await activeRow(page).getByTestId('zone-step-down').click();
  const modal = page.locator('.ant-modal-wrap:visible');
  await modal.getByText('本区域结束，').waitFor();
  await modal.getByText(`“${compound.name}”改为管控区`, { exact: false }).waitFor();
  await modal.getByTestId('zone-action-ok').click();
  await modal.getByText('请填写原因（2–500 字）').waitFor();
  await modal.getByTestId('zone-action-reason').fill('a');
  await modal.getByTestId('zone-action-ok').click();
  await modal.getByText('请填写原因（2–500 字）').waitFor();
  await checkA11y(page, 'step-down dialog');
  await modal.locator('.ant-modal-close').click();
  await modal.waitFor({ state: 'hidden' });

  await decide(page, 'zone-step-down', REASON_STEP, '已降级');
  const row = activeRow(page);
  await row.getByTestId('zone-policy').getByText('管控区').waitFor();
  assert.equal(await row.getByTestId('zone-policy').getAttribute('data-level'), 'controlled');
  assert.match(await row.getByTestId('zone-means').textContent(), /不出小区.*定点取物.*每 2 天核酸/);
  assert.equal(Number(await row.getByTestId('zone-residents').textContent()), compound.residents);

  await openHistory(page);
  // newest first: the controlled zone declared by the step-down, the sealed one stepped down, its declaration
  assert.deepEqual(await historyKinds(page), ['declared', 'stepped_down', 'declared']);
  const events = page.getByTestId('zone-event');
  await events.nth(0).getByText('管控区v1').waitFor();
  await events.nth(0).getByText('街道 李书记').waitFor();
  await events.nth(1).getByText('降级').first().waitFor();
  await events.nth(1).getByText('封控区v1').waitFor();
  await events.nth(1).getByText(REASON_STEP).waitFor();
  await events.nth(2).getByText(REASON_DECLARE).waitFor();
  await events.nth(2).getByText('区指挥部 王主任').waitFor();
  await closeDrawer(page);

  // a second zone on a place with one in force: the server's message, on the places field
  await page.getByTestId('declare-zone-button').click();
  await pickPlace(page, '地点', chain.slice(1));
  await pickOption(page, '区域类型', '封控区');
  await page.getByTestId('declare-zone-reason').fill('重复划定测试');
  await page.getByTestId('declare-zone-submit').click();
  await page.getByTestId('declare-zone-form').getByText(`${compound.name} 已是管控区，请先降级或解除`, { exact: false }).waitFor();
  await checkA11y(page, 'declare form with a server error');
  await closeDrawer(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // the resident now reads the controlled zone
  const phone = await residentPage();
  await phone.getByTestId('home-zone-name').getByText('管控区').waitFor();
  assert.match(await phone.getByTestId('home-zone-movement').textContent(), /可以在小区内活动，不要离开小区/);
  assert.match(await phone.getByTestId('home-zone-supply').textContent(), /请到小区取货点领取生活物资/);
  assert.match(await phone.getByTestId('home-zone-test').textContent(), /每 2 天检测一次/);
  await zoneShot(phone, 'resident-card-controlled-phone-zh-CN');
  await phone.context().close();

  // a grid worker inside the compound's community reads what is in force, without the decisions
  const grid = await newPage(browser);
  await signIn(grid, GRID);
  await grid.goto(`${BASE}/zones`);
  await grid.getByTestId('zones-table').waitFor();
  await grid.getByTestId('zones-page').locator('.ant-table-row, .ant-empty').first().waitFor();
  assert.equal(await grid.getByTestId('declare-zone-button').count(), 0);
  assert.equal(await grid.getByTestId('zone-step-down').count(), 0);
  assert.equal(await grid.getByTestId('zones-tab-step-down').count(), 0);
  await checkA11y(grid, 'zones page, read only');
  await grid.context().close();
});

test('the administrator edits the controlled policy (a new version); the zone shows it and the street re-applies it', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/zones/policies`);
  const row = page.getByTestId('policy-row-controlled');
  await row.waitFor();
  assert.equal((await row.getByTestId('policy-version').textContent()).trim(), '第 1 版');
  await zoneShot(page, 'policies-desktop-zh-CN');
  await checkA11y(page, 'zone policies page');

  await row.getByTestId('edit-policy-controlled').click();
  await page.getByTestId('policy-form').waitFor();
  assert.equal(await page.getByTestId('policy-name-zh-CN').inputValue(), '管控区');
  await page.getByTestId('policy-test-every').fill('3');
  await zoneShot(page, 'policy-edit-desktop-zh-CN');
  await checkA11y(page, 'policy edit drawer');
  await page.getByTestId('policy-save').click();
  await page.locator('.ant-message').getByText('已保存为第 2 版').waitFor();
  await row.getByTestId('policy-version').getByText('第 2 版').waitFor();
  await row.getByText('每 3 天核酸').waitFor();
  await page.context().close();

  const street = await newPage(browser);
  await signIn(street, STREET);
  await street.goto(`${BASE}/zones`);
  const zone = activeRow(street);
  await zone.getByTestId('zone-newer').getByText('有新版本（第 2 版）').waitFor();
  // the zone keeps its version until re-applied
  assert.match(await zone.getByTestId('zone-means').textContent(), /每 2 天核酸/);
  await decide(street, 'zone-reapply', REASON_REAPPLY, '已执行第 2 版');
  await zone.getByTestId('zone-policy').getByText('管控区v2').waitFor();
  assert.equal(await zone.getByTestId('zone-newer').count(), 0);
  assert.match(await zone.getByTestId('zone-means').textContent(), /每 3 天核酸/);
  await openHistory(street);
  assert.deepEqual(await historyKinds(street), ['reapplied', 'declared', 'stepped_down', 'declared']);
  await street.getByTestId('zone-event').first().getByText(REASON_REAPPLY).waitFor();
  await street.getByTestId('zone-event').first().getByText('管控区v2').waitFor();
  await closeDrawer(street);
  assert.deepEqual(street.errors, []);
  await street.context().close();
});

/** The zones page, the declare form, the history and the policies page as the command center sees them. */
async function consoleShots(viewport, locale) {
  const size = viewport === PHONE ? 'phone' : 'desktop';
  await inLanguage(CENTER, locale);
  const page = await newPage(browser, viewport);
  await signIn(page, CENTER);
  await page.goto(`${BASE}/zones`);
  await activeRow(page).waitFor();
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
  await zoneShot(page, `zones-${size}-${locale}`);
  await noSideways(page, `the zones page (${size}, ${locale})`);
  if (locale === 'en-US') await checkA11y(page, 'zones page in English');

  await page.getByTestId('declare-zone-button').click();
  await page.getByTestId('declare-zone-form').waitFor();
  await pickOption(page, locale === 'zh-CN' ? '区域类型' : 'Zone type', locale === 'zh-CN' ? '封控区' : 'Sealed zone');
  await zoneShot(page, `declare-form-${size}-${locale}`);
  await closeDrawer(page);

  await openHistory(page);
  await zoneShot(page, `history-${size}-${locale}`);
  await noSideways(page, `the history drawer (${size}, ${locale})`);
  await closeDrawer(page);

  await page.goto(`${BASE}/zones/policies`);
  await page.getByTestId('policy-row-sealed').waitFor();
  await zoneShot(page, `policies-${size}-${locale}`);
  await noSideways(page, `the policies page (${size}, ${locale})`);
  if (locale === 'en-US') await checkA11y(page, 'policies page in English');
  assert.deepEqual(page.errors, []);
  await page.context().close();
}

test('screenshots: the zone pages on a desktop and a phone, in Chinese and English', async () => {
  for (const viewport of [DESKTOP, PHONE]) for (const locale of ['zh-CN', 'en-US']) await consoleShots(viewport, locale);
  await inLanguage(CENTER, 'zh-CN');

  // the policy edit drawer on a phone, and the resident's card in English on a desktop
  const page = await newPage(browser, PHONE);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/zones/policies`);
  await page.getByTestId('edit-policy-sealed').click();
  await page.getByTestId('policy-form').waitFor();
  await zoneShot(page, 'policy-edit-phone-zh-CN');
  await noSideways(page, 'the policy drawer on a phone');
  await page.context().close();
});

test('the street officer lifts the zone; ended zones show on request; the resident has no restrictions any more', async () => {
  const page = await newPage(browser);
  await signIn(page, STREET);
  await page.goto(`${BASE}/zones`);
  await activeRow(page).waitFor();
  await decide(page, 'zone-lift', REASON_LIFT, '已解除');
  await activeRow(page).waitFor({ state: 'detached' });

  await page.getByTestId('zones-include-ended').click();
  const ended = page.locator(`[data-testid="zone-row"][data-place="${compound.name}"][data-ended="true"]`);
  await ended.nth(1).waitFor();
  const states = await ended.getByTestId('zone-ended').allTextContents();
  assert.ok(states.some((s) => s.startsWith('已解除')), states.join(' | '));
  assert.ok(states.some((s) => s.startsWith('已降级')), states.join(' | '));
  assert.equal(await ended.getByTestId('zone-lift').count(), 0, 'an ended zone takes no decision');
  await zoneShot(page, 'zones-ended-desktop-zh-CN');
  await checkA11y(page, 'zones page with ended zones');

  await openHistory(page);
  assert.deepEqual(await historyKinds(page), ['lifted', 'reapplied', 'declared', 'stepped_down', 'declared']);
  await page.getByTestId('zone-event').first().getByText(REASON_LIFT).waitFor();
  assert.equal(await page.getByTestId('zone-event-current').count(), 0, 'nothing in force any more');
  await closeDrawer(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const phone = await residentPage();
  await phone.getByTestId('home-zone-none').getByText('您居住的地方目前没有管控措施。').waitFor();
  assert.equal(await phone.getByTestId('home-zone').count(), 0);
  await zoneShot(phone, 'resident-none-phone-zh-CN');
  await phone.context().close();
});
