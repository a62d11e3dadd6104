// The synthetic district: deterministic, valid, plausible, loaded with consistent paths.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, type IdType } from '../src/platform/ids.js';
import { generateDistrict, type SyntheticHousehold } from '../src/db/seed/synthetic.js';
import { loadDemoIfEmpty, DEMO_PASSWORD } from '../src/db/seed/demo.js';
import { writeDistrictCsv } from '../src/db/seed/csv.js';
import { signIn, startTestApp, type TestApp } from './helpers.js';

const today = new Date('2026-11-24T00:00:00Z');
function households(residents: number, seed: number): SyntheticHousehold[] {
  const out: SyntheticHousehold[] = [];
  for (const item of generateDistrict({ residents, seed, today })) if (item.type === 'household') out.push(item.household);
  return out;
}

describe('generator', () => {
  const hs = households(5000, 7);
  const people = hs.flatMap((h) => h.residents);

  it('makes exactly the residents asked for, in households of 1–5', () => {
    expect(people).toHaveLength(5000);
    expect(hs.every((h) => h.residents.length >= 1 && h.residents.length <= 5)).toBe(true);
    const mean = people.length / hs.length;
    expect(mean).toBeGreaterThan(2.3);
    expect(mean).toBeLessThan(3.1);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const again = households(5000, 7).flatMap((h) => h.residents);
    expect(again.slice(0, 200)).toEqual(people.slice(0, 200));
    const other = households(5000, 8).flatMap((h) => h.residents);
    expect(other.slice(0, 50).map((p) => p.idNumber)).not.toEqual(people.slice(0, 50).map((p) => p.idNumber));
  });

  it('gives valid, unique ID numbers, mostly with the district region code', () => {
    const ids = people.map((p) => `${p.idType}:${p.idNumber}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of people) expect(() => parseDocument(p.idType as IdType, p.idNumber, 'idNumber', today)).not.toThrow();
    const local = people.filter((p) => p.idNumber.startsWith('120103')).length / people.length;
    expect(local).toBeGreaterThan(0.15);
  });

  it('has plausible shares of tenancy, foreigners and care flags', () => {
    const share = (f: (p: (typeof people)[number]) => boolean) => people.filter(f).length / people.length;
    expect(share((p) => p.tenancy === 'owner')).toBeGreaterThan(0.6);
    expect(share((p) => p.tenancy === 'tenant')).toBeGreaterThan(0.08);
    expect(share((p) => p.tenancy === 'floating')).toBeGreaterThan(0.02);
    expect(share((p) => !!p.elderlyAlone)).toBeGreaterThan(0.01);
    expect(share((p) => !!p.elderlyAlone)).toBeLessThan(0.06);
    expect(share((p) => !!p.mobilityImpaired)).toBeGreaterThan(0.003);
    expect(share((p) => !!p.pregnant)).toBeGreaterThan(0.001);
    expect(share((p) => !!p.chronicIllness)).toBeGreaterThan(0.04);
    expect(share((p) => !!p.infant)).toBeGreaterThan(0.005);
    expect(people.some((p) => p.idType === 'passport' && p.language === 'ko-KR')).toBe(true);
    expect(people.filter((p) => p.pregnant).every((p) => p.dueDate)).toBe(true);
  });
});

describe('loading', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('loads the demo once, with consistent paths, decryptable IDs and working demo accounts', async () => {
    const first = await loadDemoIfEmpty(t.ctx, { residents: 1200 });
    expect(first?.residents).toBe(1200);
    expect(await loadDemoIfEmpty(t.ctx, { residents: 1200 })).toBeNull();
    const q = t.ctx.db;
    expect((await q.query<{ n: number }>('SELECT count(*) AS n FROM residents')).rows[0].n).toBe(1200);
    const bad = await q.query(
      `SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id JOIN places p ON p.id = h.place_id
        WHERE r.place_path <> h.place_path OR h.place_path <> p.path OR p.kind <> 'unit'`,
    );
    expect(bad.rows).toEqual([]);
    const orphans = await q.query(`SELECT c.id FROM places c JOIN places p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/'`);
    expect(orphans.rows).toEqual([]);
    const sample = await q.query<{ id_cipher: Uint8Array; id_type: IdType; id_blind: Uint8Array }>('SELECT id_cipher, id_type, id_blind FROM residents LIMIT 20');
    for (const r of sample.rows) {
      const plain = t.ctx.vault.decrypt(r.id_cipher);
      expect(() => parseDocument(r.id_type, plain)).not.toThrow();
      expect(Buffer.from(r.id_blind).equals(t.ctx.vault.blindIndex(r.id_type, plain))).toBe(true);
    }
    // A new place after the load gets a fresh id (the identity sequence moved on).
    const admin = await signIn(t.app, 'admin', 'Admin-pass-2026');
    const roots = (await admin.get('/api/places/roots')).json().items;
    expect(roots[0].residents).toBe(1200);
    expect((await admin.post('/api/places', { parentId: roots[0].id, kind: 'street', name: '新街道' })).statusCode).toBe(201);
    const grid = await signIn(t.app, 'grid1', DEMO_PASSWORD);
    const mine = (await grid.get('/api/places/roots')).json().items[0];
    expect(mine.kind).toBe('grid');
    expect(mine.residents).toBeGreaterThan(0);
    expect(mine.residents).toBeLessThan(1200);
  });

  it('writes the same district as a CSV ledger with Chinese headers', async () => {
    const file = path.join(os.tmpdir(), `fk-gen-${process.pid}.csv`);
    expect(await writeDistrictCsv(file, { residents: 300, seed: 3, today })).toBe(300);
    const lines = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['姓名', '证件类型', '身份证号']);
    expect(lines).toHaveLength(301);
    fs.rmSync(file);
  });
});
