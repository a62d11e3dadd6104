// A small district built through the HTTP API, and valid ID numbers for tests.
import { mainlandCheckChar } from '../src/platform/ids.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';

/** A valid GB 11643 number for region 120103, the given birth date (YYYYMMDD) and sequence (3 digits; odd = male). */
export function makeMainlandId(birth = '19850317', seq = 123, region = '120103'): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + mainlandCheckChar(first17);
}

async function ok<T>(p: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 201): Promise<T> {
  const res = await p;
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

export interface District {
  district: number;
  street: number;
  community: number;
  compound: number;
  gridA: number;
  gridB: number;
  buildingA: number;
  buildingB: number;
  unitA: number;
  unitB: number;
  householdA: number;
  householdB: number;
  residentA: number;
  residentB: number;
  idA: string;
  idB: string;
}

/** district → street → community → compound → grids A and B → a building, unit, household and resident in each. */
export async function buildDistrict(admin: Client): Promise<District> {
  const place = (parentId: number | null, kind: string, name: string, extra: object = {}) =>
    ok<{ id: number }>(admin.post('/api/places', { parentId, kind, name, ...extra })).then((p) => p.id);
  const district = await place(null, 'district', '河西区', { code: '120103' });
  const street = await place(district, 'street', '友谊路街道');
  const community = await place(street, 'community', '平江里社区');
  const compound = await place(community, 'compound', '幸福里小区');
  const gridA = await place(compound, 'grid', '第一网格');
  const gridB = await place(compound, 'grid', '第二网格');
  const buildingA = await place(gridA, 'building', '1号楼', { floors: 6 });
  const buildingB = await place(gridB, 'building', '2号楼', { floors: 6 });
  const unitA = await place(buildingA, 'unit', '1单元');
  const unitB = await place(buildingB, 'unit', '1单元');
  const householdA = (await ok<{ id: number }>(admin.post('/api/households', { placeId: unitA, room: '101' }))).id;
  const householdB = (await ok<{ id: number }>(admin.post('/api/households', { placeId: unitB, room: '202' }))).id;
  const idA = makeMainlandId('19850317', 123);
  const idB = makeMainlandId('19900101', 224);
  const resident = (householdId: number, name: string, idNumber: string, phone: string) =>
    ok<{ resident: { id: number } }>(admin.post('/api/residents', { householdId, name, idNumber, phone })).then((r) => r.resident.id);
  const residentA = await resident(householdA, '张伟', idA, '13812345678');
  const residentB = await resident(householdB, '李娜', idB, '13987654321');
  return { district, street, community, compound, gridA, gridB, buildingA, buildingB, unitA, unitB, householdA, householdB, residentA, residentB, idA, idB };
}

export async function createStaff(admin: Client, username: string, role: string, placeId: number, password = 'Staff-pass-2026') {
  await ok(admin.post('/api/users', { username, displayName: username, role, placeId, password }));
  return password;
}

/**
 * Registers a fresh app with the small district for this test file; fields are filled in beforeAll.
 * each: a fresh app and district for every test (beforeEach), for tests that count what they wrote
 * and so must not see another test's rows whatever order the tests run in.
 */
export function useDistrictApp(o: { each?: boolean } = {}) {
  const env = {} as { t: TestApp; admin: Client; d: District };
  const [before, after] = o.each ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    env.t = await startTestApp();
    env.admin = await signIn(env.t.app, 'admin', ADMIN_PASSWORD);
    env.d = await buildDistrict(env.admin);
  });
  after(() => env.t.close());
  return env;
}
