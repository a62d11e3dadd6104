// The lane is not a lookup from ID number to name (issue 11, 1.4). A sampler may scan anyone
// in the district (visitors happen), so the scan's answer to a role without the reveal right
// names the person only as a masked name with sex and age: enough to catch the wrong person at
// the lane, never the stored name. Asking to register on the spot an ID number that is already
// registered samples under that record and says so, without echoing its name. The tube a
// sampler reopens shows the same. A role with the reveal right still gets the stored name.
// Each test scans its own tubes, so the tests pass in any order.
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageOn } from '../src/modules/registry/index.js';
import { maskName } from '../src/platform/ids.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { createStaff, makeMainlandId, useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
let sampler: Client;
let laneId: number;
/** someone in another community of the district: outside the sampler's area and the campaign */
let far: { id: number; idNumber: string; name: string; birth: string };
const key = () => crypto.randomUUID();
const hour = 3_600_000;

async function count(text: string, params: unknown[] = []) {
  const { rows } = await t.ctx.db.query<{ n: number }>(text, params);
  return Number(rows[0].n);
}

beforeAll(async () => {
  ({ t, admin, d } = env);
  const now = Date.now();
  const window = { startsAt: new Date(now - hour).toISOString(), endsAt: new Date(now + 23 * hour).toISOString() };
  const c = await admin.post('/api/campaigns', { name: '口令测试', placeId: d.community, ...window, places: [{ placeId: d.compound, mode: 'pool5' }], rounds: [window] });
  expect(c.statusCode, c.body).toBe(201);
  const site = await admin.post(`/api/campaigns/${c.json().id}/sites`, { placeId: d.compound, name: '口令测试采样点', lanes: 1 });
  expect(site.statusCode, site.body).toBe(201);
  laneId = site.json().lanes[0].id;

  const other = (await admin.post('/api/places', { parentId: d.street, kind: 'community', name: '远方社区' })).json().id;
  const compound = (await admin.post('/api/places', { parentId: other, kind: 'compound', name: '远方小区' })).json().id;
  const grid = (await admin.post('/api/places', { parentId: compound, kind: 'grid', name: '远方网格' })).json().id;
  const building = (await admin.post('/api/places', { parentId: grid, kind: 'building', name: '9号楼', floors: 9 })).json().id;
  const unit = (await admin.post('/api/places', { parentId: building, kind: 'unit', name: '9单元' })).json().id;
  const household = (await admin.post('/api/households', { placeId: unit, room: '909' })).json().id;
  far = { idNumber: makeMainlandId('19920615', 482), name: '欧阳芊芊', birth: '1992-06-15', id: 0 };
  const r = await admin.post('/api/residents', { householdId: household, name: far.name, idNumber: far.idNumber });
  expect(r.statusCode, r.body).toBe(201);
  far.id = r.json().resident.id;

  await createStaff(admin, 'sampler-oracle', 'sampler', d.community);
  sampler = await signIn(t.app, 'sampler-oracle', 'Staff-pass-2026');
});

