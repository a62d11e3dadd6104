// The development SMS page: the administrator finds it in the menu; with no SMS centre
// configured (the e2e server has none) its banner says plainly that nothing was sent; other
// roles have no menu entry and the route refuses them.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, demoAccount, launch, newPage, shot, signIn, test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

test('the administrator opens the development SMS page from the menu; it says nothing was sent', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.getByTestId('nav-devSms').click();
  await page.waitForURL(/\/dev-sms/);
  const banner = page.getByTestId('dev-sms-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /没有发出/);
  await page.getByRole('columnheader', { name: '手机号' }).waitFor();
  await shot(page, 'desktop-dev-sms');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a community officer has no development SMS page', async () => {
  const officer = demoAccount('community1');
  const page = await newPage(browser);
  await signIn(page, officer);
  assert.equal(await page.getByTestId('nav-devSms').count(), 0);
  await page.context().close();
  const o = await api(officer);
  await assert.rejects(o.get('/api/dev-sms'), /→ 403/);
  await o.dispose();
});
