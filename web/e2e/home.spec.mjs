// The residents' home (issue 13): on a phone (390×844) a resident signs in with the code the
// development SMS page shows an admin, sees their personal code (a green code, nothing against it), reports an
// antigen result and finds it in the results, gets an in-app notice an officer sends (live),
// reads it, switches to English and Korean, acts for a household member, signs out; then the
// household card's link signs in, an officer rotates the codes (lost card) and the old link says
// the card was replaced; a phone that has been there reopens offline with the last code and its colour. axe on
// every screen; screenshots in zh-CN, en-US and ko-KR to E2E_HOME_SHOTS (default /work/shots/home).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, makeId, newPage, signIn, test, uniqueSeq } from './helpers.mjs';
import { checkA11y } from './axe.mjs';

const OFFICER = demoAccount('community1');
const SHOTS = process.env.E2E_HOME_SHOTS ?? '/work/shots/home';
mkdirSync(SHOTS, { recursive: true });
let browser;
let admin;
let officer;
let household;
let me;
const phone = `139${String(Date.now()).slice(-8)}`;

async function homeShot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** No element wider than the phone: nothing clipped sideways. */
async function noSideways(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 1, `${what} scrolls sideways by ${wide}px`);
}

async function chooseLanguage(page, name) {
  await page.getByTestId('home-lang').click();
  await page.locator('.ant-dropdown-menu-item').filter({ hasText: name }).click();
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  officer = await api(OFFICER);
  const officerMe = (await officer.get('/api/auth/me')).user;
  const compounds = (await officer.get(`/api/places/${officerMe.placeId}/children`)).items.filter((p) => p.kind === 'compound' && p.residents > 0);
  for (const c of compounds) {
    const { items } = await officer.get(`/api/households?placeId=${c.id}&limit=50`);
    const h = items.find((x) => x.residentCount >= 2);
    if (h) {
      household = h;
      break;
    }
  }
  assert.ok(household, 'the officer’s community has a household of two or more');
  const seq = 500 + (uniqueSeq() % 400);
  me = (await officer.post('/api/residents', { householdId: household.id, name: '居民端测试', idNumber: makeId('110101', '19850505', seq), phone })).resident;
});
after(async () => {
  await officer?.dispose();
  await admin?.dispose();
  await browser?.close();
});

