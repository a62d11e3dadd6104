// Layout and the small things a newcomer trips on (issue 12, 4): the residents list in English at
// 1440 px (headers on one line, nothing clipped, the toolbar on one row, a total); phone tables that
// say they scroll; the audit log in words; one time format; the sign-in page's language kept;
// a one-community officer's campaign owned by that community by default.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, newPage, shot, signIn, test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
// Signing in from an English page makes English the account's language (the sign-in page's
// choice wins): every account this spec signs in gets its Chinese back for the specs after it.
after(async () => {
  await browser?.close();
  for (const account of [ADMIN, demoAccount('street1'), demoAccount('community1')]) await resetLocale(account).catch(() => undefined);
});

/** A page whose browser chose `locale` before signing in. */
/** Gives an account back its Chinese (the later specs read the console in Chinese). */
async function resetLocale(account) {
  const c = await api(account);
  await c.patch('/api/auth/me', { locale: 'zh-CN' });
  await c.dispose();
}

async function pageIn(locale, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  await page.addInitScript((l) => localStorage.setItem('fk.locale', l), locale);
  return page;
}

test('residents in English at 1440 px: one-line headers, nothing clipped, one toolbar row, a total', async () => {
  const page = await pageIn('en-US');
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/residents`);
  const table = page.getByTestId('residents-table');
  await table.getByTestId('resident-link').first().waitFor();
  await shot(page, 'desktop-residents-en-1440');
  // every header on one line
  const wrapped = await table.locator('thead th').evaluateAll((ths) =>
    ths.filter((th) => th.textContent.trim()).filter((th) => {
      const lh = parseFloat(getComputedStyle(th).lineHeight) || 22;
      const pad = parseFloat(getComputedStyle(th).paddingTop) + parseFloat(getComputedStyle(th).paddingBottom);
      return th.clientHeight - pad > lh * 1.5;
    }).map((th) => th.textContent.trim()),
  );
  assert.deepEqual(wrapped, [], `headers wrap: ${wrapped.join(', ')}`);
  // no cell clips what it holds (the address column ellipsises on purpose, with a tooltip)
  const clipped = await table.locator('tbody td:not(.ant-table-cell-ellipsis)').evaluateAll((tds) =>
    tds
      .filter((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const content = range.getBoundingClientRect();
        const cell = td.getBoundingClientRect();
        const viewport = td.closest('.ant-table-content, .ant-table-body').getBoundingClientRect();
        // past the cell's own edge, or past the visible part of the table (scrolled out of sight)
        return content.right > cell.right + 1 || cell.right > viewport.right + 1;
      })
      .map((td) => {
        const v = td.closest('.ant-table-content, .ant-table-body');
        return `${td.textContent.trim()} (${Math.round(td.getBoundingClientRect().right - v.getBoundingClientRect().right)}px past the table's edge; table ${v.scrollWidth}/${v.clientWidth})`;
      })
      .slice(0, 5),
  );
  // and no cell breaks onto a second line (Female · 36)
  const tall = await table.locator('tbody tr.ant-table-row').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().height > 48).length);
  assert.equal(tall, 0, `${tall} rows wrap onto a second line`);
  const widths = await table.locator('thead th').evaluateAll((ths) => ths.map((th) => `${th.textContent.trim()}=${Math.round(th.getBoundingClientRect().width)}`).join(' '));
  assert.deepEqual(clipped, [], `cells clipped: ${clipped.join(' | ')}; columns ${widths}`);
  // the toolbar is one row: the export button sits level with the search box
  const top = async (loc) => (await loc.boundingBox()).y;
  assert.ok(Math.abs((await top(page.getByTestId('export'))) - (await top(page.getByTestId('resident-search')))) < 8, 'the export button dropped to a second line');
  // the total: what the server counts for the same search
  const admin = await api(ADMIN);
  const { total } = await admin.get('/api/residents?limit=1');
  await admin.dispose();
  assert.ok(total > 1);
  await page.getByTestId('residents-total').getByText(`${total.toLocaleString('en-US')} residents`).waitFor();
  await page.context().close();
});

