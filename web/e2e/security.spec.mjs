// The console under its own security headers (issue 11): the Content-Security-Policy the server
// sends must not block anything the console or the API documentation needs.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, launch, newPage, signIn, test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

test('no page of the console breaks a rule of its Content-Security-Policy, nor does the API documentation', async () => {
  const page = await newPage(browser);
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|frame|connect)/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  const first = await page.goto(`${BASE}/login`);
  const csp = first.headers()['content-security-policy'];
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.equal(first.headers()['x-content-type-options'], 'nosniff');

  await signIn(page, ADMIN);
  for (const path of ['/residents', '/places', '/testing', '/antigen', '/audit', '/accounts', '/import', '/home']) {
    await page.goto(`${BASE}${path}`);
    await page.waitForLoadState('networkidle').catch(() => undefined);
  }
  await page.goto(`${BASE}/api/docs`);
  await page.locator('.swagger-ui').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
