// Switch language: labels and server errors change to English and back; the choice is
// remembered before sign-in (localStorage) and per user (PATCH /api/auth/me).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, demoAccount, launch, newPage, shot, signIn , test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

// A click that lands while the dropdown is still animating in can miss its item; the switch
// shows the chosen language's name once it took, so try again until it does.
async function choose(page, label) {
  const menu = page.locator('.ant-dropdown:not(.ant-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    if (!(await menu.isVisible())) await page.getByTestId('lang-switch').click();
    await menu.getByRole('menuitem', { name: label }).click();
    try {
      await page.getByTestId('lang-switch').filter({ hasText: label }).waitFor({ timeout: 4000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  await menu.waitFor({ state: 'hidden' }).catch(() => undefined);
}

test('English on the sign-in page, remembered before sign-in; server errors in English', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/login`);
  await page.getByRole('button', { name: /登\s*录/ }).waitFor();
  await choose(page, 'English');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByTestId('username').fill('center');
  await page.getByTestId('password').fill('wrong-password-1');
  await page.getByTestId('sign-in').click();
  await page.getByTestId('signin-error').getByText('Wrong username or password').waitFor();
  await shot(page, 'desktop-sign-in-en');
  await choose(page, '简体中文');
  await page.getByRole('button', { name: /登\s*录/ }).waitFor();
  await page.context().close();
});

test('switch to English after sign-in: menu, tables and dates change; the user keeps it; back to Chinese', async () => {
  const center = demoAccount('center');
  const page = await newPage(browser);
  await signIn(page, center);
  await page.getByTestId('nav-residents').getByText('居民台账').waitFor();
  await choose(page, 'English');
  await page.getByTestId('nav-residents').getByText('Residents').waitFor();
  await page.getByTestId('nav-places').getByText('Places').waitFor();
  await page.getByRole('columnheader', { name: 'Name' }).first().waitFor();
  await page.getByPlaceholder('Name: any part, pinyin, initials / phone / ID').waitFor();
  await shot(page, 'desktop-residents-en');
  await page.getByTestId('nav-audit').click();
  await page.getByRole('columnheader', { name: 'Time' }).waitFor();
  await page.getByText('Times in China Standard Time (Asia/Shanghai)').waitFor();
  await shot(page, 'desktop-audit-en');
  await page.context().close();

  // a new browser (no localStorage) signs in: the user's language comes from the server
  const again = await newPage(browser);
  await signIn(again, center);
  await again.getByTestId('nav-residents').getByText('Residents').waitFor();
  await choose(again, '简体中文');
  await again.getByTestId('nav-residents').getByText('居民台账').waitFor();
  await again.getByRole('columnheader', { name: '姓名' }).first().waitFor();
  await again.context().close();

  const third = await newPage(browser);
  await signIn(third, center);
  await third.getByTestId('nav-residents').getByText('居民台账').waitFor();
  assert.deepEqual(third.errors, []);
  await third.context().close();
});
