// Mass testing, planning side: as the demo community officer create a campaign (a server
// field error lands under its field), add a site with 3 lanes, plan the time slots and move
// one; the live board shows the expected residents and moves without a reload when a scan
// arrives; the board on a phone; the plan in English.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, newPage, shot, signIn, test } from './helpers.mjs';

const OFFICER = demoAccount('community1');
const NAME = '端到端全员核酸检测';
const SITE = '端到端东门采样点';
const HOUR = 3_600_000;

let browser;
let admin;
let community; // the officer's community
let compound; // its first compound
let campaignId;

/** An instant as the pickers show it: Shanghai wall-clock, YYYY-MM-DD HH:mm. */
const shanghai = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  const officer = await api(OFFICER);
  community = (await officer.get('/api/places/roots')).items[0];
  compound = (await officer.get(`/api/places/${community.id}/children`)).items.find((p) => p.kind === 'compound');
  await officer.dispose();
  assert.ok(community && compound, 'the demo community has a compound');
});
after(async () => {
  await admin?.dispose();
  await browser?.close();
});

/** A screenshot of the whole of a long page, at the desktop width. */
async function tallShot(page, name) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: DESKTOP.width, height: Math.min(Math.max(height, DESKTOP.height), 2400) });
  await shot(page, name);
  await page.setViewportSize(DESKTOP);
}

/** Types a date-time into a picker found by its label and commits it. */
async function typeDate(page, label, value) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  // Escape would close the drawer or dialog around the picker: wait for the picker to close
  await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
}

/** Opens a tree select by its label and picks the node with this text, expanding `through` first. */
async function pickPlace(page, label, text, through) {
  await page.getByLabel(label, { exact: true }).click();
  const popup = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  const node = popup.locator('.ant-select-tree-treenode', { hasText: text }).last();
  if (through) {
    // the root opens by itself once its children are loaded; otherwise open it
    const shown = await node.waitFor({ timeout: 3000 }).then(() => true, () => false);
    if (!shown) {
      await popup.locator('.ant-select-tree-treenode', { hasText: through }).first().locator('.ant-select-tree-switcher').click();
      await node.waitFor();
    }
  }
  await node.locator('.ant-select-tree-node-content-wrapper').click();
  await popup.waitFor({ state: 'hidden' }).catch(() => undefined);
}

