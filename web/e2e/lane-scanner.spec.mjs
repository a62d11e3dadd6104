// The lane with a hardware scanner (issue 12, 1): a scanner types the code's characters fast
// and presses Enter into whatever has the focus. Here every scan is typed that way WITHOUT
// focusing the field first, after each kind of tap a sampler makes: a tube-kind button, the
// person field, empty space, 封管 once (armed), a document button. Each person and tube must be
// on the server (checked through the API), nothing sealed by a scanner's Enter, and a scan that
// cannot be taken (a person where a tube is expected, a code into the registration form) says
// so in red at the top. The lane shows a sampler masked names with sex and age (issue 11, 1.4),
// and the masked ID on one line. Screenshots: phone and desktop, zh-CN and en-US.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, DESKTOP, PHONE, api, demoAccount, launch, makeId, newPage, pickFromMenu, shot, signIn, test, uniqueSeq } from './helpers.mjs';
import { maskName, scanLikeScanner } from './lane-helpers.mjs';

let browser;
let admin;
let campaign;
let people;
let compound;
const ids = new Map();
const stamp = Date.now().toString(36).toUpperCase();
const tube = (n) => `SCN-${stamp}-${n}`;

async function children(id) {
  return (await admin.get(`/api/places/${id}/children`)).items;
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  const sampler = await api(demoAccount('sampler1'));
  const me = (await sampler.get('/api/auth/me')).user;
  await sampler.dispose();
  const [district] = (await admin.get('/api/places/roots')).items;
  let community;
  for (const street of await children(district.id)) {
    community = (await children(street.id)).find((c) => c.id === me.placeId);
    if (community) break;
  }
  compound = (await children(community.id)).find((p) => p.kind === 'compound' && p.residents >= 8);
  const now = Date.now();
  const window = { startsAt: new Date(now - 2 * 3600_000).toISOString(), endsAt: new Date(now + 6 * 3600_000).toISOString() };
  campaign = await admin.post('/api/campaigns', {
    name: `扫码枪测试 ${stamp}`,
    placeId: community.id,
    ...window,
    places: [{ placeId: compound.id, mode: 'pool10' }],
    rounds: [window],
  });
  await admin.post(`/api/campaigns/${campaign.id}/sites`, { placeId: compound.id, name: `扫码枪采样点 ${stamp}`, lanes: 1 });
  // the compound's residents from the end of the list (lane.spec.mjs takes them from the start)
  const all = (await admin.get(`/api/residents?placeId=${compound.id}&limit=100`)).items.filter((r) => r.idType === 'mainland_id');
  people = all.slice(-8);
  assert.ok(people.length >= 8, 'eight residents with mainland ID numbers');
  for (const r of people) ids.set(r.id, (await admin.post(`/api/residents/${r.id}/reveal-id`)).idNumber);
});

after(async () => {
  await admin?.dispose();
  await browser?.close();
});

async function onServer(barcode) {
  return admin.get(`/api/tubes/${barcode}`);
}

