// The sampler's lane on a phone: pick the lane, fill a 5-in-1 tube by ID number and by
// personal code, seal it; offline, a tube of three waits on the phone and syncs once (a second
// sync of the same scans changes nothing); an unknown ID number is registered on the spot; a
// person sampled twice in the round is flagged; the tube seals itself when full. The household
// card prints one QR per member, and the resident page shows the personal code.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, BASE, PHONE, api, demoAccount, launch, makeId, masked, narrowMasked, newPage, shot, signIn, test, uniqueSeq } from './helpers.mjs';
import { maskName } from './lane-helpers.mjs';

let browser;
let admin;
let sampler;
let campaign;
let site;
let residents;
let compound;
/** full ID numbers of the residents, revealed as admin */
const ids = new Map();
const stamp = Date.now().toString(36).toUpperCase();
const tube = (n) => `E2E-${stamp}-${n}`;
const unknownId = makeId('120104', '19911203', uniqueSeq());
const unknownOffline = makeId('120104', '19880808', uniqueSeq());

async function children(id) {
  return (await admin.get(`/api/places/${id}/children`)).items;
}

before(async () => {
  browser = await launch();
  admin = await api(ADMIN);
  sampler = await api(demoAccount('sampler1'));
  const me = (await sampler.get('/api/auth/me')).user;

  // the demo's first community (the sampler's area) and a compound under it with residents
  const [district] = (await admin.get('/api/places/roots')).items;
  let community;
  for (const street of await children(district.id)) {
    community = (await children(street.id)).find((c) => c.id === me.placeId);
    if (community) break;
  }
  assert.ok(community, 'the sampler works in a community of the demo district');
  compound = (await children(community.id)).find((p) => p.kind === 'compound' && p.residents >= 8);
  assert.ok(compound, 'the community has a compound with residents');

  const now = Date.now();
  const window = { startsAt: new Date(now - 2 * 3600_000).toISOString(), endsAt: new Date(now + 6 * 3600_000).toISOString() };
  campaign = await admin.post('/api/campaigns', {
    name: `端到端全员核酸 ${stamp}`,
    placeId: community.id,
    ...window,
    places: [{ placeId: compound.id, mode: 'pool5' }],
    rounds: [window],
  });
  site = await admin.post(`/api/campaigns/${campaign.id}/sites`, { placeId: compound.id, name: `育才里采样点 ${stamp}`, lanes: 2 });
  assert.equal(site.lanes.length, 2);

  residents = (await admin.get(`/api/residents?placeId=${compound.id}&limit=20`)).items.filter((r) => r.idType === 'mainland_id').slice(0, 6);
  assert.ok(residents.length >= 5, 'five residents with mainland ID numbers');
  for (const r of residents) ids.set(r.id, (await admin.post(`/api/residents/${r.id}/reveal-id`)).idNumber);
});

