// Notices (issue 13, 5): the demo community officer opens a round's schedule, writes a slot
// notice to one building from its slot row (the text comes filled with the building's time and
// site), previews it (recipients by channel, a filled sample), sends it and reads its delivery
// report (a chart of statuses, a resend of the unread by SMS); then sends the whole round's slot
// notices from the schedule tab and finds them in the notices list. axe on every page.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, api, demoAccount, launch, newPage, shot, signIn, test } from './helpers.mjs';
import { checkA11y } from './axe.mjs';

const OFFICER = demoAccount('community1');
const HOUR = 3_600_000;
let browser;
let admin;
let campaign;
let roundId;

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  const officer = await api(OFFICER);
  const me = (await officer.get('/api/auth/me')).user;
  const compound = (await officer.get(`/api/places/${me.placeId}/children`)).items.find((p) => p.kind === 'compound' && p.residents > 0);
  await officer.dispose();
  assert.ok(compound, 'the officer’s community has a compound with residents');
  const now = Date.now();
  const window = { startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + 10 * HOUR).toISOString() };
  campaign = await admin.post('/api/campaigns', {
    name: `端到端通知核酸 ${now}`,
    placeId: me.placeId,
    ...window,
    places: [{ placeId: compound.id, mode: 'pool5' }],
    rounds: [window],
  });
  roundId = campaign.rounds[0].id;
  await admin.post(`/api/campaigns/${campaign.id}/sites`, { placeId: compound.id, name: '通知测试采样点', lanes: 2, opensAt: '00:00', closesAt: '23:59' });
  await admin.post(`/api/rounds/${roundId}/schedule`, { slotMinutes: 30 });
});
after(async () => {
  await admin?.dispose();
  await browser?.close();
});

test('a community officer writes a slot notice to a building, previews it, sends it and reads its delivery report', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICER);
  await page.goto(`${BASE}/testing/${campaign.id}?tab=schedule&round=${roundId}`);
  await page.getByTestId('slots-table').locator('tbody tr.ant-table-row').first().waitFor();
  const row = page.getByTestId('slots-table').locator('tbody tr.ant-table-row').first();
  const building = (await row.locator('td').nth(1).locator('a').first().textContent()).trim();
  await row.locator('[data-testid^="notify-slot-"]').click();

  await page.waitForURL(/\/notices\/new\?/);
  const zh = page.getByTestId('notice-text-zh-CN');
  await zh.waitFor();
  const text = await zh.inputValue();
  assert.match(text, /^\{building\}居民请于 \d\d:\d\d–\d\d:\d\d 到通知测试采样点下楼核酸/, text);
  // the English and Korean versions came filled too
  await page.getByTestId('notice-tab-en-US').click();
  assert.match(await page.getByTestId('notice-text-en-US').inputValue(), /please come down for testing at 通知测试采样点, \d\d:\d\d–\d\d:\d\d/);
  // in-app only: the unread get an SMS from the report
  await page.getByTestId('notice-channels').getByLabel('短信').uncheck();
  assert.equal(await page.getByTestId('notice-send').isDisabled(), true, 'sending waits for a preview');

  await page.getByTestId('notice-preview').click();
  const recipients = page.getByTestId('preview-recipients');
  await recipients.locator('.ant-statistic-content-value').waitFor();
  const count = Number((await recipients.locator('.ant-statistic-content-value').textContent()).replace(/\D/g, ''));
  assert.ok(count > 0, 'the building has residents');
  const sample = await page.getByTestId('preview-sample-zh-CN').textContent();
  assert.ok(sample.startsWith(`${building}居民请于 `), `the sample names the building: ${sample}`);
  await shot(page, 'notice-compose-preview');
  await checkA11y(page, 'notice compose with preview');

  await page.getByTestId('notice-send').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /^发\s?送$/ }).click();
  await page.waitForURL(/\/notices\/\d+$/);
  await page.getByTestId('notice-report').waitFor();
  assert.equal(Number(await page.getByTestId('report-recipients').textContent()), count);
  await page.getByTestId('report-chart').locator('canvas').first().waitFor();
  const inapp = page.getByTestId('report-table').locator('tbody tr', { hasText: '应用内' });
  assert.equal(Number((await inapp.locator('td').last().textContent()).trim()), count, 'one in-app message per recipient');
  await shot(page, 'notice-report');
  await checkA11y(page, 'notice report');

  // nobody has read it yet: resend them all by SMS
  await page.getByTestId('resend-unread').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /^发\s?送$/ }).click();
  await page.locator('.ant-message').getByText(/已改发短信 \d+ 条/).waitFor();
  await page.getByTestId('report-table').locator('tbody tr', { hasText: '短信' }).waitFor();

  // the menu leads to the list, where it is the newest
  await page.getByRole('menuitem', { name: '通知' }).click();
  await page.waitForURL(/\/notices$/);
  const first = page.getByTestId('notices-table').locator('tbody tr.ant-table-row').first();
  await first.getByText(building).first().waitFor();
  await checkA11y(page, 'notices list');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the schedule tab sends the round's slot notices, one per building", async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICER);
  await page.goto(`${BASE}/testing/${campaign.id}?tab=schedule&round=${roundId}`);
  await page.getByTestId('send-slot-notices').click();
  const modal = page.getByTestId('slot-notices-modal');
  await modal.getByText('每个楼栋一条通知').waitFor();
  await checkA11y(page, 'slot notices dialog');
  await page.getByTestId('slot-notices-ok').click();
  await page.getByTestId('slots-card').getByText(/已发送 \d+ 条通知/).waitFor();
  const buildings = new Set((await admin.get(`/api/rounds/${roundId}/slots?limit=500`)).items.map((s) => s.placeId)).size;
  const listed = await admin.get(`/api/notices?roundId=${roundId}&limit=500`);
  assert.equal(listed.items.filter((n) => n.target === 'slot').length, buildings);
  await page.getByTestId('slot-notices-sent').click();
  await page.waitForURL(/\/notices\?round=/);
  await page.getByTestId('notices-table').locator('tbody tr.ant-table-row').nth(buildings - 1).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
