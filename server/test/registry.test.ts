// Places, households and residents through the HTTP API: hierarchy rules, counts, moves,
// validation, search by name/phone/ID (blind index), encryption at rest, masking, reveal, audit.
// Every test builds its own district (district → street → community → compound → grids A and B,
// a building, unit, household and resident in each), so a rename, move or edit in one test is
// never what another reads, and the suite passes in any order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { makeMainlandId } from './fixtures.js';
import { freshId, household, place } from './factories.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
});
afterAll(() => t.close());

let districts = 0;
/** A district of its own: 张伟 in 幸福里小区 1号楼 1单元 101 (grid A), 李娜 in 2号楼 1单元 202 (grid B). */
async function district() {
  districts += 1;
  const dist = await place(admin, null, 'district', `河西区${districts}`, { code: '120103' });
  const street = await place(admin, dist, 'street', '友谊路街道');
  const community = await place(admin, street, 'community', '平江里社区');
  const compound = await place(admin, community, 'compound', '幸福里小区');
  const gridA = await place(admin, compound, 'grid', '第一网格');
  const gridB = await place(admin, compound, 'grid', '第二网格');
  const buildingA = await place(admin, gridA, 'building', '1号楼', { floors: 6 });
  const buildingB = await place(admin, gridB, 'building', '2号楼', { floors: 6 });
  const unitA = await place(admin, buildingA, 'unit', '1单元');
  const unitB = await place(admin, buildingB, 'unit', '1单元');
  const a = await household(admin, unitA, '101', [{ name: '张伟', phone: '13812345678', birth: '19850317' }]);
  const b = await household(admin, unitB, '202', [{ name: '李娜', phone: '13987654321', birth: '19900101' }]);
  return {
    district: dist, street, community, compound, gridA, gridB, buildingA, buildingB, unitA, unitB,
    householdA: a.householdId, householdB: b.householdId,
    residentA: a.people[0].id, residentB: b.people[0].id, idA: a.people[0].idNumber, idB: b.people[0].idNumber,
  };
}

describe('places', () => {
  it('counts households and residents under any node', async () => {
    const d = await district();
    const res = await admin.get(`/api/places/${d.compound}`);
    expect(res.json().place).toMatchObject({ kind: 'compound', households: 2, residents: 2, children: 2 });
    expect(res.json().ancestors.map((a: { kind: string }) => a.kind)).toEqual(['district', 'street', 'community']);
    const children = (await admin.get(`/api/places/${d.compound}/children`)).json().items;
    expect(children.map((c: { name: string; residents: number }) => [c.name, c.residents])).toEqual([
      ['第一网格', 1],
      ['第二网格', 1],
    ]);
  });

  it('keeps the hierarchy: no unit under a street, no twin names among siblings', async () => {
    const d = await district();
    const bad = await admin.post('/api/places', { parentId: d.street, kind: 'unit', name: '9单元' });
    expect(bad.json().error).toMatchObject({ code: 'PLACE_BAD_PARENT', field: 'parentId' });
    const twin = await admin.post('/api/places', { parentId: d.compound, kind: 'grid', name: '第一网格' });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.code).toBe('PLACE_NAME_TAKEN');
  });

  it('entrances hang off a compound', async () => {
    const d = await district();
    const res = await admin.post('/api/places', { parentId: d.compound, kind: 'entrance', name: '南门' });
    expect(res.statusCode).toBe(201);
  });

  it('renames', async () => {
    const d = await district();
    const res = await admin.patch(`/api/places/${d.buildingA}`, { name: '1号楼（东）' });
    expect(res.json().name).toBe('1号楼（东）');
    const r = (await admin.get(`/api/residents/${d.residentA}`)).json().resident;
    expect(r.address).toBe('幸福里小区 1号楼（东） 1单元 101');
    await admin.patch(`/api/places/${d.buildingA}`, { name: '1号楼' });
  });

  it('moves a building to another grid; its people follow, and a move under itself is refused', async () => {
    const d = await district();
    const cycle = await admin.post(`/api/places/${d.gridA}/move`, { parentId: d.gridA });
    expect(cycle.json().error.code).toBe('PLACE_MOVE_CYCLE');
    const moved = await admin.post(`/api/places/${d.buildingA}/move`, { parentId: d.gridB });
    expect(moved.statusCode).toBe(200);
    expect((await admin.get(`/api/places/${d.gridB}`)).json().place.residents).toBe(2);
    expect((await admin.get(`/api/places/${d.gridA}`)).json().place.residents).toBe(0);
    expect((await admin.get(`/api/residents/${d.residentA}`)).json().resident.gridName).toBe('第二网格');
    await admin.post(`/api/places/${d.buildingA}/move`, { parentId: d.gridA });
    expect((await admin.get(`/api/places/${d.gridA}`)).json().place.residents).toBe(1);
  });

  it('archives only an empty place', async () => {
    const d = await district();
    expect((await admin.post(`/api/places/${d.gridA}/archive`)).json().error.code).toBe('PLACE_NOT_EMPTY');
    const empty = (await admin.post('/api/places', { parentId: d.compound, kind: 'grid', name: '第九网格' })).json();
    expect((await admin.post(`/api/places/${empty.id}/archive`)).statusCode).toBe(200);
    expect((await admin.get(`/api/places/${empty.id}`)).statusCode).toBe(404);
  });
});