after(async () => {
  await sampler?.dispose();
  await admin?.dispose();
  await browser?.close();
});

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px on a phone`);
}

async function scanPerson(page, text) {
  const input = page.getByTestId('lane-person-input');
  await input.fill(text);
  await input.press('Enter');
}

async function scanTube(page, barcode) {
  const input = page.getByTestId('lane-tube-input');
  await input.fill(barcode);
  await input.press('Enter');
  await page.getByTestId('lane-tube-barcode').filter({ hasText: barcode }).waitFor();
}

/** The scans waiting in the page's IndexedDB queue. */
function readQueue(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('fk-lane-queue');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('items').objectStore('items').getAll();
          all.onsuccess = () => {
            resolve(all.result);
            db.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

test('the lane: pick it, fill and seal a tube, scan offline and sync once, register on the spot', async () => {
  const [a, b, c, d, e] = residents;
  const page = await newPage(browser, PHONE);
  await signIn(page, demoAccount('sampler1'));
  // a sampler lands on the full-screen lane page; the console is one tap away and back
  await page.waitForURL(/\/lane$/);
  await page.getByTestId('lane-back').click();
  await page.getByRole('button', { name: /菜单/ }).click();
  await page.getByTestId('nav-lane').click();
  await page.waitForURL(/\/lane$/);
  await page.getByTestId('lane-picker').waitFor();
  assert.equal(await page.getByTestId('user-menu').count(), 0, 'the lane is outside the console layout');

  // step 1: campaign → (its only site) → lane
  await page.getByTestId(`lane-campaign-${campaign.id}`).click();
  await page.getByTestId('lane-lane-2').waitFor();
  await shot(page, 'phone-lane-setup');
  await noSidewaysScroll(page, 'the lane picker');
  await page.getByTestId('lane-lane-1').click();
  const where = page.getByTestId('lane-where');
  await where.getByText(site.name).waitFor();
  await where.getByText('1 号通道').waitFor();
  // the tube kind defaults to the site's mode (5-in-1)
  assert.equal(await page.getByTestId('lane-kind-pool5').getAttribute('aria-checked'), 'true');

  // the choice survives a reload
  await page.reload();
  await page.getByTestId('lane-where').getByText(site.name).waitFor();

  // step 2 and 3: a tube, a person by ID number, a person by personal code
  await scanTube(page, tube(1));
  await page.getByTestId('lane-count').getByText('0 / 5').waitFor();
  await scanPerson(page, ids.get(a.id));
  // a sampler sees a masked name (with sex and age), never the stored one: the lane is no lookup
  await page.getByTestId('lane-last-name').getByText(maskName(a.name)).waitFor();
  // the server's answer to a sampler: the narrower mask (the four-character one and a birth date give back the number)
  assert.equal(await page.getByTestId('lane-last-id').innerText(), narrowMasked(ids.get(a.id)));
  await page.getByTestId('lane-count').getByText('1 / 5').waitFor();
  const { code } = await admin.get(`/api/residents/${b.id}/code`);
  assert.match(code, /^FK1\./);
  await scanPerson(page, code);
  await page.getByTestId('lane-last-name').getByText(maskName(b.name)).waitFor();
  await page.getByTestId('lane-count').getByText('2 / 5').waitFor();
  await page.getByTestId('lane-last-count').getByText('2 / 5').waitFor();
  assert.equal(await page.getByTestId('lane-person').count(), 2);
  // the same person again: "already in this tube", not counted twice
  await scanPerson(page, ids.get(a.id));
  await page.getByTestId('lane-flag-in-tube').waitFor();
  await page.getByTestId('lane-count').getByText('2 / 5').waitFor();
  await shot(page, 'phone-lane-scan');
  await noSidewaysScroll(page, 'the lane');

  // seal: two taps; then the page asks for the next tube
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-seal').getByText(/确认封管/).waitFor();
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-sealed').getByText(tube(1)).waitFor();
  await page.getByText('请扫描下一支试管').waitFor();
  const t1 = await admin.get(`/api/tubes/${tube(1)}`);
  assert.ok(t1.sealedAt, 'tube 1 is sealed on the server');
  assert.deepEqual(t1.samples.map((s) => s.residentId).sort(), [a.id, b.id].sort());

  // offline: a new tube and three people wait on the phone
  await page.context().setOffline(true);
  await page.getByTestId('lane-sync-badge').getByText('离线').waitFor();
  await scanTube(page, tube(2));
  for (const [i, r] of [c, d, e].entries()) {
    await scanPerson(page, ids.get(r.id));
    await page.getByTestId('lane-count').getByText(`${i + 1} / 5`).waitFor();
  }
  await page.getByTestId('lane-sync-badge').getByText('离线 · 3 条待同步').waitFor();
  // no name offline: the typed number, masked
  assert.equal(await page.getByTestId('lane-last-label').innerText(), masked(ids.get(e.id)));
  await page.getByTestId('lane-flag-queued').waitFor();
  await shot(page, 'phone-lane-offline');
  await noSidewaysScroll(page, 'the lane offline');
  const waiting = (await readQueue(page)).filter((i) => i.kind === 'scan').map((i) => i.scan);
  assert.equal(waiting.length, 3);
  assert.ok(waiting.every((s) => s.tube === tube(2) && s.key && s.at));

  // back online: the queue syncs by itself and the names appear
  await page.context().setOffline(false);
  await page.getByTestId('lane-sync-badge').getByText(/已同步 3 条|在线/).waitFor({ timeout: 20_000 });
  for (const r of [c, d, e]) await page.getByTestId('lane-people').getByText(maskName(r.name)).first().waitFor();
  await page.getByTestId('lane-count').getByText('3 / 5').waitFor();
  let t2 = await admin.get(`/api/tubes/${tube(2)}`);
  assert.equal(t2.samples.length, 3);
  assert.equal(t2.people, 3);

  // a second sync of the same batch (same keys) changes nothing
  const again = await sampler.post('/api/scans/batch', { scans: waiting });
  assert.equal(again.rejected, 0);
  assert.ok(again.items.every((i) => i.ok && i.result.outcome === 'replay'), JSON.stringify(again.items.map((i) => i.result?.outcome ?? i.error?.code)));
  t2 = await admin.get(`/api/tubes/${tube(2)}`);
  assert.equal(t2.samples.length, 3);
  assert.equal(t2.people, 3);

  // an unknown ID number: register on the spot, then sampled into the same tube
  await scanPerson(page, unknownId);
  const form = page.getByTestId('lane-register');
  await form.waitFor();
  await form.getByText(masked(unknownId)).waitFor();
  await page.getByTestId('lane-register-submit').click();
  await form.getByText('请填写姓名').waitFor();
  await page.getByTestId('lane-register-name').fill('现场登记测试');
  await page.getByTestId('lane-register-phone').fill('13800138000');
  await shot(page, 'phone-lane-register');
  await noSidewaysScroll(page, 'the registration form');
  await page.getByTestId('lane-register-submit').click();
  await page.getByTestId('lane-last-name').getByText('现场登记测试').waitFor();
  await page.getByTestId('lane-flag-registered').waitFor();
  await page.getByTestId('lane-count').getByText('4 / 5').waitFor();

  // someone already sampled in this round (tube 1): recorded, flagged; the tube is full and seals itself
  await scanPerson(page, ids.get(a.id));
  await page.getByTestId('lane-flag-repeat').waitFor();
  await page.getByTestId('lane-last-count').getByText('5 / 5').waitFor();
  await page.getByTestId('lane-sealed').getByText(tube(2)).waitFor();
  await page.getByTestId('lane-tube-input').waitFor();
  t2 = await admin.get(`/api/tubes/${tube(2)}`);
  assert.equal(t2.samples.length, 5);
  assert.ok(t2.sealedAt, 'a full tube is sealed');
  assert.equal(t2.samples.find((s) => s.residentId === a.id)?.repeatInRound, true);
  assert.equal((await readQueue(page)).length, 0, 'the queue is empty');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the household card: one QR per member; the personal code on the resident page', async () => {
  // the biggest household of the compound
  const { items: households } = await admin.get(`/api/households?placeId=${compound.id}&limit=50`);
  const household = households.sort((x, y) => y.residentCount - x.residentCount)[0];
  const { residents: members } = await admin.get(`/api/households/${household.id}`);
  assert.ok(members.length >= 2, 'a household of two or more');
  const r = members[0];
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${BASE}/residents/${r.id}`);
  await page.getByTestId('personal-code-qr').waitFor();
  await shot(page, 'desktop-resident-code');
  await page.goto(`${BASE}/households/${r.householdId}`);
  await page.getByTestId('household-members').getByText(r.name).waitFor();
  assert.equal(await page.getByTestId('household-members').locator('tbody tr.ant-table-row').count(), members.length);
  await page.getByTestId('print-household-card').click();
  await page.waitForURL(new RegExp(`/households/${r.householdId}/card$`));
  await page.getByTestId('card-member').first().waitFor();
  assert.equal(await page.getByTestId('card-member').count(), members.length);
  await page.getByTestId('household-card').getByText(r.name).waitFor();
  await page.getByTestId('household-card').getByText(r.idMasked).first().waitFor();
  await page.waitForFunction(
    (n) => {
      const imgs = [...document.querySelectorAll('[data-testid=card-qr]')];
      return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    members.length,
  );
  assert.equal(await page.getByTestId('user-menu').count(), 0, 'the card prints without the console around it');
  await shot(page, 'desktop-household-card');
  // printed: the toolbar is gone
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('card-print').isVisible(), false);
  await shot(page, 'desktop-household-card-print');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a passport at the lane: the document is picked, sent with its type, registered on the spot; the resident page links to no household', async () => {
  const passport = `E${stamp.slice(-6)}${uniqueSeq()}`.replace(/[^A-Z0-9]/g, '').slice(0, 12);
  const page = await newPage(browser, PHONE);
  await signIn(page, demoAccount('sampler1'));
  await page.goto(`${BASE}/lane`);
  await page.getByTestId(`lane-campaign-${campaign.id}`).click();
  await page.getByTestId('lane-lane-1').click();
  await scanTube(page, tube(9));
  assert.equal(await page.getByTestId('lane-doc-code').getAttribute('aria-checked'), 'true', 'a code or an ID card by default');
  await page.getByTestId('lane-doc-passport').click();
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/scans') && r.method() === 'POST');
  await scanPerson(page, passport);
  const body = (await sent).postDataJSON();
  assert.equal(body.idType, 'passport');
  assert.equal(body.idNumber, passport);
  assert.equal(body.code, undefined);
  await page.getByTestId('lane-register').waitFor();
  await page.getByTestId('lane-register-name').fill('护照登记测试');
  await page.getByTestId('lane-register-submit').click();
  await page.getByTestId('lane-last-name').getByText('护照登记测试').waitFor();
  await page.getByTestId('lane-flag-registered').waitFor();
  // the choice was for that person only
  assert.equal(await page.getByTestId('lane-doc-code').getAttribute('aria-checked'), 'true');
  const t9 = await admin.get(`/api/tubes/${tube(9)}`);
  const resident = (await admin.get(`/api/residents/${t9.samples[0].residentId}`)).resident;
  assert.equal(resident.idType, 'passport');
  assert.equal(resident.householdId, null, 'registered at a lane: no household yet');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // in the console: no link to /households/null, no household card to print
  const desk = await newPage(browser);
  await signIn(desk, ADMIN);
  await desk.goto(`${BASE}/residents/${resident.id}`);
  await desk.getByTestId('resident-detail').getByText('护照', { exact: true }).waitFor();
  await desk.getByTestId('personal-code-qr').waitFor();
  assert.equal(await desk.locator('a[href*="/households/"]').count(), 0, 'no household links');
  assert.equal(await desk.getByTestId('print-household-card-link').count(), 0);
  await desk.goto(`${BASE}/residents?q=${encodeURIComponent('护照登记测试')}`);
  await desk.getByText('护照登记测试').first().waitFor();
  assert.equal(await desk.locator('a[href*="/households/null"]').count(), 0);
  assert.deepEqual(desk.errors, []);
  await desk.context().close();
});

