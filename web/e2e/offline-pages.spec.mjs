// Offline, every console page says why it is empty (issue 12, 2): each page is opened online,
// the browser goes offline, the page is opened again (its data is read afresh and fails), and it
// must show the offline state, no error toast, and pass axe; back online it reloads by itself.
// A page whose code was never downloaded, opened offline, shows the offline state with a retry
// button (zh-CN and en-US) and opens by itself once the connection is back.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, newPage, pageSweepIds, shot, signIn, test } from './helpers.mjs';
import { checkA11y } from './axe.mjs';

// who: the account that opens it; path may use the ids found in before()
const PAGES = [
  { name: 'residents', path: '/residents', who: 'admin' },
  { name: 'resident', path: (ids) => `/residents/${ids.resident}`, who: 'admin' },
  { name: 'household', path: (ids) => `/households/${ids.household}`, who: 'admin' },
  { name: 'places', path: '/places', who: 'admin' },
  { name: 'place', path: (ids) => `/places/${ids.place}`, who: 'admin' },
  { name: 'import', path: '/import', who: 'admin' },
  { name: 'accounts', path: '/accounts', who: 'admin' },
  { name: 'audit', path: '/audit', who: 'admin' },
  { name: 'campaigns', path: '/testing', who: 'community1' },
  ...['overview', 'sites', 'schedule', 'coverage', 'handover', 'results', 'recalls'].map((tab) => ({
    name: `campaign-${tab}`,
    path: (ids) => `/testing/${ids.campaign}?tab=${tab}`,
    who: 'community1',
  })),
  { name: 'area', path: '/area', who: 'community1' },
  { name: 'antigen', path: '/antigen', who: 'community1' },
];

let browser;
const ids = {};
const accounts = { admin: ADMIN, community1: demoAccount('community1') };

let restoreLanguages = async () => {};
before(async () => {
  browser = await launch();
  const sweep = await pageSweepIds(accounts);
  Object.assign(ids, sweep.ids);
  restoreLanguages = sweep.restore;
});
after(async () => {
  await restoreLanguages();
  await browser?.close();
});

async function setLocale(who, locale) {
  const c = await api(accounts[who]);
  await c.patch('/api/auth/me', { locale });
  await c.dispose();
}

/** Opens a path inside the console without loading the page again (what a menu link does). */
async function go(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

const OFFLINE = { 'zh-CN': '离线：无法连接服务器，恢复网络后自动重试', 'en-US': 'Offline: cannot reach the server; will retry when the connection is back' };

test('offline, every console page shows the offline state, no error toast, and reloads when back', async () => {
  const failures = [];
  const pages = new Map();
  for (const who of Object.keys(accounts)) {
    await setLocale(who, 'zh-CN');
    const page = await newPage(browser, DESKTOP);
    await signIn(page, accounts[who]);
    pages.set(who, page);
  }
  for (const p of PAGES) {
    const page = pages.get(p.who);
    const path = typeof p.path === 'function' ? p.path(ids) : p.path;
    // another page, rendered for sure (a page that is still loading leaves the old one mounted)
    const [elsewhere, shown] = p.who === 'admin' ? (path === '/accounts' ? ['/audit', 'audit-table'] : ['/accounts', 'accounts-table']) : ['/residents', 'residents-table'];
    let step = 'online';
    try {
      // online: the page and its code load; then another page, so that coming back mounts it afresh
      await page.goto(`${BASE}${path}`);
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByTestId('offline-state').count(), 0, 'online, no offline state');
      await go(page, elsewhere);
      await page.getByTestId(shown).waitFor();
      await page.waitForLoadState('networkidle');
      step = 'banner';
      await page.context().setOffline(true);
      await page.getByTestId('offline-banner').waitFor();
      step = 'offline state';
      await go(page, path);
      const state = page.getByTestId('offline-state').first();
      await state.waitFor();
      await state.getByText(OFFLINE['zh-CN']).waitFor();
      await page.waitForTimeout(300);
      assert.equal(await page.locator('.ant-message-error').count(), 0, 'no error toast');
      await checkA11y(page, `${p.name} offline`);
      step = 'back online';
      await page.context().setOffline(false);
      await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 15_000 });
      await page.getByTestId('offline-state').first().waitFor({ state: 'detached', timeout: 15_000 });
    } catch (err) {
      failures.push(`${p.name} (${step}): ${err.message.split('\n')[0]}`);
      if (process.env.E2E_OFFLINE_SHOTS) await page.screenshot({ path: `${process.env.E2E_OFFLINE_SHOTS}/offline-fail-${p.name}.png` });
      await page.context().setOffline(false);
    }
  }
  for (const page of pages.values()) await page.context().close();
  assert.deepEqual(failures, []);
});

for (const [locale, viewport] of [['zh-CN', DESKTOP], ['en-US', PHONE]]) {
  test(`a page whose code was never downloaded, opened offline, says so and retries (${locale})`, async () => {
    await setLocale('community1', locale);
    const page = await newPage(browser, viewport);
    await signIn(page, accounts.community1);
    await page.waitForLoadState('networkidle');
    await page.context().setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    // the area board's code has not been downloaded in this browser
    await go(page, '/area');
    const state = page.getByTestId('offline-state').first();
    await state.getByText(OFFLINE[locale]).waitFor();
    const retry = page.getByTestId('page-retry');
    await retry.getByText(locale === 'zh-CN' ? '重试' : 'Retry').waitFor();
    await state.getByText(locale === 'zh-CN' ? '本页的程序尚未下载' : 'This page has not been downloaded yet').waitFor();
    assert.equal(await page.locator('.ant-message-error').count(), 0, 'no error toast');
    assert.deepEqual(page.errors, [], 'no uncaught error');
    // a retry while still offline: still the offline state, not a blank screen
    await retry.click();
    await page.getByTestId('page-retry').waitFor();
    await checkA11y(page, `never-loaded page offline (${locale})`);
    await shot(page, `offline-chunk-${locale}-${viewport === PHONE ? 'phone' : 'desktop'}`);
    // back online: the page opens by itself
    await page.context().setOffline(false);
    await page.getByTestId('area-page').first().waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('page-retry').count(), 0);
    await page.context().close();
  });
}
