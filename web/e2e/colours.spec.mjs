// Personal code colours (码色): a new resident of the demo community signs in to the home by their
// household card (as home.spec.mjs does) and sees a green code with nothing against it; they
// report a positive antigen self-test and see yellow with the rule's plain words and date, in
// zh-CN, en-US and ko-KR; the community officer finds the reason on the resident's page (rule,
// version, date) and overrides the colour to red with a reason; the resident sees red with that
// reason and its expiry, and appeals; the officer answers "changed" to green on the appeals page
// (the answered list shows it); the resident sees green and the answer; the officer revokes the
// override and the rules' colour is back. The rules page: read-only for the officer, edited by the
// administrator (a new version, put back after) with a rule switched on and off again. axe on
// every screen; screenshots desktop and phone, zh-CN and en-US (the home in ko-KR too), to
// E2E_COLOURS_SHOTS (default /work/shots/colours).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { ADMIN, BASE, DESKTOP, PHONE, api, demoAccount, launch, makeId, newPage, pickFromMenu, signIn, test, uniqueSeq } from './helpers.mjs';
import { checkA11y } from './axe.mjs';

const OFFICER = demoAccount('community1');
const SHOTS = process.env.E2E_COLOURS_SHOTS ?? '/work/shots/colours';
mkdirSync(SHOTS, { recursive: true });
const NAME = '码色测试';
const OVERRIDE_REASON = '与确诊病例同楼栋，等待核酸复核';
const APPEAL_TEXT = '我 5 月 12 日在小区广场做了核酸，结果阴性，请核实。';
const ANSWER = '已核实：5 月 12 日核酸阴性，恢复绿码。';
const ANTIGEN_PLAIN = {
  'zh-CN': '您报告了抗原阳性，请留在家中等待核酸复核。',
  'en-US': 'You reported a positive antigen test. Stay at home until a PCR test confirms it.',
  'ko-KR': '항원 검사 양성을 보고하셨습니다. PCR 확인 전까지 집에 머물러 주세요.',
};
const LABELS = {
  'zh-CN': { green: '绿码', yellow: '黄码', red: '红码', menu: '简体中文' },
  'en-US': { green: 'Green code', yellow: 'Yellow code', red: 'Red code', menu: 'English' },
  'ko-KR': { green: '녹색 코드', yellow: '황색 코드', red: '적색 코드', menu: '한국어' },
};

let browser;
let admin;
let officer;
let household;
let me;
let officerLocale;
let adminLocale;

/**
 * Saves a screenshot at the page's size and at the other one (phone ↔ desktop). Console pages:
 * the whole page. The home (its tab bar is fixed to the bottom of the screen): what the screen
 * shows, scrolled to `at` when given.
 */
async function shots(page, name, { at } = {}) {
  const here = page.viewportSize();
  const sizes = here.width < 600 ? [['phone', here], ['desktop', DESKTOP]] : [['desktop', here], ['phone', PHONE]];
  const isHome = name.startsWith('home-');
  for (const [label, size] of sizes) {
    await page.setViewportSize(size);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    if (at) await at.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    else await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: !isHome });
  }
  await page.setViewportSize(here);
  await page.waitForTimeout(200);
}

/** A screenshot of one part of the page (a dialog, a card), at the page's size. */
async function partShot(locator, name) {
  await locator.page().waitForTimeout(400);
  await locator.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** No element wider than the phone: nothing clipped sideways. */
async function noSideways(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 1, `${what} scrolls sideways by ${wide}px`);
}

async function homeLanguage(page, locale) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await pickFromMenu(page, page.getByTestId('home-lang'), LABELS[locale].menu, () => page.waitForFunction((l) => document.documentElement.lang === l, locale, { timeout: 4000 }));
}

