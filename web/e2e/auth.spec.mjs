// Sign in, wrong password, sign out, and a lost session that returns the user to where they were.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, PHONE, launch, newPage, pickFromMenu, shot, signIn, test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

test('sign-in page in Chinese, wrong password shows the server message, then sign in', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/`);
  await page.waitForURL(/\/login/);
  await page.getByRole('heading', { name: '社区防控平台' }).waitFor();
  await shot(page, 'desktop-sign-in');

  await page.getByTestId('username').fill(ADMIN.username);
  await page.getByTestId('password').fill('not-the-password-1');
  await page.getByTestId('sign-in').click();
  await assert.doesNotReject(page.getByTestId('signin-error').getByText('用户名或密码错误').waitFor());

  await page.getByTestId('password').fill(ADMIN.password);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/residents/);
  await page.getByTestId('user-meta').getByText('系统管理员').waitFor();
  // every registry workflow is in the menu for an administrator
  for (const key of ['residents', 'places', 'import', 'accounts', 'audit']) await page.getByTestId(`nav-${key}`).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('sign-in page on a phone', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(`${BASE}/login`);
  await page.getByTestId('sign-in').waitFor();
  await shot(page, 'phone-sign-in');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'the sign-in page must not scroll sideways on a phone');
  await page.context().close();
});

test('a lost session goes to sign-in with a message, then back to the same page', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/audit`);
  await page.getByTestId('audit-table').waitFor();
  // the session ends on the server side (cookie gone): the next API call answers 401
  await page.context().clearCookies();
  await page.getByTestId('nav-accounts').click();
  await page.waitForURL(/\/login\?next=/);
  await page.getByTestId('signin-notice').waitFor();
  assert.match(decodeURIComponent(page.url()), /next=\/accounts/);
  await page.getByTestId('username').fill(ADMIN.username);
  await page.getByTestId('password').fill(ADMIN.password);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/accounts$/);
  await page.getByTestId('accounts-table').waitFor();
  await page.context().close();
});

test('sign out', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await pickFromMenu(page, page.getByTestId('user-menu'), '退出登录', () =>
    page.getByRole('dialog').waitFor({ timeout: 4000 }),
  );
  await page.getByRole('dialog').getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/login/);
  // and the session is really gone
  await page.goto(`${BASE}/residents`);
  await page.waitForURL(/\/login\?next=%2Fresidents/);
  await page.context().close();
});