test('a resident signs in with the SMS code, sees their code, results and a live notice, in three languages, acts for a member, signs out', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(`${BASE}/home`);
  await page.getByTestId('home-sign-in').waitFor();
  await homeShot(page, 'sign-in-zh-CN');
  await checkA11y(page, 'home sign-in');
  await noSideways(page, 'the sign-in');

  // a wrong number shape is caught on the phone
  await page.getByTestId('home-phone').fill('12345');
  await page.getByTestId('home-send').click();
  await page.getByTestId('home-phone-error').getByText('请输入 11 位手机号').waitFor();

  await page.getByTestId('home-phone').fill(phone);
  await page.getByTestId('home-send').click();
  await page.getByTestId('home-sent').waitFor();
  assert.match(await page.getByTestId('home-send').textContent(), /\d+ 秒后可重新获取/);
  assert.equal(await page.getByTestId('home-send').isDisabled(), true, 'the resend waits for the countdown');

  // the code, as the development SMS page shows it to an admin
  const desk = await newPage(browser, DESKTOP);
  await signIn(desk, ADMIN);
  await desk.goto(`${BASE}/dev-sms`);
  await desk.getByTestId('dev-sms-filter').locator('input').fill(phone);
  await desk.getByTestId('dev-sms-filter').locator('input').press('Enter');
  let code;
  for (let i = 0; i < 40 && !code; i++) {
    const texts = await desk.getByTestId('dev-sms-text').allTextContents();
    code = texts.map((t) => /\b(\d{6})\b/.exec(t)?.[1]).find(Boolean);
    if (!code) {
      await desk.waitForTimeout(750);
      await desk.getByRole('button', { name: /刷\s?新/ }).click();
    }
  }
  assert.ok(code, 'the development SMS page shows the sign-in code');
  await desk.close();

  // a wrong code first: said in the resident's language
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByTestId('home-otp').fill(wrong);
  await page.getByTestId('home-submit').click();
  await page.getByTestId('home-code-error').getByText('验证码不正确').waitFor();
  await homeShot(page, 'sign-in-wrong-zh-CN');
  await page.getByTestId('home-otp').fill(code);
  await page.getByTestId('home-submit').click();

  await page.getByTestId('home-code').waitFor();
  assert.equal(await page.getByTestId('home-code-name').textContent(), '居民端测试');
  assert.match(await page.getByTestId('home-code-text').textContent(), /^FK1\./);
  await page.getByTestId('home-qr').waitFor();
  // a new resident with no facts against them: a green code, said in words, with nothing to explain
  await page.getByTestId('home-colour-label').getByText('绿码').waitFor();
  assert.equal(await page.getByTestId('home-colour').getAttribute('data-colour'), 'green');
  await page.getByTestId('home-colour-none').getByText('没有影响码色的记录。').waitFor();
  assert.equal(await page.getByTestId('home-colour-reason').count(), 0);
  await homeShot(page, 'code-zh-CN');
  await checkA11y(page, 'home code');
  await noSideways(page, 'the code tab');

  // an antigen self-report from the tab, then the results show it with its date
  await page.getByTestId('home-tab-antigen').click();
  await page.getByTestId('home-antigen').waitFor();
  await page.getByTestId('home-antigen-negative').click();
  await page.getByTestId('home-antigen-time').selectOption('2');
  await page.getByTestId('home-antigen-submit').click();
  await page.getByTestId('home-antigen-done').getByText(/已上报：阴性/).waitFor();
  await page.getByTestId('home-antigen-item').first().waitFor();
  await homeShot(page, 'antigen-zh-CN');
  await checkA11y(page, 'home antigen');

  await page.getByTestId('home-tab-results').click();
  const result = page.getByTestId('home-result').first();
  await result.waitFor();
  assert.match(await result.textContent(), /抗原.*\d{4}-\d\d-\d\d \d\d:\d\d.*阴性/);
  await homeShot(page, 'results-zh-CN');
  await checkA11y(page, 'home results');

  // an officer sends an in-app notice to the household's place: it arrives live (SSE)
  await page.getByTestId('home-tab-notices').click();
  await page.getByTestId('home-notices').waitFor();
  const sent = await officer.post('/api/notices', {
    key: randomUUID(),
    placeId: household.placeId,
    channels: ['inapp'],
    texts: { 'zh-CN': '{name}您好：明早 8 点在小区广场核酸检测。', 'en-US': 'Hello {name}: PCR testing at the square tomorrow at 8.', 'ko-KR': '{name} 님, 내일 아침 8시 광장에서 PCR 검사가 있습니다.' },
  });
  assert.ok(sent.recipients >= 2);
  const notice = page.getByTestId('home-notice').filter({ hasText: '明早 8 点在小区广场核酸检测' }).first();
  await notice.waitFor({ timeout: 20_000 });
  await notice.getByTestId('home-notice-unread').waitFor();
  await page.getByTestId('home-unread-badge').waitFor();
  await homeShot(page, 'notices-zh-CN');
  await checkA11y(page, 'home notices');
  await notice.locator('button').click();
  await notice.getByTestId('home-notice-unread').waitFor({ state: 'detached' });

  // English, then Korean: saved on the resident
  await chooseLanguage(page, 'English');
  await page.getByTestId('home-tab-code').getByText('Code').waitFor();
  await page.getByTestId('home-tab-code').click();
  await page.getByTestId('home-colour-label').getByText('Green code').waitFor();
  await page.getByTestId('home-colour-none').getByText('Nothing affects your colour.').waitFor();
  await homeShot(page, 'code-en-US');
  for (const tab of ['results', 'notices', 'antigen']) {
    await page.getByTestId(`home-tab-${tab}`).click();
    await page.getByTestId(`home-${tab === 'antigen' ? 'antigen' : tab}`).waitFor();
    await homeShot(page, `${tab}-en-US`);
  }
  await chooseLanguage(page, '한국어');
  await page.getByTestId('home-tab-code').getByText('코드').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko-KR');
  await checkA11y(page, 'home in Korean');
  for (const tab of ['results', 'notices', 'antigen']) {
    await page.getByTestId(`home-tab-${tab}`).click();
    await page.getByTestId(`home-${tab}`).waitFor();
    await homeShot(page, `${tab}-ko-KR`);
    await noSideways(page, `the ${tab} tab in Korean`);
  }
  await page.getByTestId('home-tab-code').click();
  await page.getByTestId('home-code').waitFor();
  await homeShot(page, 'code-ko-KR');
  const saved = await page.evaluate(() => fetch('/api/portal/me').then((r) => r.json()));
  assert.equal(saved.resident.language, 'ko-KR');

  // 家属代办: act for another member of the household, with a banner and a way back
  await page.getByTestId('home-tab-household').click();
  await page.getByTestId('home-household').waitFor();
  await homeShot(page, 'household-ko-KR');
  await chooseLanguage(page, '简体中文');
  await page.getByTestId('home-tab-household').getByText('家庭').waitFor();
  await homeShot(page, 'household-zh-CN');
  await checkA11y(page, 'home household');
  const other = saved.household.members.find((m) => !m.isSelf);
  await page.getByTestId('home-member').filter({ hasText: other.name }).getByTestId('home-act-for').click();
  await page.getByTestId('home-acting').getByText(`正在为 ${other.name} 代办`).waitFor();
  assert.equal(await page.getByTestId('home-code-name').textContent(), other.name);
  await homeShot(page, 'acting-zh-CN');
  await checkA11y(page, 'home acting for');
  await page.getByTestId('home-acting-back').click();
  await page.getByTestId('home-acting').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('home-code-name').textContent(), '居民端测试');
  await chooseLanguage(page, 'English');
  await page.getByTestId('home-tab-household').click();
  await homeShot(page, 'household-en-US');

  await page.getByTestId('home-sign-out').click();
  await page.getByTestId('home-sign-in').waitFor();
  await homeShot(page, 'sign-in-en-US');
  await chooseLanguage(page, '한국어');
  await page.getByTestId('home-sign-in').getByText('주민 로그인').waitFor();
  await homeShot(page, 'sign-in-ko-KR');
  const gone = await page.evaluate(() => fetch('/api/portal/me').then((r) => r.status));
  assert.equal(gone, 401);
  assert.deepEqual(page.errors, []);
});