async function consoleLanguage(page, locale) {
  await officer.patch('/api/auth/me', { locale });
  await page.reload();
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

/** The home's code tab, reloaded, once it shows the colour expected. */
async function homeColour(page, colour) {
  await page.reload();
  await page.locator(`[data-testid="home-colour"][data-colour="${colour}"]`).waitFor();
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  officer = await api(OFFICER);
  const officerMe = (await officer.get('/api/auth/me')).user;
  officerLocale = officerMe.locale;
  adminLocale = (await admin.get('/api/auth/me')).user.locale;
  const compounds = (await officer.get(`/api/places/${officerMe.placeId}/children`)).items.filter((p) => p.kind === 'compound' && p.residents > 0);
  for (const c of compounds.reverse()) {
    const { items } = await officer.get(`/api/households?placeId=${c.id}&limit=50`);
    const h = items.find((x) => x.residentCount >= 1);
    if (h) {
      household = h;
      break;
    }
  }
  assert.ok(household, 'the officer’s community has a household');
  const seq = 100 + (uniqueSeq() % 400);
  me = (await officer.post('/api/residents', { householdId: household.id, name: NAME, idNumber: makeId('110101', '19900606', seq) })).resident;
});
after(async () => {
  await officer?.patch('/api/auth/me', { locale: officerLocale ?? 'zh-CN' }).catch(() => undefined);
  await admin?.patch('/api/auth/me', { locale: adminLocale ?? 'zh-CN' }).catch(() => undefined);
  await officer?.dispose();
  await admin?.dispose();
  await browser?.close();
});

