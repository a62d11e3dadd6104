// No combination of fields in an answer to a role without registry.reveal gives back an ID
// number (issue 11, 1). A sampler once rebuilt every number from a list: the mask hid exactly
// the eight birth-date digits and the birth date sat beside it. This test signs in as every such
// role, reads every list and export that returns people, and tries what that sampler did: the
// region from the mask, any birth date (or the dates an age allows), every sequence number the
// mask and the sex leave, filtered by the GB 11643 check character. A number narrowed to a
// handful of candidates counts as rebuilt: a search by exact ID would confirm each.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainlandCheckChar } from '../src/platform/ids.js';
import { can, ROLES, type Role } from '../src/platform/permissions.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { antigen, boxHandedOver, buildTown, campaign, key, ok, results, staffAt, tube, type Town } from './factories.js';

/** A few candidates are a few searches away: more than this many per person is not a rebuild. */
const REBUILT_AT = 100;

interface Facts {
  idMasked: string;
  birthDate?: string | null;
  age?: number | null;
  sex?: string | null;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;

/** The birth dates (YYYYMMDD) the facts allow: the date, the year of an age, or the last 120 years. */
function birthDates(f: Facts): string[] {
  if (f.birthDate) return [f.birthDate.replaceAll('-', '')];
  const today = new Date();
  const years = f.age != null ? [f.age, f.age + 1] : [0, 120];
  const from = Date.UTC(today.getUTCFullYear() - years[1] - 1, today.getUTCMonth(), today.getUTCDate());
  const to = Date.UTC(today.getUTCFullYear() - years[0], today.getUTCMonth(), today.getUTCDate());
  const out: string[] = [];
  for (let t = from; t <= to; t += 86_400_000) out.push(ymd(new Date(t)));
  return out;
}

/** The ID numbers these facts leave, up to `cap` (enough to say "not rebuilt"). */
export function candidates(f: Facts, cap = REBUILT_AT + 1): string[] {
  const m = f.idMasked;
  if (!/^[\d*]{17}[\dX*]$/.test(m) || !/^\d{6}/.test(m)) return [];
  const fits = (s: string, at: number) => [...s].every((c, i) => m[at + i] === '*' || m[at + i] === c);
  const out: string[] = [];
  for (const date of birthDates(f)) {
    if (!fits(date, 6)) continue;
    for (let seq = 0; seq < 1000; seq++) {
      const s = pad(seq, 3);
      if (!fits(s, 14)) continue;
      if (f.sex && (seq % 2 === 1 ? 'male' : 'female') !== f.sex) continue;
      const first17 = m.slice(0, 6) + date + s;
      const check = mainlandCheckChar(first17);
      if (m[17] !== '*' && m[17] !== check) continue;
      out.push(first17 + check);
      if (out.length >= cap) return out;
    }
  }
  return out;
}

/** Every object in an answer that carries a mask, with the facts beside it. */
function factsIn(value: unknown, out: Facts[] = []): Facts[] {
  if (Array.isArray(value)) value.forEach((v) => factsIn(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.idMasked === 'string') out.push(o as unknown as Facts);
    Object.values(o).forEach((v) => factsIn(v, out));
  }
  return out;
}

/** The rows of a spreadsheet answer, each as facts: a masked ID cell and any date cell in its row. */
async function factsInXlsx(body: Buffer): Promise<Facts[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const out: Facts[] = [];
  book.eachSheet((sheet) =>
    sheet.eachRow((row) => {
      const cells = (row.values as unknown[]).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '')));
      const idMasked = cells.find((c) => /^\d{6}[\d*]{11}[\dX*]$/.test(c) && c.includes('*'));
      if (!idMasked) return;
      out.push({ idMasked, birthDate: cells.find((c) => /^\d{4}-\d{2}-\d{2}$/.test(c)) ?? null, sex: cells.includes('男') ? 'male' : cells.includes('女') ? 'female' : null });
    }),
  );
  return out;
}