test('the sign-in page language wins over the account one, and becomes the account one', async () => {
  const account = demoAccount('street1');
  const c = await api(account);
  await c.patch('/api/auth/me', { locale: 'zh-CN' });
  const page = await pageIn('en-US');
  await page.goto(`${BASE}/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await signIn(page, account);
  await page.waitForTimeout(800);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en-US');
  await page.getByTestId('nav-residents').getByText('Residents').waitFor();
  assert.equal((await c.get('/api/auth/me')).user.locale, 'en-US');
  await page.context().close();
  await c.patch('/api/auth/me', { locale: 'zh-CN' });
  await c.dispose();
});

for (const locale of ['zh-CN', 'en-US']) {
  test(`the audit log in words (${locale}): no action codes, details as labelled fields`, async () => {
    const admin = await api(ADMIN);
    await admin.patch('/api/auth/me', { locale }); // leaves a user.settings record, detail { locale }
    const page = await pageIn(locale);
    await signIn(page, ADMIN);
    await page.goto(`${BASE}/audit`);
    const table = page.getByTestId('audit-table');
    await table.getByTestId('audit-action').first().waitFor();
    const actions = await table.getByTestId('audit-action').allTextContents();
    const raw = actions.filter((a) => /^[a-z_]+\.[a-z_]+$/.test(a.trim()));
    assert.deepEqual(raw, [], `raw action codes shown: ${raw.join(', ')}`);
    const details = await table.getByTestId('audit-detail').allTextContents();
    assert.ok(details.length > 0);
    assert.ok(!details.some((d) => /[{}"]/.test(d)), `raw JSON in a detail: ${details.find((d) => /[{}"]/.test(d))}`);
    const texts = JSON.parse(fs.readFileSync(new URL(`../src/i18n/${locale}.json`, import.meta.url), 'utf8')).audit;
    const settings = [texts.action.user_settings, `${texts.field.locale} ${locale === 'en-US' ? 'English' : '简体中文'}`];
    const row = table.locator('tbody tr').filter({ hasText: settings[0] }).first();
    await row.getByTestId('audit-detail').getByText(settings[1]).waitFor();
    // times to the minute, like the rest of the console
    const time = (await table.locator('tbody tr.ant-table-row td').first().textContent()).trim();
    assert.match(time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await shot(page, `desktop-audit-words-${locale}`);
    // the page first: an open console may still save its language to the account after our reset
    await page.context().close();
    await admin.patch('/api/auth/me', { locale: 'zh-CN' });
    await admin.dispose();
  });
}

test('a one-community officer: the new campaign is owned by that community; times in one format', async () => {
  const officer = demoAccount('community1');
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.goto(`${BASE}/testing`);
  const c = await api(officer);
  const [root] = (await c.get('/api/places/roots')).items;
  const campaigns = await c.get('/api/campaigns');
  await c.dispose();
  assert.equal(root.kind, 'community');
  await page.getByTestId('new-campaign-button').click();
  const form = page.getByTestId('campaign-form');
  await form.waitFor();
  await form.getByText(`${root.name}（`).first().waitFor();
  await shot(page, 'desktop-campaign-new-owner');
  await page.keyboard.press('Escape');
  // the campaign page header and the campaigns list write a time the same way (to the minute)
  const first = (campaigns.items ?? campaigns)[0];
  await page.goto(`${BASE}/testing/${first.id}`);
  await page.getByTestId('campaign-title').waitFor();
  const header = await page.getByTestId('campaign-title').locator('xpath=../..').textContent();
  assert.ok(!/\d{2}:\d{2}:\d{2}/.test(header), `seconds in the campaign header: ${header}`);
  assert.match(header, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await page.context().close();
});

const PHONE_TABLES = [
  { name: 'places', path: '/places', who: ADMIN },
  { name: 'accounts', path: '/accounts', who: ADMIN },
  { name: 'audit', path: '/audit', who: ADMIN },
];
for (const locale of ['zh-CN', 'en-US']) {
  test(`phone tables (${locale}): every column reachable, and the table says it scrolls`, async () => {
    const page = await pageIn(locale, PHONE);
    await signIn(page, ADMIN);
    for (const p of PHONE_TABLES) {
      await page.goto(BASE + p.path);
      const table = page.locator('.ant-table').first();
      await table.locator('tbody tr.ant-table-row').first().waitFor();
      await page.waitForTimeout(300);
      await shot(page, `phone-${p.name}-${locale}`);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(sideways <= 1, `${p.name}: the page scrolls sideways by ${sideways}px`);
      const overflows = await table.evaluate((t) => {
        const c = t.querySelector('.ant-table-content, .ant-table-body');
        return c ? c.scrollWidth > c.clientWidth + 1 : false;
      });
      if (overflows) await page.getByTestId('scroll-hint').first().waitFor({ timeout: 3000 }).catch(() => assert.fail(`${p.name}: the table scrolls sideways with no hint`));
    }
    await page.context().close();
  });
}