describe('residents', () => {
  it('derives sex and birth date from the ID and stores the number only encrypted', async () => {
    const d = await district();
    const idNumber = makeMainlandId('20010203', 342).toLowerCase();
    const res = await admin.post('/api/residents', { householdId: d.householdA, name: '王芳', idNumber, phone: '139 1111 2222', tenancy: 'tenant' });
    expect(res.statusCode).toBe(201);
    const r = res.json().resident;
    expect(r).toMatchObject({ sex: 'female', birthDate: '2001-02-03', phone: '13911112222', tenancy: 'tenant' });
    expect(r.idMasked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4).toUpperCase()}`);
    expect(JSON.stringify(r)).not.toContain(idNumber.toUpperCase());
    const { rows } = await t.ctx.db.query<Record<string, unknown>>('SELECT * FROM residents WHERE id = $1', [r.id]);
    expect(JSON.stringify(rows[0])).not.toContain(idNumber.toUpperCase());
    expect(Buffer.from(rows[0].id_cipher as Uint8Array).includes(Buffer.from(idNumber.toUpperCase()))).toBe(false);
  });

  it('refuses a duplicate ID number, a sex that contradicts the ID, a pregnancy without a due date', async () => {
    const d = await district();
    const dup = await admin.post('/api/residents', { householdId: d.householdB, name: '张伟二', idNumber: d.idA });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('RESIDENT_DUPLICATE_ID');
    const sex = await admin.post('/api/residents', { householdId: d.householdB, name: '赵六', idNumber: makeMainlandId('19700101', 111), sex: 'female' });
    expect(sex.json().error).toMatchObject({ code: 'FIELD_INVALID', field: 'sex' });
    const preg = await admin.post('/api/residents', { householdId: d.householdB, name: '孙七', idNumber: makeMainlandId('19950101', 222), pregnant: true });
    expect(preg.json().error).toMatchObject({ code: 'RESIDENT_DUE_DATE', field: 'dueDate' });
    const phone = await admin.post('/api/residents', { householdId: d.householdB, name: '孙七', idNumber: makeMainlandId('19950101', 222), phone: '12345' });
    expect(phone.json().error).toMatchObject({ code: 'RESIDENT_PHONE_FORMAT', field: 'phone' });
  });

  it('registers a passport holder and a permit holder', async () => {
    const d = await district();
    const p = await admin.post('/api/residents', {
      householdId: d.householdB, name: 'KIM MINJUN', idType: 'passport', idNumber: 'M12345678', nationality: 'KR', language: 'ko-KR', sex: 'male', birthDate: '1988-05-05',
    });
    expect(p.statusCode).toBe(201);
    expect(p.json().resident).toMatchObject({ idMasked: 'M1*****78', nationality: 'KR', language: 'ko-KR', sex: 'male' });
    const hk = await admin.post('/api/residents', { householdId: d.householdB, name: '陈大文', idType: 'hk_macau_permit', idNumber: 'H87654321' });
    expect(hk.statusCode).toBe(201);
  });

  it('finds people by name prefix, phone, ID number (blind index), place and flags, paging by cursor', async () => {
    const d = await district();
    const tenant = await admin.post('/api/residents', { householdId: d.householdA, name: '王芳', idNumber: freshId('20010203'), tenancy: 'tenant' });
    expect(tenant.statusCode, tenant.body).toBe(201);
    const here = `placeId=${d.compound}`; // other tests' districts have the same names and phones
    const byId = (await admin.get(`/api/residents?q=${d.idA}`)).json();
    expect(byId.items.map((r: { id: number }) => r.id)).toEqual([d.residentA]);
    expect(byId.items[0].phone).toBe('138****5678');
    expect((await admin.get(`/api/residents?idNumber=${d.idA.toLowerCase()}`)).json().items).toHaveLength(1);
    expect((await admin.get(`/api/residents?q=13987654321&${here}`)).json().items.map((r: { name: string }) => r.name)).toEqual(['李娜']);
    expect((await admin.get(`/api/residents?q=${encodeURIComponent('张')}&${here}`)).json().items.map((r: { name: string }) => r.name)).toContain('张伟');
    expect((await admin.get(`/api/residents?placeId=${d.gridB}`)).json().items.every((r: { gridName: string }) => r.gridName === '第二网格')).toBe(true);
    expect((await admin.get(`/api/residents?tenancy=tenant&${here}`)).json().items.map((r: { name: string }) => r.name)).toEqual(['王芳']);
    await admin.patch(`/api/residents/${d.residentB}`, { chronicIllness: true });
    expect((await admin.get(`/api/residents?flags=chronicIllness&${here}`)).json().items.map((r: { id: number }) => r.id)).toEqual([d.residentB]);
    expect((await admin.get('/api/residents?flags=bogus')).statusCode).toBe(400);
    const p1 = (await admin.get(`/api/residents?limit=2&${here}`)).json();
    expect(p1.items).toHaveLength(2);
    const p2 = (await admin.get(`/api/residents?limit=2&${here}&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((r: { id: number }) => r.id)).toHaveLength(1); // three people here: two, then one
    expect(p2.items[0].id).toBeGreaterThan(p1.items[1].id);
    const bad = await admin.get('/api/residents?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('cursor');
  });

  it('reveals an ID only on request, and logs the reveal and every full read', async () => {
    const d = await district();
    const res = await admin.post(`/api/residents/${d.residentA}/reveal-id`);
    expect(res.json().idNumber).toBe(d.idA);
    await admin.get(`/api/residents/${d.residentA}`);
    const log = (await admin.get(`/api/audit?entity=resident&entityId=${d.residentA}`)).json().items.map((a: { action: string }) => a.action);
    expect(log).toContain('resident.reveal_id');
    expect(log).toContain('resident.read');
    expect(log).toContain('resident.create');
  });

  it('edits, keeps the ID rules on edit, moves household, archives', async () => {
    const d = await district();
    await admin.patch(`/api/residents/${d.residentB}`, { chronicIllness: true });
    const edited = await admin.patch(`/api/residents/${d.residentB}`, { phone: '13700001111', elderlyAlone: true });
    expect(edited.json().resident).toMatchObject({ phone: '13700001111', elderlyAlone: true, chronicIllness: true });
    expect((await admin.patch(`/api/residents/${d.residentB}`, { idNumber: '123' })).json().error.code).toBe('RESIDENT_ID_FORMAT');
    const moved = await admin.patch(`/api/residents/${d.residentB}`, { householdId: d.householdA });
    expect(moved.json().resident.address).toBe('幸福里小区 1号楼 1单元 101');
    await admin.patch(`/api/residents/${d.residentB}`, { householdId: d.householdB });
    const household = (await admin.get(`/api/households/${d.householdB}`)).json();
    expect(household.household.address).toBe('幸福里小区 2号楼 1单元 202');
    expect(household.residents.map((r: { name: string }) => r.name)).toContain('李娜');
    const extra = (await admin.post('/api/residents', { householdId: d.householdB, name: '临时', idNumber: makeMainlandId('19600101', 555) })).json().resident;
    expect((await admin.del(`/api/residents/${extra.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/residents/${extra.id}`)).statusCode).toBe(404);
  });

  it('refuses a household in a grid (households live in units or buildings) and twin rooms', async () => {
    const d = await district();
    expect((await admin.post('/api/households', { placeId: d.gridA, room: '1' })).json().error.code).toBe('HOUSEHOLD_PLACE_KIND');
    expect((await admin.post('/api/households', { placeId: d.unitA, room: '101' })).json().error.code).toBe('HOUSEHOLD_EXISTS');
  });

  it('exports a search as XLSX, masked, and logs it', async () => {
    const d = await district();
    const res = await admin.get(`/api/residents/export.xlsx?placeId=${d.compound}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
    const ids = sheet.getColumn(3).values.slice(2) as string[];
    expect((sheet.getColumn(1).values.slice(2) as string[]).sort()).toEqual(['张伟', '李娜'].sort());
    expect(ids.every((v) => v.includes('*'))).toBe(true);
    const log = (await admin.get('/api/audit?action=resident.export_finished')).json().items;
    expect(log[0].detail.count).toBe(ids.length);
    expect((await admin.get('/api/audit?action=resident.export')).json().items[0].detail).toMatchObject({ fullIds: false });
  });

  it('writes an audit row for every write', async () => {
    const d = await district();
    const since = (await t.ctx.db.query<{ n: number }>('SELECT coalesce(max(id), 0) AS n FROM audit_log')).rows[0].n;
    const grid = await place(admin, d.compound, 'grid', '第三网格');
    await admin.patch(`/api/places/${grid}`, { name: '第三网格（新）' });
    await admin.post(`/api/places/${d.buildingB}/move`, { parentId: grid });
    const spare = await place(admin, d.compound, 'grid', '空网格');
    await admin.post(`/api/places/${spare}/archive`);
    const h = await household(admin, d.unitA, '102', [{ name: '审计', phone: '13700002222' }]);
    await admin.patch(`/api/residents/${h.people[0].id}`, { elderlyAlone: true });
    await admin.del(`/api/residents/${h.people[0].id}`);
    await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const { rows } = await t.ctx.db.query<{ action: string; entity_id: string | null }>('SELECT action, entity_id FROM audit_log WHERE id > $1', [since]);
    const did = (action: string, id?: number) => rows.some((r) => r.action === action && (id === undefined || r.entity_id === String(id)));
    expect(did('place.create', grid)).toBe(true);
    expect(did('place.rename', grid)).toBe(true);
    expect(did('place.move', d.buildingB)).toBe(true);
    expect(did('place.archive', spare)).toBe(true);
    expect(did('household.create', h.householdId)).toBe(true);
    expect(did('resident.create', h.people[0].id)).toBe(true);
    expect(did('resident.update', h.people[0].id)).toBe(true);
    expect(did('resident.archive', h.people[0].id)).toBe(true);
    expect(did('auth.login')).toBe(true);
  });
});