describe('names at the lane', () => {
  it('masks a name the way a sampler can still check it', () => {
    expect(maskName('张芊芊')).toBe('张*芊');
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName('买买提·艾力')).toBe('买**·艾*');
  });

  it('a sampler scanning any ID in the district gets a masked name, sex and age, never the stored name', async () => {
    const res = await sampler.post('/api/scans', { key: key(), laneId, tube: 'ORACLE-0001', idNumber: far.idNumber });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(far.name);
    expect(res.body).not.toContain('芊芊');
    expect(res.json()).toMatchObject({
      outcome: 'recorded',
      resident: { id: far.id, name: '欧**芊', sex: 'female', age: ageOn(far.birth), idMasked: `${far.idNumber.slice(0, 6)}**********${far.idNumber.slice(-2)}` },
      flags: { outsideCampaign: true, alreadyRegistered: false },
    });
    // a personal code of someone in the area: the same rule
    const mine = await sampler.post('/api/scans', { key: key(), laneId, tube: 'ORACLE-0001', idNumber: d.idA });
    expect(mine.body).not.toContain('张伟');
    expect(mine.json().resident).toMatchObject({ id: d.residentA, name: '张*', sex: 'male', age: ageOn('1985-03-17') });
  });

  it('a retried scan answers the same masked name', async () => {
    const body = { key: key(), laneId, tube: 'ORACLE-0002', idNumber: far.idNumber };
    const first = await sampler.post('/api/scans', body);
    const again = await sampler.post('/api/scans', body);
    expect(again.json()).toMatchObject({ outcome: 'replay', resident: { name: '欧**芊' } });
    expect(again.body).not.toContain(far.name);
    expect(first.json().resident).toEqual(again.json().resident);
  });

  it('registering on the spot an ID number that is registered: that record, said so, no name echoed, nothing created', async () => {
    const before = await count('SELECT count(*) AS n FROM residents');
    const res = await sampler.post('/api/scans', { key: key(), laneId, tube: 'ORACLE-0003', idNumber: far.idNumber, register: { name: '随便写', phone: '13700002222' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(far.name);
    expect(res.json()).toMatchObject({ outcome: 'recorded', resident: { id: far.id, name: '欧**芊' }, flags: { registeredOnSpot: false, alreadyRegistered: true } });
    expect(await count('SELECT count(*) AS n FROM residents')).toBe(before);
    // the stored record is untouched
    expect(await count('SELECT count(*) AS n FROM residents WHERE id = $1 AND name = $2 AND phone IS NULL', [far.id, far.name])).toBe(1);

    // the same from an offline queue syncing
    const batch = await sampler.post('/api/scans/batch', {
      scans: [{ key: key(), laneId, tube: 'ORACLE-0004', idNumber: d.idB, register: { name: '随便写' } }],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.body).not.toContain('李娜');
    expect(batch.json().items[0].result).toMatchObject({ resident: { id: d.residentB, name: '李*' }, flags: { alreadyRegistered: true, registeredOnSpot: false } });
  });

  it('a person really registered on the spot is flagged so, not as already registered', async () => {
    const res = await sampler.post('/api/scans', { key: key(), laneId, tube: 'ORACLE-0005', idNumber: makeMainlandId('20010203', 611), register: { name: '新来的人' } });
    expect(res.json()).toMatchObject({ resident: { name: '新**人', sex: 'male', age: ageOn('2001-02-03') }, flags: { registeredOnSpot: true, alreadyRegistered: false } });
  });

  it('the tube a sampler reopens names its people the same way; an officer with the reveal right sees the stored names', async () => {
    // this test's own tube: someone from far away, then someone of the area
    for (const idNumber of [far.idNumber, d.idA]) {
      const r = await sampler.post('/api/scans', { key: key(), laneId, tube: 'ORACLE-0007', idNumber });
      expect(r.statusCode, r.body).toBe(200);
    }
    const asSampler = (await sampler.get('/api/tubes/ORACLE-0007')).json();
    expect(JSON.stringify(asSampler)).not.toContain('张伟');
    // (someone outside the sampler's area is not listed to them at all; they count)
    expect(asSampler.people).toBe(2);
    expect(asSampler.samples).toEqual([expect.objectContaining({ residentId: d.residentA, name: '张*', sex: 'male', age: ageOn('1985-03-17') })]);
    const asAdmin = (await admin.get('/api/tubes/ORACLE-0007')).json();
    expect(asAdmin.samples.map((s: { name: string }) => s.name)).toEqual([far.name, '张伟']);
  });

  it('an officer with the reveal right scanning gets the stored name', async () => {
    const res = await admin.post('/api/scans', { key: key(), laneId, tube: 'ORACLE-0006', idNumber: far.idNumber });
    expect(res.json()).toMatchObject({ resident: { id: far.id, name: far.name, idMasked: `${far.idNumber.slice(0, 6)}********${far.idNumber.slice(-4)}` } });
  });
});
