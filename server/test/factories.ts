// Factories: each builds, for one test, exactly the rows it needs through the HTTP API and
// returns their ids. Nothing here keeps state between calls; a describe block that wants a
// world builds its own (on its own app, see startTestApp).
import crypto from 'node:crypto';
import { ROLES, type Role } from '../src/platform/permissions.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { makeMainlandId } from './fixtures.js';

export const STAFF_PASSWORD = 'Staff-pass-2026';
const hour = 3_600_000;
export const key = () => crypto.randomUUID();

type Res = { statusCode: number; body: string; json(): unknown };

/** Awaits a response and returns its JSON, throwing with the body when the status is not the expected one. */
export async function ok<T = Record<string, unknown>>(p: Promise<Res>, status: number | number[] = [200, 201, 202]): Promise<T> {
  const res = await p;
  const want = Array.isArray(status) ? status : [status];
  if (!want.includes(res.statusCode)) throw new Error(`expected ${want.join('/')}, got ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

let idSeq = 0;
/** A fresh valid mainland ID number (distinct within one process). */
export function freshId(birth = '19800101'): string {
  idSeq += 1;
  const region = ['120103', '120104', '120105', '120106'][Math.floor(idSeq / 900) % 4];
  return makeMainlandId(birth, 100 + (idSeq % 900), region);
}

export const place = (admin: Client, parentId: number | null, kind: string, name: string, extra: object = {}) =>
  ok<{ id: number }>(admin.post('/api/places', { parentId, kind, name, ...extra }), 201).then((p) => p.id);

export interface Person {
  id: number;
  householdId: number;
  name: string;
  idNumber: string;
  phone: string;
}

/** A household in a unit with one resident per name given. */
export async function household(admin: Client, unitId: number, room: string, people: { name: string; phone: string; birth?: string }[]): Promise<{ householdId: number; people: Person[] }> {
  const householdId = (await ok<{ id: number }>(admin.post('/api/households', { placeId: unitId, room }), 201)).id;
  const out: Person[] = [];
  for (const p of people) {
    const idNumber = freshId(p.birth);
    const r = await ok<{ resident: { id: number } }>(admin.post('/api/residents', { householdId, name: p.name, idNumber, phone: p.phone }), 201);
    out.push({ id: r.resident.id, householdId, name: p.name, idNumber, phone: p.phone });
  }
  return { householdId, people: out };
}

export interface Grid {
  grid: number;
  building: number;
  unit: number;
  householdId: number;
  people: Person[];
}

/** A grid with one building, unit and household of the given people. */
export async function grid(admin: Client, compound: number, name: string, buildingName: string, room: string, people: { name: string; phone: string }[]): Promise<Grid> {
  const g = await place(admin, compound, 'grid', name);
  const building = await place(admin, g, 'building', buildingName, { floors: 6 });
  const unit = await place(admin, building, 'unit', '1单元');
  const h = await household(admin, unit, room, people);
  return { grid: g, building, unit, ...h };
}

export interface Community {
  community: number;
  compound: number;
  a: Grid;
  b: Grid;
}

export interface Town {
  district: number;
  street: number;
  /** community 1: its compound has grids A and B */
  c1: Community;
  /** community 2, beside community 1 under the same street: its compound has grids C and D */
  c2: Community;
}

/**
 * district → street → two communities, each with a compound of two grids (A and B in community 1,
 * C and D in community 2), a building, unit, household and two residents in each grid. Names and
 * phones are distinct so a test can look for them in any answer.
 */
export async function buildTown(admin: Client, tag = ''): Promise<Town> {
  const district = await place(admin, null, 'district', `河西区${tag}`, { code: '120103' });
  const street = await place(admin, district, 'street', `友谊路街道${tag}`);
  const community = async (name: string, compoundName: string, grids: [string, string], people: [string, string][], phone: number): Promise<Community> => {
    const c = await place(admin, street, 'community', name);
    const compound = await place(admin, c, 'compound', compoundName);
    const mk = (i: number) =>
      grid(admin, compound, grids[i], `${i + 1}号楼`, `${i + 1}01`, people[i].map((n, j) => ({ name: n, phone: `139${String(phone + i * 10 + j).padStart(8, '0')}` })));
    return { community: c, compound, a: await mk(0), b: await mk(1) };
  };
  const c1 = await community('平江里社区', '幸福里小区', ['第一网格', '第二网格'], [['张伟', '王芳'], ['李娜', '刘洋']], 10000001);
  const c2 = await community('桃园社区', '桃园小区', ['桃园一网格', '桃园二网格'], [['陈静', '杨磊'], ['赵敏', '黄强']], 20000001);
  return { district, street, c1, c2 };
}

export type Staff = Record<Role, Client>;

/** One signed-in account per role given (every role below admin by default), scoped at `placeId`. */
export async function staffAt(t: TestApp, admin: Client, placeId: number, prefix: string, roles: readonly Role[] = ROLES.filter((r) => r !== 'admin')): Promise<Partial<Staff>> {
  const out: Partial<Staff> = {};
  for (const role of roles) {
    const username = `${prefix}-${role}`;
    await ok(admin.post('/api/users', { username, displayName: username, role, placeId, password: STAFF_PASSWORD }), 201);
    out[role] = await signIn(t.app, username, STAFF_PASSWORD);
  }
  return out;
}

/** A staff account's id (for user-management probes). */
export async function userId(t: TestApp, username: string): Promise<number> {
  const { rows } = await t.ctx.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
  return rows[0].id;
}

export interface Campaign {
  campaignId: number;
  roundId: number;
  siteId: number;
  laneId: number;
}

/** A running campaign over `coverPlaceIds` owned by `ownerPlaceId`, one round, one site with a lane at `sitePlaceId`. */
export async function campaign(
  admin: Client,
  o: { name: string; ownerPlaceId: number; coverPlaceIds: number[]; sitePlaceId: number; siteName: string; mode?: string; by?: Client; exemptUnderMonths?: number; lanes?: number },
): Promise<Campaign> {
  const now = Date.now();
  const by = o.by ?? admin;
  const c = await ok<{ id: number; rounds: { id: number }[] }>(
    by.post('/api/campaigns', {
      name: o.name,
      placeId: o.ownerPlaceId,
      ...(o.exemptUnderMonths !== undefined ? { exemptUnderMonths: o.exemptUnderMonths } : {}),
      startsAt: new Date(now - 2 * hour).toISOString(),
      endsAt: new Date(now + 20 * hour).toISOString(),
      places: o.coverPlaceIds.map((placeId) => ({ placeId, mode: o.mode ?? 'pool5' })),
      rounds: [{ startsAt: new Date(now - 2 * hour).toISOString(), endsAt: new Date(now + 20 * hour).toISOString() }],
    }),
    201,
  );
  const site = await ok<{ id: number; lanes: { id: number }[] }>(
    by.post(`/api/campaigns/${c.id}/sites`, { placeId: o.sitePlaceId, name: o.siteName, lanes: o.lanes ?? 1, opensAt: '00:00', closesAt: '23:59' }),
    201,
  );
  return { campaignId: c.id, roundId: c.rounds[0].id, siteId: site.id, laneId: site.lanes[0].id };
}

/** Scans each person into the tube at the lane (one request per person), then seals the tube. */
export async function tube(sampler: Client, laneId: number, barcode: string, people: Person[], mode: string = people.length === 1 ? 'single' : 'pool5') {
  for (const p of people) await ok(sampler.post('/api/scans', { key: key(), laneId, tube: barcode, idNumber: p.idNumber, mode }), 200);
  const t = await sampler.post(`/api/tubes/${barcode}/seal`);
  if (t.statusCode !== 200) throw new Error(`seal ${barcode}: ${t.body}`);
  return barcode;
}

/** Packs sealed tubes into a box and hands it to transport. */
export async function boxHandedOver(sampler: Client, barcode: string, tubes: string[], carrier = '转运 李师傅') {
  await ok(sampler.post('/api/boxes', { barcode, tubes }), 200);
  await ok(sampler.post(`/api/boxes/${barcode}/handover`, { carrier }), 200);
  return barcode;
}

/** A lab receives a handed-over box with all its tubes (results need a received box). */
export async function boxReceived(lab: Client, barcode: string, tubes: string[], labName = '金域检验') {
  return ok(lab.post(`/api/boxes/${barcode}/receive`, { labName, tubes }), 200);
}

/** The lab reports results per tube. */
export async function results(lab: Client, list: { tube: string; result: 'negative' | 'positive' | 'invalid' }[]) {
  return ok(lab.post('/api/results', { results: list }), 200);
}

/** Plans the time slots of a round; returns the slot ids by building id. */
export async function schedule(admin: Client, roundId: number): Promise<{ slotId: number; placeId: number }[]> {
  await ok(admin.post(`/api/rounds/${roundId}/schedule`, { slotMinutes: 30 }), 200);
  const slots = (await ok<{ items: { id: number; placeId?: number; buildingId?: number }[] }>(admin.get(`/api/rounds/${roundId}/slots?limit=100`), 200)).items;
  return slots.map((s) => ({ slotId: s.id, placeId: (s.buildingId ?? s.placeId)! }));
}

/** Antigen kits for a household and a report for one of its residents; returns the alert id when positive. */
export async function antigen(by: Client, householdId: number, residentId: number, result: 'negative' | 'positive' = 'positive') {
  const dist = await ok<{ id?: number }>(by.post('/api/antigen/distributions', { key: key(), householdId, kits: 2 }), [200, 201]);
  await ok(by.post('/api/antigen/reports', { key: key(), residentId, result }), [200, 201]);
  return { distributionId: dist.id };
}

/** An import job (dry run) of a one-row ledger for a community; returns its id. */
export async function importJob(admin: Client, communityId: number, row: string): Promise<string> {
  const form = new FormData();
  form.append('communityId', String(communityId));
  form.append('file', new Blob([`姓名,身份证号,手机号,小区,网格,楼栋,单元,房号\n${row}\n`]), 'ledger.csv');
  const res = new Response(form);
  const body = Buffer.from(await res.arrayBuffer());
  const r = await admin.inject({ method: 'POST', url: '/api/imports', payload: body, headers: { 'content-type': res.headers.get('content-type')! } });
  if (r.statusCode !== 202) throw new Error(`import: ${r.statusCode} ${r.body}`);
  return (r.json() as { job: { id: string } }).job.id;
}