test('the lane in English; the queue survives a reload; back to the console', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, demoAccount('sampler1'));
  await page.goto(`${BASE}/lane`);
  // a fresh browser: pick the lane again (the choice is per device)
  await page.getByTestId(`lane-campaign-${campaign.id}`).click();
  await page.getByTestId('lane-lane-2').click();
  await page.getByTestId('lane-where').getByText('2 号通道').waitFor();

  // the server unreachable (the API refused at the network level): the scan waits on the
  // phone, the queue survives a reload, and the periodic retry syncs it once the server answers
  await scanTube(page, tube(3));
  await page.route('**/api/scans**', (route) => route.abort('internetdisconnected'));
  const extra = residents[5] ?? residents[2];
  await scanPerson(page, ids.get(extra.id));
  await page.getByTestId('lane-sync-badge').getByText('离线 · 1 条待同步').waitFor();
  // someone the registry does not know: offline, nobody can tell yet
  await scanPerson(page, unknownOffline);
  await page.getByTestId('lane-sync-badge').getByText('离线 · 2 条待同步').waitFor();
  await page.reload();
  await page.getByTestId('lane-tube-barcode').getByText(tube(3)).waitFor();
  await page.getByTestId('lane-count').getByText('2 / 5').waitFor();
  await page.getByTestId('lane-sync-badge').getByText(/2 条待同步/).waitFor();
  assert.equal((await readQueue(page)).length, 2);
  await page.unroute('**/api/scans**');
  try {
    await page.getByTestId('lane-sync-badge').getByText(/已同步 1 条|在线/).waitFor({ timeout: 25_000 });
  } catch (err) {
    // say so when the server itself stopped answering, rather than blame the page
    const alive = await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
    if (!alive) throw new Error('the server stopped answering while the lane synced (POST /api/scans/batch for a lane the server had not seen for 30 s)', { cause: err });
    throw err;
  }
  await page.getByTestId('lane-people').getByText(maskName(extra.name)).first().waitFor();
  await page.getByTestId('lane-count').getByText('1 / 5').waitFor();
  // the unknown person was refused at sync: listed, and registered from the list into the open tube
  const refused = page.getByTestId('lane-rejected-item');
  await refused.getByText(masked(unknownOffline)).waitFor();
  await refused.getByText('未登记的人员').waitFor();
  await page.getByTestId('lane-rejected-pill').getByText('同步被拒 1 条').waitFor();
  await shot(page, 'phone-lane-rejected');
  await noSidewaysScroll(page, 'the refused scans');
  await refused.getByTestId('lane-rejected-register').click();
  await page.getByTestId('lane-register-name').fill('离线登记测试');
  await page.getByTestId('lane-register-submit').click();
  await page.getByTestId('lane-last-name').getByText('离线登记测试').waitFor();
  await page.getByTestId('lane-count').getByText('2 / 5').waitFor();
  assert.equal(await page.getByTestId('lane-rejected').count(), 0, 'the refused scan left the list');

  // English
  const menu = page.locator('.ant-dropdown:not(.ant-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    if (!(await menu.isVisible())) await page.getByTestId('lang-switch').click();
    await menu.getByRole('menuitem', { name: 'English' }).click();
    try {
      await page.getByTestId('lane-where').getByText('Lane 2').waitFor({ timeout: 4000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  await page.getByText('Scan personal code or ID card').waitFor();
  await page.getByTestId('lane-seal').getByText('Seal').waitFor();
  await shot(page, 'phone-lane-en');
  await noSidewaysScroll(page, 'the lane in English');
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-seal').click();
  await page.getByTestId('lane-sealed').getByText(`Tube ${tube(3)} sealed with 2 in it`).waitFor();
  await page.getByTestId('lane-kind-single').waitFor();
  await shot(page, 'phone-lane-en-next-tube');
  await noSidewaysScroll(page, 'the lane in English');

  // back to Chinese (the sampler keeps the language on the server) and back to the console
  await page.getByTestId('lang-switch').click();
  await menu.getByRole('menuitem', { name: '简体中文' }).click();
  await page.getByText('扫描个人码或身份证').or(page.getByText('请扫描下一支试管')).first().waitFor();
  await page.getByTestId('lane-back').click();
  await page.getByTestId('user-menu').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('no network at all: the phone reloads the lane from its cache as the same sampler, and the scans wait for the network', async () => {
  const page = await newPage(browser, PHONE, { serviceWorkers: 'allow' });
  const context = page.context();
  // the phone's first visit: every page and chunk so far came from the network
  await signIn(page, demoAccount('sampler1'));
  await page.waitForURL(/\/lane$/);
  await page.getByTestId(`lane-campaign-${campaign.id}`).click();
  await page.getByTestId('lane-lane-2').click();
  await page.getByTestId('lane-where').getByText('2 号通道').waitFor();
  // the service worker is active once it has cached the shell and every asset
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  // the phone loses the network (the service worker's requests too) and the page reloads
  const fromNetwork = [];
  page.on('request', (r) => {
    if (!r.url().includes('/api/')) fromNetwork.push(r);
  });
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('lane-where').getByText('2 号通道').waitFor();
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'), 'still signed in on the device');
  await page.getByTestId('lane-sync-badge').getByText('离线').waitFor();
  const uncached = [];
  for (const r of fromNetwork) if (!(await r.response())?.fromServiceWorker()) uncached.push(r.url());
  assert.deepEqual(uncached, [], 'the page and its code came from the service worker');
  assert.deepEqual(page.errors, []);

  const person = residents[1];
  await scanTube(page, tube(4));
  await scanPerson(page, ids.get(person.id));
  await page.getByTestId('lane-sync-badge').getByText('离线 · 1 条待同步').waitFor();
  await shot(page, 'phone-lane-offline-reload');

  // the network is back: the session is checked again and the scan syncs once
  await context.setOffline(false);
  await page.getByTestId('lane-people').getByText(maskName(person.name)).first().waitFor({ timeout: 20_000 });
  await page.getByTestId('lane-count').getByText('1 / 5').waitFor();
  const t4 = await admin.get(`/api/tubes/${tube(4)}`);
  assert.deepEqual(
    t4.samples.map((s) => s.residentId),
    [person.id],
  );
  await context.close();
});
