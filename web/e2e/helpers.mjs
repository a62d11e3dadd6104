// Shared pieces for the end-to-end specs: browser, sign-in, screenshots, API calls, ID numbers.
import path from 'node:path';
import { test as nodeTest } from 'node:test';
import { chromium, request as pwRequest } from 'playwright-core';

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000';
export const ADMIN = { username: 'admin', password: process.env.E2E_ADMIN_PASSWORD ?? 'Admin-pass-2026' };
const demo = JSON.parse(process.env.E2E_DEMO_ACCOUNTS || '{}');
export function demoAccount(username) {
  return { username, password: demo[username] ?? 'Fangkong-2026' };
}
const SHOTS = process.env.E2E_SCREENSHOTS ?? path.resolve(import.meta.dirname, '../../artifacts/screenshots');

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh context (no cookies, no storage) at the desktop or phone size. Service workers are
 * blocked (a cached shell would hide a stale build) unless `serviceWorkers: 'allow'`.
 */
export async function newPage(browser, viewport = DESKTOP, { serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    serviceWorkers,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}

const openPages = new Set();

/** node:test's test(), plus a screenshot of every open page when it fails (failed-*.png). */
export function test(name, fn) {
  return nodeTest(name, async (t) => {
    try {
      await fn(t);
    } catch (err) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
      let i = 0;
      for (const page of openPages) {
        await page.screenshot({ path: path.join(SHOTS, `failed-${slug}-${i++}.png`) }).catch(() => undefined);
      }
      throw err;
    }
  });
}

export async function signIn(page, { username, password }) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  // the console's header, or the full-screen lane page where a sampler lands
  await page.locator('[data-testid="user-menu"], [data-testid="lane-page"]').first().waitFor();
}

/** Waits for network calls and the antd fade-ins to settle, then saves the screenshot. */
export async function shot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** An API client signed in as someone (its own cookie jar). */
export async function api(account) {
  const ctx = await pwRequest.newContext({ baseURL: BASE, extraHTTPHeaders: { 'Accept-Language': 'zh-CN' } });
  const res = await ctx.post('/api/auth/login', { data: account });
  if (!res.ok()) throw new Error(`API sign-in as ${account.username} failed: ${res.status()} ${await res.text()}`);
  const call = async (method, url, data) => {
    const r = await ctx.fetch(url, { method, data });
    const body = await r.json().catch(() => null);
    if (!r.ok()) throw new Error(`${method} ${url} → ${r.status()} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    get: (url) => call('GET', url),
    post: (url, data) => call('POST', url, data),
    patch: (url, data) => call('PATCH', url, data),
    dispose: () => ctx.dispose(),
  };
}

// GB 11643 citizen ID numbers: 6-digit region, 8-digit birth date, 3-digit sequence, check digit.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
export function checkDigit(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}
export function makeId(region, birth, seq) {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}
/** The same number with a wrong check digit. */
export function breakChecksum(id) {
  const right = id[17];
  const wrong = CHECK[(CHECK.indexOf(right) + 1) % 11];
  return id.slice(0, 17) + wrong;
}
/** A mainland ID as the server shows it to a role without the reveal right (a sampler): region and the last two. */
export function narrowMasked(id) {
  return `${id.slice(0, 6)}${'*'.repeat(10)}${id.slice(-2)}`;
}

export function masked(id) {
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}
/** A run-unique sequence so reruns against the same database do not collide. */
export function uniqueSeq() {
  return (Date.now() % 900) + 1;
}

/**
 * Opens a dropdown and clicks one of its items, then waits for `done`. An antd dropdown that is
 * still fading in can swallow the click on a slow machine, so a missed click is retried (3 tries).
 */
export async function pickFromMenu(page, trigger, item, done) {
  const menu = page.locator('.ant-dropdown:not(.ant-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    if (!(await menu.isVisible())) await trigger.click();
    await menu.getByRole('menuitem', { name: item }).click();
    try {
      await done();
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/**
 * For specs that sweep the console's pages: the ids their paths use (a resident and its household,
 * a root place, the community officer's campaign), read as the administrator and `community1`, and
 * each account's saved language, which the returned `restore` puts back after the spec.
 */
export async function pageSweepIds(accounts) {
  const ids = {};
  const admin = await api(ADMIN);
  const { items: residents } = await admin.get('/api/residents?limit=1');
  ids.resident = residents[0].id;
  ids.household = residents[0].householdId;
  const roots = await admin.get('/api/places/roots');
  ids.place = (roots.items ?? roots)[0].id;
  await admin.dispose();
  const officer = await api(accounts.community1);
  const campaigns = await officer.get('/api/campaigns');
  ids.campaign = (campaigns.items ?? campaigns)[0].id;
  await officer.dispose();
  const saved = {};
  for (const [key, account] of Object.entries(accounts)) {
    const c = await api(account);
    saved[key] = (await c.get('/api/auth/me')).user.locale;
    await c.dispose();
  }
  const restore = async () => {
    for (const [key, account] of Object.entries(accounts)) {
      const c = await api(account);
      await c.patch('/api/auth/me', { locale: saved[key] ?? 'zh-CN' }).catch(() => undefined);
      await c.dispose();
    }
  };
  return { ids, restore };
}
