// (named to run after the testing-* specs: its campaign shares the demo community, and their lists start from the demo campaign)
// What the screens say must be so (issue 12, 2 and 5), on a campaign of its own in the second
// community (the demo campaign of the first is left to the other specs):
// - a tube the lab did not find in the box is "missing at receipt", not "at the lab", on the
//   campaign board, its results tab and the area board — which updates live when it happens;
// - a plan made before the registry changed says it is out of date and offers to re-plan;
// - the coverage chart names each building's compound;
// - household cards and the antigen page print PUBLIC_URL/self-report, not the browser's address;
// - offline, a page says so (banner, empty table), shows no error toast, and reloads when back.
// Screenshots of each, desktop and phone, zh-CN and en-US.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, newPage, shot, signIn, test } from './helpers.mjs';

const PUBLIC_URL = process.env.E2E_PUBLIC_URL ?? 'https://fangkong.example.org';
const center = demoAccount('center');
const street = demoAccount('street1');
let browser;
let admin;
let c; // { id, roundId, laneId, communityId, boxTubes: [] }
const TAG = Date.now().toString(36).toUpperCase().slice(-5);
const box = `SCR${TAG}BOX`;
const tubeCode = (i) => `SCR${TAG}T${i}`;

/** The account's saved language, and the page in it (the console takes the account's). */
async function inLanguage(account, locale) {
  const a = await api(account);
  await a.patch('/api/auth/me', { locale });
  await a.dispose();
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  const { items: roots } = { items: await admin.get('/api/places/roots') };
  const district = (Array.isArray(roots) ? roots : roots.items)[0];
  const streets = await admin.get(`/api/places/${district.id}/children`);
  const s1 = (Array.isArray(streets) ? streets : streets.items)[0];
  const communities = await admin.get(`/api/places/${s1.id}/children`);
  const list = Array.isArray(communities) ? communities : communities.items;
  const community = list[list.length - 1];
  const compounds = await admin.get(`/api/places/${community.id}/children`);
  const compound = (Array.isArray(compounds) ? compounds : compounds.items).find((p) => p.kind === 'compound');
  assert.ok(compound, 'a compound in the last community of the first street');
  const now = Date.now();
  const created = await admin.post('/api/campaigns', {
    name: `界面核对 ${TAG}`,
    placeId: community.id,
    startsAt: new Date(now - 3600_000).toISOString(),
    endsAt: new Date(now + 20 * 3600_000).toISOString(),
    places: [{ placeId: community.id, mode: 'single' }],
    rounds: [{ startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 20 * 3600_000).toISOString() }],
  });
  const site = await admin.post(`/api/campaigns/${created.id}/sites`, { placeId: compound.id, name: `核对点${TAG}`, lanes: 1, opensAt: '00:00', closesAt: '23:59' });
  c = { id: created.id, roundId: created.rounds[0].id, laneId: site.lanes[0].id, communityId: community.id };
  await admin.post(`/api/rounds/${c.roundId}/schedule`, { slotMinutes: 30 });
  // three people sampled into three tubes, boxed and on the road
  const { items: people } = await admin.get(`/api/residents?placeId=${community.id}&limit=4`);
  for (let i = 0; i < 3; i++) {
    const { idNumber } = await admin.post(`/api/residents/${people[i].id}/reveal-id`);
    await admin.post('/api/scans', { key: crypto.randomUUID(), laneId: c.laneId, tube: tubeCode(i), idNumber, mode: 'single' });
    await admin.post(`/api/tubes/${tubeCode(i)}/seal`);
  }
  await admin.post('/api/boxes', { barcode: box, tubes: [0, 1, 2].map(tubeCode) });
  await admin.post(`/api/boxes/${box}/handover`, { carrier: '核对转运' });
  c.lastResident = people[3];
});

after(async () => {
  for (const a of [center, street]) await inLanguage(a, 'zh-CN').catch(() => undefined);
  await admin?.dispose();
  await browser?.close();
});

