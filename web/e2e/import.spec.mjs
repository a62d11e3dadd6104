// Import a ledger with good rows and a bad check digit: see the report; fix the file, commit.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, breakChecksum, demoAccount, launch, makeId, masked, newPage, shot, signIn , test } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const officer = demoAccount('community1');
const HEADERS = ['姓名', '身份证号', '手机号', '小区', '楼栋', '单元', '房号', '居住类型', '独居老人'];
// Beijing Dongcheng, born in 1931: far from the demo district's generated people
const idsBorn = (birth) => Array.from({ length: 6 }, (_, i) => makeId('110101', birth, 901 + i));
const ids = idsBorn('19310203');
const badRow = 5;

function ledger({ fixed, birth = '19310203' }) {
  const rows = idsBorn(birth).map((id, i) => [
    `导入测试${i + 1}`,
    i === badRow && !fixed ? breakChecksum(id) : id,
    `1370000${String(1000 + i)}`,
    '端到端小区',
    '8号楼',
    '2单元',
    String(301 + i),
    i % 2 ? '租户' : '户籍',
    i === 0 ? '是' : '否',
  ]);
  return Buffer.from('\ufeff' + [HEADERS, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

async function uploadAndCheck(page, name, buffer) {
  await page.locator('[data-testid=import-dropzone] input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await page.getByTestId('import-next').click();
  await page.getByTestId('mapping-table').waitFor();
  // the headers were recognised: every column maps to a field, nothing required is missing
  assert.equal(await page.getByTestId('mapping-problems').count(), 0);
  return page;
}

test('a bad check digit is reported row by row; the fixed file commits', async () => {
  const page = await newPage(browser);
  await signIn(page, officer);
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-dropzone').waitFor();
  await shot(page, 'desktop-import-upload');

  await uploadAndCheck(page, 'ledger-with-error.csv', ledger({ fixed: false }));
  await shot(page, 'desktop-import-mapping');
  await page.getByTestId('start-dry-run').click();

  await page.getByTestId('import-has-errors').waitFor({ timeout: 30_000 });
  const errors = page.getByTestId('import-errors');
  await errors.getByText('身份证号校验位错误').waitFor();
  await errors.getByRole('cell', { name: String(badRow + 2), exact: true }).waitFor(); // header is row 1
  const summary = await page.getByTestId('import-summary').innerText();
  assert.match(summary, /通过\s*5/);
  assert.match(summary, /拒绝\s*1/);
  // nothing to commit while rows are rejected
  assert.equal(await page.getByTestId('import-commit').count(), 0);
  // the full report is a download
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report').click()]);
  const report = await (await download.createReadStream()).toArray();
  assert.match(Buffer.concat(report).toString('utf8'), /RESIDENT_ID_CHECKSUM/);
  await shot(page, 'desktop-import-report');

  // fix the file and upload it again: the target and the column mapping are kept
  await page.getByTestId('import-reupload').click();
  await uploadAndCheck(page, 'ledger-fixed.csv', ledger({ fixed: true }));
  await page.getByTestId('start-dry-run').click();
  await page.getByTestId('import-clean').waitFor({ timeout: 30_000 });
  await page.getByTestId('import-commit').click();
  await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
  await shot(page, 'desktop-import-done');

  // the imported people are in the ledger, found by their full ID number
  await page.goto(`${BASE}/residents?q=${ids[badRow]}`);
  const table = page.getByTestId('residents-table');
  await table.getByText('导入测试6').waitFor();
  await table.getByText(masked(ids[badRow])).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the dry-run report on a phone', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, officer);
  await page.goto(`${BASE}/import`);
  await uploadAndCheck(page, 'ledger-phone.csv', ledger({ fixed: false, birth: '19310204' }));
  await page.getByTestId('start-dry-run').click();
  await page.getByTestId('import-has-errors').waitFor({ timeout: 30_000 });
  await shot(page, 'phone-import-report');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
  await page.context().close();
});