test('an override to red, an appeal and its answer: the resident and the officer each see it, in their languages', async () => {
  // the resident signs in by their household card
  const card = await admin.get(`/api/households/${household.id}/card`);
  const code = card.members.find((m) => m.id === me.id).code;
  const home = await newPage(browser, PHONE);
  await home.goto(`${BASE}/home/card#${encodeURIComponent(code)}`);
  await home.waitForURL(`${BASE}/home`);
  await home.getByTestId('home-code').waitFor();
  assert.equal(await home.getByTestId('home-code-name').textContent(), NAME);

  // green, nothing against them, said in words in three languages
  await home.locator('[data-testid="home-colour"][data-colour="green"]').waitFor();
  await home.getByTestId('home-colour-label').getByText('绿码').waitFor();
  await home.getByTestId('home-colour-none').waitFor();
  assert.match(await home.getByTestId('home-colour-updated').textContent(), /^码色更新于 \d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.match(await home.getByTestId('home-qr').getAttribute('alt'), /^码色测试 的个人码二维码，绿码$/);
  await home.getByTestId('home-appeal-open').waitFor();
  await checkA11y(home, 'home, green');
  await noSideways(home, 'the green code');
  await shots(home, 'home-green-zh-CN');
  for (const locale of ['en-US', 'ko-KR']) {
    await homeLanguage(home, locale);
    await home.getByTestId('home-colour-label').getByText(LABELS[locale].green).waitFor();
    await shots(home, `home-green-${locale}`);
  }
  await homeLanguage(home, 'zh-CN');

  // a positive antigen self-test: yellow, the rule's plain words with the date, in each language
  const reported = await home.evaluate(async (key) => {
    const r = await fetch('/api/portal/antigen-reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, result: 'positive' }) });
    return r.status;
  }, randomUUID());
  assert.equal(reported, 200);
  await homeColour(home, 'yellow');
  const reason = home.getByTestId('home-colour-reason');
  await reason.getByText(ANTIGEN_PLAIN['zh-CN']).waitFor();
  assert.match(await reason.locator('time').textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d 起$/);
  await reason.getByText('黄码').waitFor();
  await checkA11y(home, 'home, yellow with a reason');
  await noSideways(home, 'the yellow code');
  await shots(home, 'home-yellow-zh-CN');
  await shots(home, 'home-yellow-why-zh-CN', { at: reason });
  for (const locale of ['en-US', 'ko-KR']) {
    await homeLanguage(home, locale);
    await reason.getByText(ANTIGEN_PLAIN[locale]).waitFor();
    await home.getByTestId('home-colour-label').getByText(LABELS[locale].yellow).waitFor();
    await checkA11y(home, `home, yellow, ${locale}`);
    await shots(home, `home-yellow-${locale}`);
    await shots(home, `home-yellow-why-${locale}`, { at: reason });
  }
  assert.match(await reason.locator('time').textContent(), /부터$/);
  await homeLanguage(home, 'zh-CN');

  // the officer: the reason on the resident's page (rule, version, date), then an override to red
  const desk = await newPage(browser, DESKTOP);
  await signIn(desk, OFFICER);
  await desk.goto(`${BASE}/residents/${me.id}`);
  const colourCard = desk.getByTestId('resident-colour');
  await colourCard.getByTestId('resident-colour-tag').getByText('黄码').waitFor();
  const row = colourCard.getByTestId('resident-colour-reason');
  await row.getByText('抗原自测阳性，待核酸确认').waitFor();
  await row.getByText('第 1 版').waitFor();
  assert.match(await row.textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d/);
  await colourCard.getByTestId('colour-override').click();
  const modal = desk.locator('.ant-modal').filter({ has: desk.getByTestId('colour-override-form') });
  await modal.waitFor();
  await desk.getByTestId('colour-override-ok').click();
  await modal.getByText('请填写原因（至少 2 个字）').waitFor();
  await desk.getByTestId('colour-override-colour-red').click();
  await desk.getByTestId('colour-override-reason').fill(OVERRIDE_REASON);
  await desk.getByTestId('colour-override-hours').fill('48');
  await checkA11y(desk, 'override dialog');
  await partShot(modal.locator('.ant-modal-container, .ant-modal-content').first(), 'console-override-modal-zh-CN-desktop');
  await desk.getByTestId('colour-override-ok').click();
  await modal.waitFor({ state: 'hidden' });
  await colourCard.getByTestId('resident-colour-tag').getByText('红码').waitFor();
  await colourCard.getByTestId('resident-colour-ruled').getByText('按规则为黄码').waitFor();
  assert.equal(await colourCard.getByTestId('resident-colour-override-reason').textContent(), OVERRIDE_REASON);
  const overrideBox = await colourCard.getByTestId('resident-colour-override').textContent();
  assert.match(overrideBox, /有效至\s*\d{4}-\d\d-\d\d \d\d:\d\d/);
  // the rules' reason stays listed for staff under the override
  await row.getByText('抗原自测阳性，待核酸确认').waitFor();
  await checkA11y(desk, 'resident page with the colour card');
  await colourCard.scrollIntoViewIfNeeded();
  await partShot(colourCard, 'console-colour-card-zh-CN-desktop');
  await shots(desk, 'console-resident-zh-CN');
  await desk.setViewportSize(PHONE);
  await partShot(colourCard, 'console-colour-card-zh-CN-phone');
  await noSideways(desk, 'the resident page on a phone');
  await desk.setViewportSize(DESKTOP);
  await consoleLanguage(desk, 'en-US');
  await colourCard.getByTestId('resident-colour-tag').getByText('Red', { exact: true }).waitFor();
  await colourCard.getByTestId('resident-colour-ruled').getByText('Yellow by the rules').waitFor();
  await row.getByText('Antigen self-test positive, awaiting PCR').waitFor();
  await row.getByText('v1', { exact: true }).waitFor();
  await checkA11y(desk, 'resident page with the colour card, English');
  await colourCard.scrollIntoViewIfNeeded();
  await partShot(colourCard, 'console-colour-card-en-US-desktop');
  await shots(desk, 'console-resident-en-US');
  await desk.setViewportSize(PHONE);
  await partShot(colourCard, 'console-colour-card-en-US-phone');
  await desk.setViewportSize(DESKTOP);
  await colourCard.getByTestId('colour-override').click();
  await desk.getByTestId('colour-override-colour-red').waitFor();
  await partShot(desk.locator('.ant-modal-container, .ant-modal-content').first(), 'console-override-modal-en-US-desktop');
  await desk.keyboard.press('Escape');
  await consoleLanguage(desk, 'zh-CN');

  // the resident: red, the officer's reason and until when (no rule reasons under an override)
  await homeColour(home, 'red');
  await home.getByTestId('home-colour-label').getByText('红码').waitFor();
  assert.equal(await home.getByTestId('home-colour-override-reason').textContent(), OVERRIDE_REASON);
  assert.match(await home.getByTestId('home-colour-override-until').textContent(), /^有效至 \d{4}-\d\d-\d\d \d\d:\d\d，之后恢复按规则赋码$/);
  assert.equal(await home.getByTestId('home-colour-reason').count(), 0);
  await checkA11y(home, 'home, red with the override');
  await noSideways(home, 'the red code');
  await shots(home, 'home-red-zh-CN');
  await shots(home, 'home-red-why-zh-CN', { at: home.getByTestId('home-colour-override') });
  for (const locale of ['en-US', 'ko-KR']) {
    await homeLanguage(home, locale);
    await home.getByTestId('home-colour-label').getByText(LABELS[locale].red).waitFor();
    await home.getByTestId('home-colour-override').getByText(locale === 'en-US' ? 'Set by community staff' : '지역사회 담당자가 설정함').waitFor();
    await shots(home, `home-red-${locale}`);
    await shots(home, `home-red-why-${locale}`, { at: home.getByTestId('home-colour-override') });
  }

  // the appeal form, in each language (Korean first, as the page is now), then sent in Chinese
  for (const locale of ['ko-KR', 'en-US', 'zh-CN']) {
    if (locale !== 'ko-KR') await homeLanguage(home, locale);
    await home.getByTestId('home-appeal-open').click();
    await home.getByTestId('home-appeal-form').waitFor();
    await home.getByTestId('home-appeal-text').fill('');
    await home.getByTestId('home-appeal-submit').click();
    await home.getByTestId('home-appeal-form').getByRole('alert').waitFor();
    await home.getByTestId('home-appeal-text').fill(APPEAL_TEXT);
    await home.getByTestId('home-appeal-form').getByRole('alert').waitFor({ state: 'detached' });
    await checkA11y(home, `home appeal form, ${locale}`);
    await shots(home, `home-appeal-form-${locale}`, { at: home.getByTestId('home-appeal-form') });
    if (locale !== 'zh-CN') await home.getByTestId('home-appeal-cancel').click();
  }
  await home.getByTestId('home-appeal-text').fill('我');
  await home.getByTestId('home-appeal-submit').click();
  await home.getByText('请写下申诉理由（至少 2 个字）').waitFor();
  await home.getByTestId('home-appeal-text').fill(APPEAL_TEXT);
  await home.getByTestId('home-appeal-submit').click();
  await home.getByTestId('home-appeal-sent').getByText('申诉已提交，请等待社区答复。').waitFor();
  const waiting = home.getByTestId('home-appeal-waiting');
  await waiting.getByText('申诉处理中，请等待答复').waitFor();
  assert.equal(await waiting.getByTestId('home-appeal-text-sent').textContent(), APPEAL_TEXT);
  assert.equal(await home.getByTestId('home-appeal-open').count(), 0, 'one appeal waits at a time');
  // a second one, from another phone of the household, is refused: one waits at a time
  const again = await home.evaluate(async () => {
    const r = await fetch('/api/portal/appeals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'again' }) });
    return [r.status, (await r.json()).error?.code];
  });
  assert.deepEqual(again, [409, 'APPEAL_OPEN']);
  await checkA11y(home, 'home, appeal waiting');
  await shots(home, 'home-appeal-waiting-zh-CN', { at: waiting });
  await homeLanguage(home, 'en-US');
  await waiting.getByText('Your appeal is waiting for an answer').waitFor();
  await shots(home, 'home-appeal-waiting-en-US', { at: waiting });
  await homeLanguage(home, 'zh-CN');

  // the officer answers from the appeals page (in the menu): changed, to green
  await desk.getByRole('menuitem', { name: '码色申诉' }).click();
  await desk.waitForURL(/\/colour-appeals$/);
  const appealRow = desk.getByTestId('appeal-row').filter({ hasText: NAME });
  await appealRow.waitFor();
  await appealRow.getByText(APPEAL_TEXT).waitFor();
  await appealRow.getByText('红码', { exact: true }).waitFor();
  await appealRow.getByTestId('appeal-waiting').waitFor();
  await checkA11y(desk, 'colour appeals page');
  await shots(desk, 'console-appeals-zh-CN');
  await consoleLanguage(desk, 'en-US');
  await appealRow.getByText('Red', { exact: true }).waitFor();
  await appealRow.getByText('Waiting', { exact: true }).waitFor();
  await checkA11y(desk, 'colour appeals page, English');
  await shots(desk, 'console-appeals-en-US');
  await appealRow.locator('[data-testid^="appeal-answer-"]').click();
  await desk.getByTestId('appeal-outcome-changed').click();
  await desk.getByTestId('appeal-colour-green').waitFor();
  await partShot(desk.locator('.ant-modal-container, .ant-modal-content').first(), 'console-answer-modal-en-US-desktop');
  await desk.keyboard.press('Escape');
  await desk.getByTestId('appeal-answer-form').waitFor({ state: 'detached' });
  await consoleLanguage(desk, 'zh-CN');
  await appealRow.locator('[data-testid^="appeal-answer-"]').click();
  const answerModal = desk.locator('.ant-modal').filter({ has: desk.getByTestId('appeal-answer-form') });
  await answerModal.getByTestId('appeal-answer-text').getByText(APPEAL_TEXT).waitFor();
  // the modal opens again with a fresh form: choose "changed" until its colour choice shows (the first click may land during the opening animation)
  await answerModal.getByTestId('appeal-outcome-changed').click();
  if (!(await answerModal.getByTestId('appeal-colour-green').isVisible())) await answerModal.getByTestId('appeal-outcome-changed').click();
  await answerModal.getByTestId('appeal-colour-green').click();
  await answerModal.getByTestId('appeal-hours').fill('72');
  await answerModal.getByTestId('appeal-answer-ok').click();
  await answerModal.getByText('请填写答复（至少 2 个字）').waitFor();
  await desk.getByTestId('appeal-answer').fill(ANSWER);
  await checkA11y(desk, 'answer dialog');
  await partShot(answerModal.locator('.ant-modal-container, .ant-modal-content').first(), 'console-answer-modal-zh-CN-desktop');
  await desk.getByTestId('appeal-answer-ok').click();
  await answerModal.waitFor({ state: 'hidden' });
  await appealRow.waitFor({ state: 'detached' });
  // the answered ones, on the toggle
  await desk.getByTestId('appeals-show-answered').click();
  const answered = desk.getByTestId('appeal-row').filter({ hasText: NAME }).first();
  await answered.getByTestId('appeal-answered').getByText(ANSWER).waitFor();
  await answered.getByText('已调整码色').waitFor();
  await checkA11y(desk, 'colour appeals page, answered');
  await shots(desk, 'console-appeals-answered-zh-CN');
  await consoleLanguage(desk, 'en-US');
  await desk.getByTestId('appeals-show-answered').click();
  await desk.getByTestId('appeal-row').filter({ hasText: NAME }).first().getByText('Changed', { exact: true }).waitFor();
  await shots(desk, 'console-appeals-answered-en-US');
  await consoleLanguage(desk, 'zh-CN');

  // the resident: green again, and the answer
  await homeColour(home, 'green');
  assert.equal(await home.getByTestId('home-colour-override-reason').textContent(), ANSWER);
  const answeredCard = home.getByTestId('home-appeal-answered');
  await answeredCard.getByTestId('home-appeal-outcome').getByText('码色已调整').waitFor();
  assert.equal(await answeredCard.getByTestId('home-appeal-answer').textContent(), ANSWER);
  await home.getByTestId('home-appeal-open').waitFor();
  await checkA11y(home, 'home, green after the answer');
  await noSideways(home, 'the answered appeal');
  await shots(home, 'home-answered-zh-CN');
  await shots(home, 'home-answered-appeal-zh-CN', { at: answeredCard });
  for (const locale of ['en-US', 'ko-KR']) {
    await homeLanguage(home, locale);
    await answeredCard.getByTestId('home-appeal-outcome').getByText(locale === 'en-US' ? 'Colour changed' : '색상 변경됨').waitFor();
    await home.getByTestId('home-colour-label').getByText(LABELS[locale].green).waitFor();
    await checkA11y(home, `home, answered, ${locale}`);
    await shots(home, `home-answered-${locale}`);
    await shots(home, `home-answered-appeal-${locale}`, { at: answeredCard });
  }
  await homeLanguage(home, 'zh-CN');

  // the officer revokes the override: the rules decide again (yellow, the antigen report)
  await desk.goto(`${BASE}/residents/${me.id}`);
  await colourCard.getByTestId('resident-colour-tag').getByText('绿码').waitFor();
  await colourCard.getByTestId('colour-revoke').click();
  await desk.getByTestId('colour-revoke-reason').fill('测试结束，恢复按规则赋码');
  await desk.getByTestId('colour-revoke-ok').click();
  await colourCard.getByTestId('resident-colour-tag').getByText('黄码').waitFor();
  await colourCard.getByTestId('resident-colour-override').waitFor({ state: 'detached' });
  assert.equal(await colourCard.getByTestId('colour-revoke').count(), 0);
  await homeColour(home, 'yellow');
  assert.deepEqual([...desk.errors, ...home.errors], []);
  await desk.close();
  await home.close();
});

test('the colour rules: the officer reads them; the administrator edits one (a new version) and switches one on and off', async () => {
  await officer.patch('/api/auth/me', { locale: 'zh-CN' });
  await admin.patch('/api/auth/me', { locale: 'zh-CN' });
  const desk = await newPage(browser, DESKTOP);
  await signIn(desk, OFFICER);
  await desk.getByRole('menuitem', { name: '赋码规则' }).click();
  await desk.waitForURL(/\/colour-rules$/);
  const positive = desk.locator('[data-testid="rule-row"][data-rule="positive"]');
  await positive.getByText('核酸阳性（单管）').waitFor();
  await positive.getByText('14 天内').waitFor();
  await desk.locator('[data-testid="rule-row"][data-rule="strict_zone"]').getByText('区域等级：封控区、高风险区').waitFor();
  assert.equal(await desk.locator('[data-testid^="rule-edit-"]').count(), 0, 'the officer may not edit rules');
  assert.equal(await desk.locator('[data-testid^="rule-toggle-"]').count(), 0);
  await checkA11y(desk, 'colour rules, read only');
  await desk.close();

  const page = await newPage(browser, DESKTOP);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/colour-rules`);
  const row = page.locator('[data-testid="rule-row"][data-rule="positive"]');
  await row.getByText('核酸阳性（单管）').waitFor();
  const before = (await admin.get('/api/colour-rules')).items.find((r) => r.key === 'positive');
  await checkA11y(page, 'colour rules, administrator');
  await shots(page, 'console-rules-zh-CN');

  // an edit: the English name, saved as the next version, then put back as it was (one more)
  await page.getByTestId('rule-edit-positive').click();
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('rule-form') });
  await modal.waitFor();
  assert.equal(await page.getByTestId('rule-days').inputValue(), '14');
  await page.getByTestId('rule-names-zh-CN').fill('');
  await page.getByTestId('rule-save').click();
  await modal.getByText('中文必填').waitFor();
  await page.getByTestId('rule-names-zh-CN').fill(before.names['zh-CN']);
  await page.getByTestId('rule-names-en-US').fill('PCR positive (one tube)');
  await checkA11y(page, 'rule edit dialog');
  await partShot(modal.locator('.ant-modal-container, .ant-modal-content').first(), 'console-rule-edit-zh-CN-desktop');
  await page.getByTestId('rule-save').click();
  await modal.waitFor({ state: 'hidden' });
  await page.getByText(`已保存为第 ${before.version + 1} 版`).waitFor();
  const edited = (await admin.get('/api/colour-rules')).items.find((r) => r.key === 'positive');
  assert.equal(edited.version, before.version + 1);
  assert.equal(edited.names['en-US'], 'PCR positive (one tube)');
  assert.deepEqual(edited.params, before.params);
  await page.getByTestId('rule-edit-positive').click();
  await page.getByTestId('rule-names-en-US').fill(before.names['en-US']);
  await page.getByTestId('rule-save').click();
  await page.getByText(`已保存为第 ${before.version + 2} 版`).waitFor();
  const back = (await admin.get('/api/colour-rules')).items.find((r) => r.key === 'positive');
  assert.deepEqual({ ...back, version: before.version }, before);

  // a rule switched on and off again, each time after a confirmation
  const controlled = page.locator('[data-testid="rule-row"][data-rule="controlled_zone"]');
  const toggle = page.getByTestId('rule-toggle-controlled_zone');
  const was = (await toggle.getAttribute('aria-checked')) === 'true';
  for (const on of [!was, was]) {
    await toggle.click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: on ? /启\s?用/ : /停\s?用/ }).click();
    await page.waitForFunction((want) => document.querySelector('[data-testid="rule-toggle-controlled_zone"]')?.getAttribute('aria-checked') === String(want), on);
  }
  assert.equal((await admin.get('/api/colour-rules')).items.find((r) => r.key === 'controlled_zone').enabled, was);
  await controlled.waitFor();

  await admin.patch('/api/auth/me', { locale: 'en-US' });
  await page.reload();
  await row.getByText('PCR positive (single tube)').waitFor();
  await row.getByText('within 14 days').waitFor();
  await checkA11y(page, 'colour rules, English');
  await shots(page, 'console-rules-en-US');
  await page.getByTestId('rule-edit-strict_zone').click();
  await page.getByTestId('rule-levels').waitFor();
  await partShot(page.locator('.ant-modal-container, .ant-modal-content').first(), 'console-rule-edit-en-US-desktop');
  await page.keyboard.press('Escape');
  await admin.patch('/api/auth/me', { locale: adminLocale ?? 'zh-CN' });
  assert.deepEqual(page.errors, []);
  await page.close();
});
