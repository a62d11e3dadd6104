// Staff accounts: create one (the one-time password is shown once), the new user must change
// it at first sign-in; reset the password; disable the account.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, launch, newPage, shot, signIn , test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const username = `e2e_${Date.now().toString(36)}`;

test('create an account, first sign-in forces a new password, reset and disable', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.getByTestId('nav-accounts').click();
  await page.getByTestId('accounts-table').getByText('grid1').waitFor();
  await shot(page, 'desktop-accounts');

  await page.getByTestId('create-account').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill(username);
  await dialog.getByLabel('姓名').fill('端到端 网格员');
  await dialog.getByLabel('角色').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('网格员', { exact: true }).click();
  await dialog.getByLabel('管辖范围').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(/河西区/).first().click();
  await shot(page, 'desktop-account-create');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();

  const otpBox = page.getByTestId('one-time-password');
  await otpBox.waitFor();
  const otp = (await otpBox.locator('.fk-mono').innerText()).trim();
  assert.ok(otp.length >= 10, 'a one-time password is shown');
  await shot(page, 'desktop-account-otp');
  await page.getByRole('button', { name: '我已记下' }).click();
  await page.getByTestId('accounts-table').getByText(username).waitFor();

  // first sign-in with the one-time password: a new password first, then the console
  const first = await newPage(browser);
  await first.goto(`${BASE}/login`);
  await first.getByTestId('username').fill(username);
  await first.getByTestId('password').fill(otp);
  await first.getByTestId('sign-in').click();
  await first.waitForURL(/\/password/);
  const form = first.getByTestId('password-form');
  await form.getByLabel('当前密码').fill(otp);
  await form.getByLabel('新密码', { exact: true }).fill('short1');
  await form.getByLabel('确认新密码').fill('short1');
  await form.getByRole('button', { name: '修改密码' }).click();
  await form.locator('.ant-form-item-explain-error').first().waitFor();
  await shot(first, 'desktop-password-forced');
  await form.getByLabel('新密码', { exact: true }).fill('E2e-new-password-1');
  await form.getByLabel('确认新密码').fill('E2e-new-password-1');
  await form.getByRole('button', { name: '修改密码' }).click();
  await first.waitForURL(/\/residents/);
  await first.getByTestId('user-meta').getByText('网格员').waitFor();
  await first.context().close();

  // reset the password: a new one-time password, once
  const row = page.getByTestId('accounts-table').locator('tr', { hasText: username });
  await row.getByTestId(`account-more-${username}`).click();
  await page.getByRole('menuitem', { name: '重置密码' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '重置密码' }).click();
  await page.getByTestId('one-time-password').waitFor();
  await page.getByRole('button', { name: '我已记下' }).click();
  await row.getByText('待改密码').waitFor();

  // disable
  await row.getByTestId(`account-more-${username}`).click();
  await page.getByRole('menuitem', { name: /停\s*用/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: /停\s*用/ }).click();
  await row.getByText('已停用').waitFor();
  await page.context().close();
});
