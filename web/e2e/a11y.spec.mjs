// Accessibility: every page of the console and the resident-facing pages, in zh-CN and en-US,
// through axe-core (e2e/axe.mjs): zero critical and zero serious violations, one h1 per page and
// no landmark nested in another. A new page is checked by adding one line to PAGES.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, DESKTOP, PHONE, demoAccount, launch, newPage, pageSweepIds, shot, signIn, test } from './helpers.mjs';
import { checkA11y, describeViolations } from './axe.mjs';

// who: the account that opens it (null: no sign-in); path may use the ids found in before()
const PAGES = [
  { name: 'sign-in', path: '/login', who: null },
  { name: 'home', path: '/home', who: null },
  { name: 'residents', path: '/residents', who: 'admin' },
  { name: 'resident-new', path: '/residents/new', who: 'admin' },
  { name: 'resident', path: (ids) => `/residents/${ids.resident}`, who: 'admin' },
  { name: 'resident-edit', path: (ids) => `/residents/${ids.resident}/edit`, who: 'admin' },
  { name: 'household', path: (ids) => `/households/${ids.household}`, who: 'admin' },
  { name: 'household-card', path: (ids) => `/households/${ids.household}/card`, who: 'admin' },
  { name: 'places', path: '/places', who: 'admin' },
  { name: 'place', path: (ids) => `/places/${ids.place}`, who: 'admin' },
  { name: 'import', path: '/import', who: 'admin' },
  { name: 'accounts', path: '/accounts', who: 'admin' },
  { name: 'audit', path: '/audit', who: 'admin' },
  { name: 'dev-sms', path: '/dev-sms', who: 'admin' },
  { name: 'password', path: '/password', who: 'admin' },
  { name: 'not-found', path: '/no-such-page', who: 'admin' },
  { name: 'campaigns', path: '/testing', who: 'community1' },
  ...['overview', 'sites', 'schedule', 'coverage', 'handover', 'results', 'recalls'].map((tab) => ({
    name: `campaign-${tab}`,
    path: (ids) => `/testing/${ids.campaign}?tab=${tab}`,
    who: 'community1',
  })),
  { name: 'antigen', path: '/antigen', who: 'community1' },
  { name: 'notices', path: '/notices', who: 'community1' },
  { name: 'notice-new', path: '/notices/new', who: 'community1' },
  { name: 'zones', path: '/zones', who: 'admin' },
  { name: 'zone-policies', path: '/zones/policies', who: 'admin' },
  { name: 'colour-appeals', path: '/colour-appeals', who: 'community1' },
  { name: 'colour-rules', path: '/colour-rules', who: 'admin' },
  { name: 'lane', path: '/lane', who: 'sampler1' },
];

const LOCALES = ['zh-CN', 'en-US'];
let browser;
const ids = {};
const accounts = { admin: ADMIN, community1: demoAccount('community1'), sampler1: demoAccount('sampler1') };

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

for (const locale of LOCALES) {
  test(`axe: every page in ${locale}, zero critical and serious`, async () => {
    const failures = [];
    const pages = new Map(); // one signed-in browser context per account
    const pageFor = async (who) => {
      if (pages.has(who)) return pages.get(who);
      const page = await newPage(browser, DESKTOP);
      // the language as chosen before signing in (the sign-in page's switch keeps it here)
      await page.addInitScript((l) => localStorage.setItem('fk.locale', l), locale);
      if (who) await signIn(page, accounts[who]);
      pages.set(who, page);
      return page;
    };
    for (const p of PAGES) {
      const page = await pageFor(p.who);
      await page.goto(BASE + (typeof p.path === 'function' ? p.path(ids) : p.path));
      await page.waitForFunction((l) => document.documentElement.lang === l, locale);
      const label = `${p.name} (${locale})`;
      try {
        const rest = await checkA11y(page, label);
        const h1 = await page.locator('h1').count();
        if (h1 !== 1) failures.push(`${label}: ${h1} h1 elements, one expected`);
        const nested = rest.filter((v) => ['landmark-main-is-top-level', 'landmark-no-duplicate-main', 'page-has-heading-one'].includes(v.id));
        if (nested.length) failures.push(`${label}: landmarks\n${describeViolations(nested)}`);
      } catch (err) {
        failures.push(err.message);
      }
      await shot(page, `a11y-desktop-${p.name}-${locale}`);
    }
    for (const page of pages.values()) await page.context().close();
    assert.equal(failures.length, 0, `\n${failures.join('\n')}`);
  });
}

// The same pages on a phone, in both languages: screenshots to look at (a11y-phone-*.png).
test('every page on a phone, both languages: screenshots, no sideways scroll of the page', async () => {
  const wide = [];
  for (const locale of LOCALES) {
    const pages = new Map();
    for (const p of PAGES) {
      let page = pages.get(p.who);
      if (!page) {
        page = await newPage(browser, PHONE);
        await page.addInitScript((l) => localStorage.setItem('fk.locale', l), locale);
        if (p.who) await signIn(page, accounts[p.who]);
        pages.set(p.who, page);
      }
      await page.goto(BASE + (typeof p.path === 'function' ? p.path(ids) : p.path));
      await shot(page, `a11y-phone-${p.name}-${locale}`);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (sideways > 1) wide.push(`${p.name} (${locale}): ${sideways}px`);
    }
    for (const page of pages.values()) await page.context().close();
  }
  assert.deepEqual(wide, [], `pages that scroll sideways on a phone: ${wide.join(', ')}`);
});