test('the household card link signs in; after a rotation the old link says the card was replaced; offline the last code opens', async () => {
  const card = await admin.get(`/api/households/${household.id}/card`);
  const old = card.members.find((m) => m.id === me.id).code;

  const phonePage = await newPage(browser, PHONE, { serviceWorkers: 'allow' });
  await phonePage.goto(`${BASE}/home/card#${encodeURIComponent(old)}`);
  await phonePage.waitForURL(`${BASE}/home`);
  await phonePage.getByTestId('home-code').waitFor();
  assert.equal(await phonePage.getByTestId('home-code-text').textContent(), old);

  // the console prints card QRs that open /home/card#<code>
  const desk = await newPage(browser, DESKTOP);
  await signIn(desk, OFFICER);
  await desk.goto(`${BASE}/households/${household.id}`);
  await desk.getByTestId('rotate-codes').click();
  await desk.getByTestId('rotate-ok').click();
  await desk.getByText('请填写原因').waitFor();
  await desk.getByTestId('rotate-reason').fill('户卡遗失');
  await desk.waitForTimeout(300);
  await desk.screenshot({ path: path.join(SHOTS, 'console-rotate-zh-CN.png') });
  await checkA11y(desk, 'rotate dialog');
  await desk.getByTestId('rotate-ok').click();
  await desk.waitForURL(/\/households\/\d+\/card$/);
  await desk.getByTestId('card-qr').first().waitFor();
  const fresh = (await admin.get(`/api/households/${household.id}/card`)).members.find((m) => m.id === me.id).code;
  assert.notEqual(fresh, old);
  await desk.close();

  // the old link: revoked, ask the community
  const stale = await newPage(browser, PHONE);
  await stale.goto(`${BASE}/home/card#${encodeURIComponent(old)}`);
  await stale.getByTestId('home-card-revoked').getByText('这张户卡已停用').waitFor();
  await homeShot(stale, 'card-revoked-zh-CN');
  await checkA11y(stale, 'card revoked');
  await stale.close();

  // the phone signed in before is now out of date; it signs in with the new card and goes offline
  await phonePage.goto(`${BASE}/home/card#${encodeURIComponent(fresh)}`);
  await phonePage.waitForURL(`${BASE}/home`);
  await phonePage.getByTestId('home-code-text').getByText(fresh).waitFor();
  await phonePage.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await phonePage.reload();
  await phonePage.getByTestId('home-code-text').getByText(fresh).waitFor();
  await phonePage.waitForTimeout(500);
  await phonePage.context().setOffline(true);
  await phonePage.reload();
  await phonePage.getByTestId('home-offline').waitFor();
  assert.equal(await phonePage.getByTestId('home-code-text').textContent(), fresh);
  // the colour was kept with the code (in the resident's language, English by now), and says when the phone last had it
  await phonePage.locator('[data-testid="home-colour"][data-colour="green"]').waitFor();
  assert.match(await phonePage.getByTestId('home-colour-updated').textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d/);
  await homeShot(phonePage, 'offline-zh-CN');
  await checkA11y(phonePage, 'home offline');
  await phonePage.context().setOffline(false);
});