test('the area board: in the menu for the command center, live, and a tube missing at receipt counted apart', async () => {
  const page = await newPage(browser);
  await signIn(page, center);
  await page.getByRole('menuitem', { name: '区域看板' }).click();
  await page.waitForURL(/\/area$/);
  const row = page.getByTestId(`area-campaign-${c.id}`);
  await row.waitFor();
  await page.getByTestId('board-link').getByText('实时').waitFor();
  const missing = page.getByTestId('area-total-missing');
  const before = Number((await missing.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
  // the lab finds two of the three tubes: the board says so without a reload
  await admin.post(`/api/boxes/${box}/receive`, { labName: '核对实验室', tubes: [tubeCode(0), tubeCode(1)] });
  await missing.locator('.ant-statistic-content-value').getByText(String(before + 1), { exact: true }).waitFor({ timeout: 10_000 });
  await page.getByTestId('area-missing-alert').waitFor();
  const a = await api(center);
  const served = await a.get('/api/area-board');
  await a.dispose();
  const mine = served.campaigns.find((x) => x.campaign.id === c.id);
  assert.deepEqual({ atLab: mine.tubes.atLab, missing: mine.tubes.missing }, { atLab: 2, missing: 1 });
  const sampled = await page.getByTestId('area-total-sampled').innerText();
  assert.match(sampled.replace(/\s/g, ''), new RegExp(`${served.totals.samples}/${served.totals.expected}`));
  assert.deepEqual(page.errors, []);
  await shot(page, 'desktop-area-board');
  const phone = await newPage(browser, PHONE);
  await signIn(phone, center);
  await phone.goto(`${BASE}/area`);
  await phone.getByTestId(`area-campaign-${c.id}`).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the area board scrolls sideways by ${overflow}px`);
  await shot(phone, 'phone-area-board');
  await phone.context().close();
  await page.context().close();
});

test('a street officer sees the board of the street, in English too', async () => {
  await inLanguage(street, 'en-US');
  const page = await newPage(browser);
  await signIn(page, street);
  await page.getByRole('menuitem', { name: 'Area board' }).click();
  await page.getByTestId(`area-campaign-${c.id}`).waitFor();
  await page.getByTestId('area-missing-alert').getByText('missing when the lab received').waitFor();
  await shot(page, 'desktop-area-board-en');
  const phone = await newPage(browser, PHONE);
  await signIn(phone, street);
  await phone.goto(`${BASE}/area`);
  await phone.getByTestId(`area-campaign-${c.id}`).waitFor();
  await shot(phone, 'phone-area-board-en');
  await phone.context().close();
  await page.context().close();
  await inLanguage(street, 'zh-CN');
});

test('the campaign board and results tab count the missing tube apart from those at the lab', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/testing/${c.id}?tab=overview`);
  await page.getByTestId('board-missing-alert').getByText('1 管在实验室接收时缺失').waitFor();
  await shot(page, 'desktop-testing-board-missing');
  await page.goto(`${BASE}/testing/${c.id}?tab=results`);
  const figures = page.getByTestId('round-tubes');
  await figures.waitFor();
  assert.equal(await page.getByTestId('round-tubes-at-lab').locator('.ant-statistic-content-value').innerText(), '2');
  assert.equal(await page.getByTestId('round-tubes-missing').locator('.ant-statistic-content-value').innerText(), '1');
  await figures.getByText('接收时缺失').waitFor();
  await shot(page, 'desktop-testing-results-missing');
  const phone = await newPage(browser, PHONE);
  await signIn(phone, ADMIN);
  await phone.goto(`${BASE}/testing/${c.id}?tab=results`);
  await phone.getByTestId('round-tubes-missing').waitFor();
  await shot(phone, 'phone-testing-results-missing');
  await phone.context().close();
  await page.context().close();
});

test('a plan made before the registry changed says it is out of date, and re-planning clears it', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/testing/${c.id}?tab=schedule`);
  await page.getByTestId('plan-summary').waitFor();
  assert.equal(await page.getByTestId('plan-stale-alert').count(), 0, 'fresh after planning');
  const r = await fetch(`${BASE}/api/residents/${c.lastResident.id}`, { method: 'DELETE', headers: { cookie: await adminCookie() } });
  assert.equal(r.status, 200, await r.text());
  await page.reload();
  const stale = page.getByTestId('plan-stale-alert');
  await stale.getByText('排班方案已过期').waitFor();
  await stale.getByText('减少 1 人').waitFor();
  await shot(page, 'desktop-testing-schedule-stale');
  const phone = await newPage(browser, PHONE);
  await signIn(phone, ADMIN);
  await phone.goto(`${BASE}/testing/${c.id}?tab=schedule`);
  await phone.getByTestId('plan-stale-alert').waitFor();
  await shot(phone, 'phone-testing-schedule-stale');
  await phone.context().close();
  await page.getByTestId('stale-replan').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: '重新排班' }).click();
  await stale.waitFor({ state: 'detached' });
  await page.context().close();
});

async function adminCookie() {
  const res = await fetch(`${BASE}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  return res.headers.get('set-cookie').split(';')[0];
}

test('the coverage chart names each building with its compound', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/testing/${c.id}?tab=coverage`);
  await page.getByTestId('coverage-table').waitFor();
  await page.getByTestId('by-building').click();
  const a = await api(ADMIN);
  const cov = await a.get(`/api/rounds/${c.roundId}/coverage?placeId=${c.communityId}&by=building`);
  await a.dispose();
  const top = cov.rows.filter((r) => r.missing > 0)[0];
  assert.ok(top?.compound, 'a building with a compound');
  const chart = page.getByTestId('coverage-chart').locator('[aria-label]').first();
  await chart.waitFor();
  await page.waitForFunction(
    (label) => [...document.querySelectorAll('[data-testid="coverage-chart"] [aria-label]')].some((e) => e.getAttribute('aria-label').includes(label)),
    `${top.compound} ${top.name}`,
  );
  await shot(page, 'desktop-testing-coverage-compound');
  await page.context().close();
});

test('household cards and the antigen page print the public address, not the browser’s', async () => {
  const page = await newPage(browser);
  await signIn(page, demoAccount('community1'));
  const o = await api(demoAccount('community1'));
  const { items } = await o.get('/api/residents?limit=1');
  await o.dispose();
  await page.goto(`${BASE}/households/${items[0].householdId}/card`);
  const line = page.getByTestId('card-self-report');
  await line.getByText(`${PUBLIC_URL}/self-report`).waitFor();
  assert.ok(!(await line.innerText()).includes(new URL(BASE).host), 'the card does not print the browser’s address');
  assert.equal(await page.getByTestId('card-url-derived').count(), 0, 'PUBLIC_URL is set: no hint that it is derived');
  await shot(page, 'desktop-household-card-public-url');
  await page.goto(`${BASE}/antigen`);
  await page.getByTestId('self-report-url').getByText(`${PUBLIC_URL}/self-report`).waitFor();
  assert.equal(await page.getByTestId('self-report-url').getAttribute('href'), `${PUBLIC_URL}/self-report`);
  await shot(page, 'desktop-antigen-public-url');
  await page.context().close();
});

test('offline, a console page says so instead of an error toast and an empty table, and reloads when back', async () => {
  for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    for (const locale of ['zh-CN', 'en-US']) {
      await inLanguage(center, locale);
      const page = await newPage(browser, viewport);
      await signIn(page, center);
      const zh = locale === 'zh-CN';
      const nav = async (zhLabel, enLabel) => {
        if (viewport === PHONE) await page.getByRole('button', { name: zh ? '展开/收起菜单' : 'Toggle menu' }).click();
        await page.getByRole('menuitem', { name: zh ? zhLabel : enLabel }).click();
      };
      await page.goto(`${BASE}/residents`);
      await page.getByTestId('resident-link').first().waitFor();
      // the campaigns page once online, so its code is loaded (the service worker, blocked here, would cache it)
      await nav('核酸检测', 'Testing');
      await page.getByTestId('campaign-link').first().waitFor();
      await nav('居民台账', 'Residents');
      await page.getByTestId('resident-link').first().waitFor();
      await page.context().setOffline(true);
      const banner = page.getByTestId('offline-banner');
      await banner.waitFor();
      const text = locale === 'zh-CN' ? '离线：无法连接服务器，恢复网络后自动重试' : 'Offline: cannot reach the server; will retry when the connection is back';
      await banner.getByText(text).waitFor();
      // a page opened while offline: its table says why it is empty, and nothing pops up as an error
      await nav('核酸检测', 'Testing');
      await page.getByTestId('offline-state').first().waitFor();
      assert.equal(await page.locator('.ant-message-error').count(), 0, 'no error toast');
      await shot(page, `${name}-offline${locale === 'en-US' ? '-en' : ''}`);
      await page.context().setOffline(false);
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
      await page.getByTestId('campaign-link').first().waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('offline-state').count(), 0);
      await page.context().close();
    }
  }
  await inLanguage(center, 'zh-CN');
});