/** Waits until the server holds these people in the tube (the scan's answer may still be on its way). */
async function waitForTube(barcode, residentIds) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const t = await onServer(barcode).catch(() => null);
    const got = (t?.samples ?? []).map((s) => s.residentId).sort();
    if (JSON.stringify(got) === JSON.stringify([...residentIds].sort())) return t;
    if (Date.now() > deadline) assert.deepEqual(got, [...residentIds].sort(), `the people in tube ${barcode} on the server`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function focused(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
}

async function pickLane(page) {
  await page.getByTestId(`lane-campaign-${campaign.id}`).click();
  await page.getByTestId('lane-lane-1').click();
  await page.getByTestId('lane-where').waitFor();
}

test('a scanner after every kind of tap: each person and tube reaches the server, nothing is sealed by its Enter', async () => {
  const [a, b, c, d, e] = people;
  const page = await newPage(browser, PHONE);
  await signIn(page, demoAccount('sampler1'));
  await page.goto(`${new URL(page.url()).origin}/lane`);
  await pickLane(page);

  // a tube-kind button tapped: the button must not keep the scanner's keys
  await page.getByTestId('lane-kind-pool5').click();
  await page.getByTestId('lane-kind-pool10').click();
  await scanLikeScanner(page, tube(1));
  await page.getByTestId('lane-tube-barcode').getByText(tube(1)).waitFor();
  await page.getByTestId('lane-count').getByText('0 / 10').waitFor();
  assert.equal(await page.getByTestId('lane-kind-pool10').count(), 0, 'the tube is open');

  // the person field tapped
  await page.getByTestId('lane-person-input').click();
  await scanLikeScanner(page, ids.get(a.id));
  await page.getByTestId('lane-count').getByText('1 / 10').waitFor();
  await waitForTube(tube(1), [a.id]);
  // the sampler sees a masked name with sex and age, not the stored name
  assert.equal(await page.getByTestId('lane-last-name').innerText(), maskName(a.name));
  await page.getByTestId('lane-last-sexage').getByText(String(a.age)).waitFor();

  // empty space tapped: the field loses the focus, the next scan still lands
  await page.locator('.fk-lane-body').click({ position: { x: 4, y: 4 } });
  assert.notEqual(await focused(page), 'lane-person-input', 'the tap on empty space took the focus away');
  const { code } = await admin.get(`/api/residents/${b.id}/code`);
  await scanLikeScanner(page, code);
  await page.getByTestId('lane-count').getByText('2 / 10').waitFor();
  await waitForTube(tube(1), [a.id, b.id]);

  // 封管 tapped once (armed, waiting for its second tap): the scan goes to the person, the seal disarms
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-seal-hint').waitFor();
  await shot(page, 'phone-lane-seal-armed');
  await scanLikeScanner(page, ids.get(c.id));
  await page.getByTestId('lane-count').getByText('3 / 10').waitFor();
  let t1 = await waitForTube(tube(1), [a.id, b.id, c.id]);
  assert.equal(t1.sealedAt, null, 'the scanner did not seal the tube');
  await page.getByTestId('lane-seal').getByText('封管', { exact: true }).waitFor();

  // a document button tapped
  await page.getByTestId('lane-doc-passport').click();
  await page.getByTestId('lane-doc-code').click();
  await scanLikeScanner(page, ids.get(d.id));
  await page.getByTestId('lane-count').getByText('4 / 10').waitFor();
  await waitForTube(tube(1), [a.id, b.id, c.id, d.id]);

  // the seal button with the focus (as a button kept it before), armed, then a scanner's Enters: never a seal
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-seal').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  t1 = await onServer(tube(1));
  assert.equal(t1.sealedAt, null, 'Enter on the armed seal button did not seal');
  // ...and a whole scan typed while it has the focus is a person, recorded
  await page.getByTestId('lane-seal').focus();
  await scanLikeScanner(page, ids.get(e.id));
  await page.getByTestId('lane-count').getByText('5 / 10').waitFor();
  t1 = await waitForTube(tube(1), [a.id, b.id, c.id, d.id, e.id]);
  assert.equal(t1.sealedAt, null);
  await shot(page, 'phone-lane-scanner');
  const body = await page.locator('body').innerText();
  for (const r of [a, b, c, d, e]) assert.ok(!body.includes(r.name), `the stored name of resident ${r.id} is not on the sampler's screen`);

  // the masked ID stays on one line, in the last scan and in the list
  for (const el of [page.getByTestId('lane-last-id'), ...(await page.locator('.fk-lane-people-id').all())]) {
    const lines = await el.evaluate((n) => Math.round(n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)));
    assert.equal(lines, 1, `the masked ID "${await el.innerText()}" is on one line`);
  }

  // two deliberate taps seal it
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-sealed').getByText(tube(1)).waitFor();
  t1 = await onServer(tube(1));
  assert.ok(t1.sealedAt, 'sealed by two taps');
  assert.equal(t1.people, 5);

  // no tube open, a person scanned (the tube forgotten): said loudly; no tube named after their ID number
  const f = people[5];
  await scanLikeScanner(page, ids.get(f.id));
  await page.getByTestId('lane-alert').waitFor();
  await page.getByTestId('lane-error').getByText('不是试管条码').waitFor();
  await assert.rejects(onServer(ids.get(f.id)), /404/);
  await shot(page, 'phone-lane-alert');

  // a tube-kind button tapped, and even holding the focus: the next tube and a person both land
  await page.getByTestId('lane-kind-pool5').click();
  assert.notEqual(await focused(page), 'lane-kind-pool5', 'a tube-kind button does not keep the focus');
  await page.getByTestId('lane-kind-pool5').focus();
  await scanLikeScanner(page, tube(2));
  await page.getByTestId('lane-tube-barcode').getByText(tube(2)).waitFor();
  assert.equal(await page.getByTestId('lane-alert').count(), 0, 'the alert goes with the next good scan');
  await scanLikeScanner(page, ids.get(f.id));
  await page.getByTestId('lane-count').getByText('1 / 5').waitFor();
  await waitForTube(tube(2), [f.id]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a registration open: a code the scanner types into the name field is refused loudly, not taken as a name', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, demoAccount('sampler1'));
  await page.goto(`${new URL(page.url()).origin}/lane`);
  await pickLane(page);
  await scanLikeScanner(page, tube(3));
  await page.getByTestId('lane-tube-barcode').getByText(tube(3)).waitFor();
  const unknown = makeId('120104', '19930405', uniqueSeq());
  await scanLikeScanner(page, unknown);
  await page.getByTestId('lane-register').waitFor();
  assert.equal(await focused(page), 'lane-register-name');
  // the next person's code, scanned into the name field
  const g = people[6];
  await scanLikeScanner(page, ids.get(g.id));
  await page.getByTestId('lane-alert').waitFor();
  await page.getByTestId('lane-error').getByText('未记录').waitFor();
  assert.equal(await page.getByTestId('lane-register-name').inputValue(), '', 'the code was taken out of the name field');
  await assert.rejects(onServer(tube(3)), /404/, 'nobody registered or sampled');
  await shot(page, 'phone-lane-register-refused');
  // a name typed by hand still registers
  await page.getByTestId('lane-register-name').fill('扫码枪登记');
  await page.getByTestId('lane-register-submit').click();
  await page.getByTestId('lane-flag-registered').waitFor();
  let t3 = await onServer(tube(3));
  assert.equal(t3.samples.length, 1);

  // registered by the community while the form was open: the scan uses that record and says
  // so; the sampler sees its masked name, not the stored one, and nobody is registered twice
  const other = makeId('120104', '19870911', uniqueSeq());
  await scanLikeScanner(page, other);
  await page.getByTestId('lane-register').waitFor();
  const { items: households } = await admin.get(`/api/households?placeId=${compound.id}&limit=1`);
  const stored = (await admin.post('/api/residents', { householdId: households[0].id, name: '预先登记者', idNumber: other })).resident;
  await page.getByTestId('lane-register-name').fill('另一个名字');
  await page.getByTestId('lane-register-submit').click();
  await page.getByTestId('lane-flag-already-registered').waitFor();
  assert.equal(await page.getByTestId('lane-last-name').innerText(), maskName('预先登记者'));
  assert.ok(!(await page.locator('body').innerText()).includes('预先登记者'), 'the stored name is not on the screen');
  t3 = await onServer(tube(3));
  assert.ok(t3.samples.some((x) => x.residentId === stored.id), 'sampled under the stored record');
  assert.equal((await admin.get(`/api/residents?q=${encodeURIComponent('另一个名字')}`)).items.length, 0, 'nobody registered under the typed name');
  await shot(page, 'phone-lane-already-registered');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the lane looked at: phone and desktop, zh-CN and en-US', async () => {
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    const page = await newPage(browser, viewport);
    await signIn(page, demoAccount('sampler1'));
    await page.goto(`${new URL(page.url()).origin}/lane`);
    await pickLane(page);
    const n = size === 'phone' ? 4 : 5;
    await scanLikeScanner(page, tube(n));
    await page.getByTestId('lane-tube-barcode').getByText(tube(n)).waitFor();
    await scanLikeScanner(page, ids.get(people[7].id));
    await page.getByTestId('lane-last-name').waitFor();
    await shot(page, `${size}-lane-tube-zh`);
    await pickFromMenu(page, page.getByTestId('lang-switch'), 'English', () => page.getByText('Scan personal code or ID card').waitFor({ timeout: 4000 }));
    await shot(page, `${size}-lane-tube-en`);
    await page.getByTestId('lane-seal').click();
    await shot(page, `${size}-lane-seal-armed-en`);
    await pickFromMenu(page, page.getByTestId('lang-switch'), '简体中文', () => page.getByText('扫描个人码或身份证').waitFor({ timeout: 4000 }));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