test('as a community officer: create a campaign, add a site with 3 lanes, plan the time slots and move one', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICER);
  await page.goto(`${BASE}/testing`);
  await page.getByTestId('campaigns-table').waitFor();

  await page.getByTestId('new-campaign-button').click();
  const form = page.getByTestId('campaign-form');
  await form.waitFor();
  await form.getByLabel('任务名称').fill(NAME);
  await pickPlace(page, '所属地点', community.name);
  // the owning place is covered by default, 10-in-1
  await page.getByTestId('covered-places').getByText(community.name).waitFor();
  await page.getByTestId('covered-places').getByText('10 混 1').waitFor();

  const now = Date.now();
  await typeDate(page, '开始时间', shanghai(now - HOUR));
  // more than 60 days: the server refuses and says so under the end time
  await typeDate(page, '结束时间', shanghai(now + 61 * 24 * HOUR));
  await page.getByTestId('create-campaign').click();
  const endItem = form.locator('.ant-form-item', { has: page.getByLabel('结束时间', { exact: true }) });
  await endItem.locator('.ant-form-item-explain-error').getByText('60 天').waitFor();

  await typeDate(page, '结束时间', shanghai(now + 20 * HOUR));
  await page.getByTestId('rounds-preview').getByText(/将按天生成 [12] 轮/).waitFor();
  await endItem.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
  await shot(page, 'desktop-testing-new');
  await page.getByTestId('create-campaign').click();
  await page.waitForURL(/\/testing\/\d+\?tab=sites/);
  campaignId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('campaign-title').getByText(NAME).waitFor();
  await page.getByTestId('sites-empty').waitFor();

  // the list: the campaign with its place and window, linking to it
  await page.goto(`${BASE}/testing`);
  const row = page.getByTestId('campaigns-table').locator('tr', { hasText: NAME });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(community.name));
  await shot(page, 'desktop-testing-campaigns');
  await row.getByTestId('campaign-link').click();
  await page.waitForURL(new RegExp(`/testing/${campaignId}$`));
  await page.getByTestId('overview-tab').waitFor();

  // sites: one at the compound with 3 lanes, open all day so the plan fits whatever the hour
  await page.getByTestId('tab-sites').click();
  await page.getByTestId('add-site').click();
  const siteForm = page.getByTestId('site-form');
  await siteForm.waitFor();
  await pickPlace(page, '所在地点', compound.name, community.name);
  await siteForm.getByLabel('采样点').fill(SITE);
  await siteForm.getByLabel('采样通道').fill('3');
  await typeDate(page, '开放时间', '00:00');
  await typeDate(page, '关闭时间', '23:55');
  await page.getByTestId('site-save').click();
  const siteRow = page.getByTestId(`site-row-${SITE}`);
  await siteRow.waitFor();
  assert.match(await siteRow.innerText(), /3 个/);
  assert.match(await siteRow.innerText(), /1号[\s\S]*2号[\s\S]*3号/);
  assert.match(await siteRow.innerText(), new RegExp(compound.name));
  await page.getByTestId('open-lane').waitFor();
  await shot(page, 'desktop-testing-sites');

  // the time slots: nothing before planning, then the plan, the simulated queue and the slots
  await page.getByTestId('tab-schedule').click();
  await page.getByTestId('schedule-empty').waitFor();
  await page.getByTestId('run-plan').click();
  await page.getByTestId('plan-summary').waitFor();
  await page.getByTestId('queue-chart').locator('canvas').first().waitFor();
  await page.getByTestId('plan-sites').getByText(SITE).waitFor();
  const slotRows = page.getByTestId('slots-table').locator('tbody tr.ant-table-row');
  await slotRows.first().waitFor();
  assert.ok((await slotRows.count()) > 0, 'the plan has slots');
  await tallShot(page, 'desktop-testing-schedule');

  // move the first slot ten minutes later: saved, and the slot list shows the new time
  const first = slotRows.first();
  await first.getByRole('button', { name: /调\s*整/ }).click();
  const dialog = page.getByRole('dialog');
  const inputs = dialog.locator('.ant-picker-range input');
  const start = await inputs.nth(0).inputValue();
  const end = await inputs.nth(1).inputValue();
  const plus10 = (v) => shanghai(Date.parse(`${v.replace(' ', 'T')}:00+08:00`) + 10 * 60_000);
  await inputs.nth(0).click();
  await inputs.nth(0).fill(plus10(start));
  await inputs.nth(0).press('Enter');
  await inputs.nth(1).click();
  await inputs.nth(1).fill(plus10(end));
  await inputs.nth(1).press('Enter');
  await page.getByTestId('slot-save').click();
  await page.locator('.ant-message').getByText('已调整').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  const moved = `${plus10(start).slice(11)}–`; // the new start, HH:mm
  await page.getByTestId('slots-table').getByText(moved, { exact: false }).first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the live board: expected residents, and a scan shows up without a reload', async () => {
  assert.ok(campaignId, 'the campaign of the first test');
  const page = await newPage(browser);
  await signIn(page, OFFICER);
  await page.goto(`${BASE}/testing/${campaignId}`);
  const expected = (await admin.get(`/api/campaigns/${campaignId}/board`)).expected;
  assert.ok(expected > 0, 'the community has residents');
  await page.getByTestId('board-expected').getByText(String(expected)).waitFor();
  await page.getByTestId('board-sampled').locator('.ant-statistic-content-value').getByText('0', { exact: true }).waitFor();
  await page.getByTestId('board-link').getByText('实时').waitFor();
  await page.getByTestId('board-hourly').getByText('本轮还没有采样记录').waitFor();

  // a sampler scans someone (through the API, as the administrator)
  const campaign = await admin.get(`/api/campaigns/${campaignId}`);
  const laneId = campaign.sites[0].lanes[0].id;
  const resident = (await admin.get(`/api/residents?placeId=${community.id}&limit=1`)).items[0];
  const { idNumber } = await admin.post(`/api/residents/${resident.id}/reveal-id`);
  await admin.post('/api/scans', { key: crypto.randomUUID(), laneId, tube: 'E2E-T-0001', idNumber });

  await page.getByTestId('board-sampled').locator('.ant-statistic-content-value').getByText('1', { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByTestId('board-hourly').locator('canvas').first().waitFor();
  await page.getByTestId('board-stages').locator('canvas').first().waitFor();
  await shot(page, 'desktop-testing-board');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const phone = await newPage(browser, PHONE);
  await signIn(phone, OFFICER);
  await phone.goto(`${BASE}/testing/${campaignId}`);
  await phone.getByTestId('board-expected').getByText(String(expected)).waitFor();
  await phone.getByTestId('board-hourly').locator('canvas').first().waitFor();
  await shot(phone, 'phone-testing-board');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the board scrolls sideways by ${overflow}px on a phone`);
  await phone.context().close();

  // without the live stream (a proxy that drops it): the board polls every 10 s instead
  const polled = await newPage(browser);
  await polled.route('**/board/stream**', (route) => route.abort());
  await signIn(polled, OFFICER);
  await polled.goto(`${BASE}/testing/${campaignId}`);
  await polled.getByTestId('board-link').getByText('每 10 秒刷新').waitFor();
  await polled.getByTestId('board-sampled').locator('.ant-statistic-content-value').getByText('1', { exact: true }).waitFor();
  await polled.context().close();
});

test('on a phone: the campaign list, the new campaign form, sites and the time slots fit the screen', async () => {
  assert.ok(campaignId, 'the campaign of the first test');
  const phone = await newPage(browser, PHONE);
  await signIn(phone, OFFICER);
  const noSideways = async (what) => {
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px on a phone`);
  };
  await phone.goto(`${BASE}/testing`);
  await phone.getByTestId('campaigns-table').getByText(NAME).waitFor();
  await shot(phone, 'phone-testing-campaigns');
  await noSideways('the campaign list');
  await phone.getByTestId('new-campaign-button').click();
  await phone.getByTestId('campaign-form').waitFor();
  await shot(phone, 'phone-testing-new');
  await phone.getByRole('button', { name: /取\s*消/ }).click();
  await phone.goto(`${BASE}/testing/${campaignId}?tab=sites`);
  await phone.getByTestId(`site-row-${SITE}`).waitFor();
  await shot(phone, 'phone-testing-sites');
  await noSideways('the sites tab');
  await phone.goto(`${BASE}/testing/${campaignId}?tab=schedule`);
  await phone.getByTestId('plan-summary').waitFor();
  await phone.getByTestId('queue-chart').locator('canvas').first().waitFor();
  await shot(phone, 'phone-testing-schedule');
  await noSideways('the time slots tab');
  await phone.getByTestId('slots-table').scrollIntoViewIfNeeded();
  await shot(phone, 'phone-testing-slots');
  await phone.context().close();
});

