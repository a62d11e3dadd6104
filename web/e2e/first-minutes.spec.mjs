// The first ten minutes (issue 12): a resident found by the given name alone and by pinyin
// initials, with the search box saying how names match; the import's dry run names the places
// it will create and the rows that create them. Screens in zh-CN and en-US, desktop and phone.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, api, demoAccount, launch, makeId, newPage, shot, signIn, test, uniqueSeq } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const officer = demoAccount('community1');

/** A page signed in as the officer in the given language (the account's language is kept on the server). */
async function pageIn(locale, viewport) {
  const page = await newPage(browser, viewport);
  await signIn(page, officer);
  await page.evaluate(async (l) => {
    const r = await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: l }) });
    if (!r.ok) throw new Error(`PATCH /api/auth/me → ${r.status}`);
    localStorage.setItem('fk.locale', l);
  }, locale);
  return page;
}

test('a resident is found by the given name alone and by pinyin initials, in both languages', async () => {
  const client = await api(officer);
  const [someone] = (await client.get('/api/residents?limit=1')).items;
  await client.post('/api/residents', { householdId: someone.householdId, name: '张芊芊', idNumber: makeId('110101', '19880808', 700 + (uniqueSeq() % 200)), phone: '13712345678' });
  await client.dispose();
  try {
    for (const [locale, viewport, tag] of [['zh-CN', DESKTOP, 'desktop'], ['en-US', DESKTOP, 'desktop'], ['zh-CN', PHONE, 'phone'], ['en-US', PHONE, 'phone']]) {
      const page = await pageIn(locale, viewport);
      for (const typed of ['芊芊', 'zqq']) {
        await page.goto(`${BASE}/residents?q=${encodeURIComponent(typed)}`);
        await page.getByText('张芊芊').first().waitFor();
      }
      await shot(page, `${tag}-residents-search-pinyin-${locale === 'zh-CN' ? 'zh' : 'en'}`);
      await page.goto(`${BASE}/residents?q=${encodeURIComponent('无此人名')}`);
      const empty = await page.getByTestId('empty-filtered').innerText();
      assert.match(empty, locale === 'zh-CN' ? /首字母（zqq）/ : /pinyin initials \(zqq\)/);
      const placeholder = await page.locator('[data-testid=resident-search] input, input[data-testid=resident-search]').first().getAttribute('placeholder');
      assert.match(placeholder, locale === 'zh-CN' ? /拼音或首字母/ : /pinyin, initials/);
      await shot(page, `${tag}-residents-search-empty-${locale === 'zh-CN' ? 'zh' : 'en'}`);
      await page.close();
    }
  } finally {
    const page = await pageIn('zh-CN', DESKTOP);
    await page.close();
  }
});

test('the dry run names the places it will create and the rows that create them', async () => {
  const headers = ['姓名', '身份证号', '手机号', '小区', '楼栋', '单元', '房号'];
  const rows = [0, 1, 2].map((i) => [`新地点${i + 1}`, makeId('110101', '19320405', 800 + i), `1370001${1000 + i}`, i < 2 ? '拼错小区' : '拼错小区二', '7号楼', '1单元', String(101 + i)]);
  const buffer = Buffer.from('\ufeff' + [headers, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
  try {
    for (const [locale, viewport, tag] of [['zh-CN', DESKTOP, 'desktop'], ['en-US', DESKTOP, 'desktop'], ['zh-CN', PHONE, 'phone'], ['en-US', PHONE, 'phone']]) {
      const page = await pageIn(locale, viewport);
      await page.goto(`${BASE}/import`);
      await page.locator('[data-testid=import-dropzone] input[type=file]').setInputFiles({ name: 'misspelt.csv', mimeType: 'text/csv', buffer });
      await page.getByTestId('import-next').click();
      await page.getByTestId('mapping-table').waitFor();
      await page.getByTestId('start-dry-run').click();
      const list = page.getByTestId('import-new-places');
      await list.waitFor({ timeout: 30_000 });
      const text = await list.innerText();
      assert.match(text, locale === 'zh-CN' ? /将新建 6 个地点/ : /Places to be created: 6/);
      assert.match(text, /拼错小区\n?[\s\S]*拼错小区二/);
      assert.match(text, locale === 'zh-CN' ? /第 2, 3 行/ : /rows 2, 3/);
      assert.match(text, locale === 'zh-CN' ? /第 4 行/ : /row 4/);
      await list.scrollIntoViewIfNeeded();
      await shot(page, `${tag}-import-new-places-${locale === 'zh-CN' ? 'zh' : 'en'}`);
      await page.close();
    }
  } finally {
    const page = await pageIn('zh-CN', DESKTOP);
    await page.close();
  }
});