let t: TestApp;
let admin: Client;
let town: Town;
let roundId: number;
const NO_REVEAL = ROLES.filter((r) => r !== 'admin' && !can(r, 'registry.reveal'));

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, '-rb');
  const c = await campaign(admin, { name: '重建测试', ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c1.compound, siteName: '一号采样点' });
  roundId = c.roundId;
  const [sampler] = [(await staffAt(t, admin, town.district, 'rb-s', ['sampler'])).sampler!];
  const lab = (await staffAt(t, admin, town.district, 'rb-l', ['lab_operator'])).lab_operator!;
  // a positive single tube: a recall; a sealed tube with people in it; a positive antigen report: an alert
  await tube(sampler, c.laneId, 'RB-0001', [town.c1.a.people[0]]);
  await boxHandedOver(sampler, 'RB-BOX-1', ['RB-0001']);
  await ok(lab.post('/api/boxes/RB-BOX-1/receive', { labName: '金域检验', tubes: ['RB-0001'] }), 200);
  await results(lab, [{ tube: 'RB-0001', result: 'positive' }]);
  await antigen(admin, town.c2.a.householdId, town.c2.a.people[0].id);
  void key;
}, 60_000);

afterAll(async () => t?.close());

/** Everything people-bearing a client can read: JSON answers and spreadsheets. */
async function readEverything(who: Client): Promise<Facts[]> {
  const all: Facts[] = [];
  const json = async (url: string) => {
    const res = await who.get(url);
    if (res.statusCode === 200) factsIn(res.json(), all);
  };
  const xlsx = async (url: string) => {
    const res = await who.get(url);
    if (res.statusCode === 200) all.push(...(await factsInXlsx(res.rawPayload)));
  };
  await json('/api/residents?limit=200');
  await json('/api/households?limit=200');
  const households = [town.c1.a, town.c1.b, town.c2.a, town.c2.b];
  for (const h of households) {
    await json(`/api/households/${h.householdId}`);
    await json(`/api/households/${h.householdId}/card`);
    await json(`/api/households/${h.householdId}/antigen`);
    for (const p of h.people) {
      await json(`/api/residents/${p.id}`);
      await json(`/api/residents/${p.id}/code`);
      await json(`/api/residents/${p.id}/tests`);
    }
  }
  await json(`/api/rounds/${roundId}/missing?limit=200`);
  await xlsx(`/api/rounds/${roundId}/missing.xlsx`);
  await json('/api/recalls?limit=200');
  await json('/api/tubes/RB-0001');
  await json('/api/antigen/alerts?limit=200');
  await xlsx('/api/residents/export.xlsx');
  return all;
}

describe('no ID number can be rebuilt from what a role without the reveal right reads', () => {
  it('the rebuilder works: from an officer’s list (who may reveal) it gets the numbers back', async () => {
    const facts = factsIn((await admin.get('/api/residents?limit=200')).json());
    expect(facts.length).toBeGreaterThan(0);
    const real = new Set([town.c1.a, town.c1.b, town.c2.a, town.c2.b].flatMap((g) => g.people.map((p) => p.idNumber)));
    for (const f of facts) {
      const c = candidates(f);
      expect(c).toHaveLength(1);
      expect(real.has(c[0])).toBe(true);
    }
  });

  it.each(NO_REVEAL)('as %s: every person read leaves more than a handful of candidates', async (role: Role) => {
    const who = (await staffAt(t, admin, town.district, `rb-${role}`, [role]))[role]!;
    const facts = await readEverything(who);
    if (can(role, 'registry.read')) expect(facts.length).toBeGreaterThan(10); // the role reads people: the test saw them
    const rebuilt = facts.filter((f) => candidates(f).length <= REBUILT_AT);
    expect(rebuilt.map((f) => f.idMasked)).toEqual([]);
    // a person read without the reveal right carries an age, never the full birth date
    expect(facts.filter((f) => f.birthDate)).toEqual([]);
  });
});