test('in English: the time-slot plan', async () => {
  assert.ok(campaignId, 'the campaign of the first test');
  const page = await newPage(browser);
  await signIn(page, OFFICER);
  // the user's language lives on the server; set it and put it back afterwards
  const setLocale = (locale) =>
    page.evaluate(async (l) => {
      const r = await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: l }) });
      if (!r.ok) throw new Error(`PATCH /api/auth/me → ${r.status}`);
    }, locale);
  await setLocale('en-US');
  try {
    await page.evaluate(() => localStorage.setItem('fk.locale', 'en-US'));
    await page.goto(`${BASE}/testing/${campaignId}?tab=schedule`);
    await page.getByTestId('tab-schedule').getByText('Time slots').waitFor();
    await page.getByTestId('plan-summary').getByText('Everyone done by').waitFor();
    await page.getByTestId('slots-table').getByRole('columnheader', { name: 'Building' }).waitFor();
    await page.getByTestId('queue-chart').locator('canvas').first().waitFor();
    await tallShot(page, 'desktop-testing-schedule-en');
    await page.goto(`${BASE}/testing/${campaignId}`);
    await page.getByTestId('board-link').getByText('Live').waitFor();
    await shot(page, 'desktop-testing-board-en');
  } finally {
    await setLocale('zh-CN');
    await page.context().close();
  }
});

test('a newcomer finds the demo campaign under way: samples on the board, tubes back from the lab', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICER);
  await page.goto(`${BASE}/testing`);
  const row = page.getByTestId('campaigns-table').locator('tr', { hasText: '（演示）' });
  await row.getByTestId('campaign-link').click();
  await page.getByTestId('board-sampled').locator('.ant-statistic-content-value').getByText('80', { exact: true }).waitFor();
  await page.getByTestId('board-results').getByText('5').first().waitFor();
  await page.getByTestId('board-stages').locator('canvas').first().waitFor();
  await shot(page, 'desktop-testing-demo-board');
  // its plan for day 1 is there too
  await page.getByTestId('tab-schedule').click();
  await page.getByTestId('plan-summary').waitFor();
  await page.context().close();
});
