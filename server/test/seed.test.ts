// The synthetic district: deterministic, valid, plausible, streamed; loaded with consistent
// paths and encrypted IDs; written as a CSV ledger; the demo loads once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS, validateResident, type ResidentValues } from '../src/modules/registry/index.js';
import { ageOn, generateDistrict, planDistrict, type GenHousehold, type GenPlace } from '../src/db/seed/generator.js';
import { loadDistrict } from '../src/db/seed/load.js';
import { writeDistrictCsv } from '../src/db/seed/csv.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SEED, loadDemoIfEmpty } from '../src/db/seed/demo.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type TestApp } from './helpers.js';

const TODAY = '2026-11-24';
const today = Date.parse(TODAY);

function district(residents: number, seed: number, on = TODAY) {
  const places: GenPlace[] = [];
  const households: GenHousehold[] = [];
  for (const item of generateDistrict({ residents, seed, today: on })) {
    if (item.type === 'place') places.push(item.place);
    else households.push(item.household);
  }
  return { places, households, people: households.flatMap((h) => h.residents) };
}

describe('generator', () => {
  const d = district(5000, 7);
  const { people, households, places } = d;
  const age = (p: ResidentValues) => ageOn(Date.parse(p.birthDate!), today);
  const share = (f: (p: ResidentValues) => boolean, of = people) => of.filter(f).length / of.length;

  it('makes exactly the residents asked for, in households of 1–5', () => {
    expect(people).toHaveLength(5000);
    expect(households.every((h) => h.residents.length >= 1 && h.residents.length <= 5)).toBe(true);
    const mean = people.length / households.length;
    expect(mean).toBeGreaterThan(2.2);
    expect(mean).toBeLessThan(2.8);
    // Every shape occurs: people alone, couples, and five-person three-generation homes.
    for (let n = 1; n <= 5; n++) expect(households.filter((h) => h.residents.length === n).length).toBeGreaterThan(50);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const again = district(5000, 7);
    expect(again.places).toEqual(places);
    expect(again.people.slice(0, 500)).toEqual(people.slice(0, 500));
    expect(again.people.map((p) => p.idNumber)).toEqual(people.map((p) => p.idNumber));
    const other = district(5000, 8).people;
    expect(other.slice(0, 100).map((p) => p.idNumber)).not.toEqual(people.slice(0, 100).map((p) => p.idNumber));
    expect(other.slice(0, 100).map((p) => p.name)).not.toEqual(people.slice(0, 100).map((p) => p.name));
  });

  it('produces residents that validateResident accepts unchanged, with unique documents', () => {
    for (const p of people) {
      const checked = validateResident(p, new Date(today));
      expect('errors' in checked ? checked.errors.map((e) => `${p.name} ${p.idNumber}: ${e.field} ${e.code}`) : checked.value).toEqual(p);
    }
    const docs = people.map((p) => `${p.idType}:${p.idNumber}`);
    expect(new Set(docs).size).toBe(docs.length);
    const mainland = people.filter((p) => p.idType === 'mainland_id');
    expect(mainland.length / people.length).toBeGreaterThan(0.95);
    // The district's own region code leads; others from Tianjin and elsewhere.
    expect(share((p) => p.idNumber.startsWith('120103'), mainland)).toBeGreaterThan(0.3);
    expect(share((p) => p.idNumber.startsWith('12') && !p.idNumber.startsWith('120103'), mainland)).toBeGreaterThan(0.15);
    expect(share((p) => !p.idNumber.startsWith('12'), mainland)).toBeGreaterThan(0.1);
  });

  it('has a realistic age mix and family shapes', () => {
    expect(share((p) => age(p) < 15)).toBeGreaterThan(0.1);
    expect(share((p) => age(p) < 15)).toBeLessThan(0.2);
    expect(share((p) => age(p) >= 60)).toBeGreaterThan(0.18);
    expect(share((p) => age(p) >= 60)).toBeLessThan(0.3);
    expect(share((p) => age(p) >= 80)).toBeGreaterThan(0.015);
    expect(share((p) => p.sex === 'male')).toBeGreaterThan(0.46);
    expect(share((p) => p.sex === 'male')).toBeLessThan(0.54);
    // No child lives without an adult; parents are old enough to be parents.
    for (const h of households) {
      const ages = h.residents.map(age);
      if (Math.min(...ages) < 16) expect(Math.max(...ages)).toBeGreaterThanOrEqual(Math.min(...ages) + 20);
    }
    // Common surnames dominate, as they do: 王李张刘 are about a quarter of the population.
    const chinese = people.filter((p) => p.nationality === 'CN');
    expect(share((p) => '王李张刘'.includes(p.name[0]), chinese)).toBeGreaterThan(0.18);
    expect(share((p) => '王李张刘'.includes(p.name[0]), chinese)).toBeLessThan(0.35);
  });

  it('gives adults mobile numbers, shared only within a household, and children none', () => {
    const owner = new Map<string, number>();
    households.forEach((h, i) => {
      for (const p of h.residents) {
        if (!p.phone) continue;
        expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
        expect(owner.get(p.phone) ?? i).toBe(i);
        owner.set(p.phone, i);
      }
    });
    expect(people.filter((p) => age(p) < 16).every((p) => p.phone === null)).toBe(true);
    expect(share((p) => !!p.phone, people.filter((p) => age(p) >= 18 && age(p) < 75))).toBe(1);
    expect(households.some((h) => new Set(h.residents.map((p) => p.phone).filter(Boolean)).size < h.residents.filter((p) => p.phone).length)).toBe(true);
  });

  it('has plausible shares of tenancy, foreigners and care flags', () => {
    expect(share((p) => p.tenancy === 'owner')).toBeGreaterThan(0.7);
    expect(share((p) => p.tenancy === 'owner')).toBeLessThan(0.8);
    expect(share((p) => p.tenancy === 'tenant')).toBeGreaterThan(0.14);
    expect(share((p) => p.tenancy === 'tenant')).toBeLessThan(0.23);
    expect(share((p) => p.tenancy === 'floating')).toBeGreaterThan(0.04);
    expect(share((p) => p.tenancy === 'floating')).toBeLessThan(0.1);

    // 独居老人: living alone, 65 or older; a few percent of everyone.
    expect(share((p) => p.elderlyAlone)).toBeGreaterThan(0.015);
    expect(share((p) => p.elderlyAlone)).toBeLessThan(0.04);
    for (const h of households) for (const p of h.residents) if (p.elderlyAlone) expect(h.residents.length === 1 && age(p) >= 65).toBe(true);
    expect(share((p) => p.mobilityImpaired)).toBeGreaterThan(0.007);
    expect(share((p) => p.mobilityImpaired)).toBeLessThan(0.025);
    expect(share((p) => p.mobilityImpaired, people.filter((p) => age(p) >= 75))).toBeGreaterThan(share((p) => p.mobilityImpaired, people.filter((p) => age(p) < 60)) * 5);
    expect(share((p) => p.chronicIllness)).toBeGreaterThan(0.05);
    expect(share((p) => p.chronicIllness)).toBeLessThan(0.12);
    expect(share((p) => p.chronicIllness, people.filter((p) => age(p) >= 60))).toBeGreaterThan(share((p) => p.chronicIllness, people.filter((p) => age(p) < 45)) * 4);

    // 孕妇: women of 20–40 with a due date in the next nine months.
    const pregnant = people.filter((p) => p.pregnant);
    expect(pregnant.length / people.length).toBeGreaterThan(0.003);
    expect(pregnant.length / people.length).toBeLessThan(0.015);
    for (const p of pregnant) {
      expect(p.sex).toBe('female');
      expect(age(p)).toBeGreaterThanOrEqual(20);
      expect(age(p)).toBeLessThanOrEqual(40);
      const days = (Date.parse(p.dueDate!) - today) / 86_400_000;
      expect(days).toBeGreaterThan(0);
      expect(days).toBeLessThanOrEqual(275);
    }
    expect(people.filter((p) => !p.pregnant).every((p) => p.dueDate === null)).toBe(true);
    // 婴幼儿: exactly those under three.
    expect(people.every((p) => p.infant === age(p) < 3)).toBe(true);
    expect(share((p) => p.infant)).toBeGreaterThan(0.005);

    // A few percent foreigners (Korean families with passports and ko-KR), some permit holders.
    const foreign = people.filter((p) => p.nationality !== 'CN');
    expect(foreign.length / people.length).toBeGreaterThan(0.005);
    expect(foreign.length / people.length).toBeLessThan(0.06);
    expect(foreign.every((p) => p.idType === 'passport' && p.language !== 'zh-CN')).toBe(true);
    expect(people.some((p) => p.nationality === 'KR' && p.language === 'ko-KR')).toBe(true);
    const larger = district(30_000, 7, TODAY).people;
    expect(larger.some((p) => p.idType === 'hk_macau_permit')).toBe(true);
    expect(larger.some((p) => p.idType === 'taiwan_permit')).toBe(true);
  });

  it('builds the place hierarchy: streets, communities, compounds with gates, grids, buildings, units, rooms', () => {
    const byKey = new Map(places.map((p) => [p.key, p]));
    const count = (kind: string) => places.filter((p) => p.kind === kind).length;
    const plan = planDistrict(5000);
    expect(count('district')).toBe(1);
    expect(count('street')).toBe(plan.streets);
    expect(count('community')).toBe(plan.communities);
    expect(places[0]).toMatchObject({ kind: 'district', name: '河西区', code: '120103', parentKey: null });
    const parentKind = { street: 'district', community: 'street', compound: 'community', entrance: 'compound', grid: 'compound', building: 'grid', unit: 'building' };
    const seen = new Set<string>();
    for (const p of places) {
      // Parents come before their children, so a loader can write them in order.
      if (p.parentKey) {
        expect(seen.has(p.parentKey)).toBe(true);
        expect(byKey.get(p.parentKey)!.kind).toBe(parentKind[p.kind as keyof typeof parentKind]);
      }
      seen.add(p.key);
      if (p.kind === 'building') {
        expect(p.floors).toBeGreaterThanOrEqual(6);
        expect(p.floors).toBeLessThanOrEqual(33);
      }
    }
    const siblingNames = new Set(places.map((p) => `${p.parentKey}|${p.name}`));
    expect(siblingNames.size).toBe(places.length);
    for (const compound of places.filter((p) => p.kind === 'compound')) {
      const gates = places.filter((p) => p.parentKey === compound.key && p.kind === 'entrance').length;
      expect(gates).toBeGreaterThanOrEqual(2);
      expect(gates).toBeLessThanOrEqual(4);
    }
    expect(byKey.get('d/s1/c1/p1/g1')?.kind).toBe('grid');
    expect(byKey.get('d/s1/c1/p1/g2')?.kind).toBe('grid');
    const rooms = new Set<string>();
    for (const h of households) {
      const unit = byKey.get(h.unitKey)!;
      expect(unit.kind).toBe('unit');
      expect(rooms.has(`${h.unitKey}|${h.room}`)).toBe(false);
      rooms.add(`${h.unitKey}|${h.room}`);
      const floor = Number(h.room.slice(0, -2));
      expect(floor).toBeGreaterThanOrEqual(1);
      expect(floor).toBeLessThanOrEqual(byKey.get(unit.parentKey!)!.floors!);
    }
  });

  it('streams: a district of a million starts at once and sizes to 13 streets', () => {
    expect(planDistrict(1_000_000)).toEqual({ streets: 13, communities: 143 });
    const started = Date.now();
    let residents = 0;
    for (const item of generateDistrict({ residents: 1_000_000, seed: 1, today: TODAY })) {
      if (item.type === 'household') residents += item.household.residents.length;
      if (residents >= 2000) break;
    }
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('loading into the database', () => {
  // a fresh database for every test: each loads the district it looks at
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t?.close());

  it('loads the demo once, with consistent paths and decryptable IDs; the demo accounts work and see only their scope', async () => {
    const progress: number[] = [];
    const first = await loadDemoIfEmpty(t.ctx, { residents: 1500, log: (m) => progress.push(m.length) });
    expect(first).toMatchObject({ residents: 1500 });
    expect(first!.households).toBeGreaterThan(400);
    expect(first!.accounts.map((a) => a.username)).toEqual(DEMO_ACCOUNTS.map((a) => a.username));
    expect(progress.length).toBeGreaterThan(0);
    expect(await loadDemoIfEmpty(t.ctx, { residents: 1500 })).toBeNull();
    // The loader itself refuses a second district when asked to load only into an empty database.
    expect(await loadDistrict(t.ctx, { residents: 10, seed: 1, ifEmpty: true })).toBeNull();

    const db = t.ctx.db;
    const n = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
    expect(await n('SELECT count(*) AS n FROM residents')).toBe(1500);
    expect(await n('SELECT count(*) AS n FROM households')).toBe(first!.households);
    const generated = district(1500, DEMO_SEED, new Date().toISOString().slice(0, 10));
    expect(await n('SELECT count(*) AS n FROM places')).toBe(generated.places.length);

    // Paths: each place's is its parent's plus its own id; households sit in units; residents carry their household's path.
    expect(await n(`SELECT count(*) AS n FROM places WHERE parent_id IS NULL AND (path <> '/' || id || '/' OR depth <> 0)`)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM places c JOIN places p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1`)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM households h JOIN places p ON p.id = h.place_id WHERE h.place_path <> p.path OR p.kind <> 'unit'`)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM residents r JOIN households h ON h.id = r.household_id JOIN places p ON p.id = h.place_id
                    WHERE r.place_path NOT LIKE p.path || '%' OR r.place_path <> h.place_path`)).toBe(0);
    expect(await n('SELECT count(*) AS n FROM residents WHERE household_id IS NULL')).toBe(0);

    // Encrypted IDs decrypt to the generated ones; the blind index and the mask agree.
    const { rows } = await db.query<{ name: string; id_type: string; id_cipher: Uint8Array; id_blind: Uint8Array; id_masked: string; phone: string | null }>(
      'SELECT name, id_type, id_cipher, id_blind, id_masked, phone FROM residents ORDER BY id',
    );
    const expected = new Map(generated.people.map((p) => [p.idNumber, p]));
    for (const r of rows) {
      const plain = t.ctx.vault.decrypt(r.id_cipher);
      const p = expected.get(plain);
      expect(p?.name).toBe(r.name);
      expect(p?.phone).toBe(r.phone);
      expect(Buffer.from(r.id_blind).equals(t.ctx.vault.blindIndex(r.id_type, plain))).toBe(true);
      expect(r.id_masked.slice(-2)).toBe(plain.slice(-2));
      expected.delete(plain);
    }
    expect(expected.size).toBe(0);

    // The identity sequences moved past the ids the loader used.
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const roots = (await admin.get('/api/places/roots')).json().items;
    expect(roots[0]).toMatchObject({ name: '河西区', residents: 1500 });
    expect((await admin.post('/api/places', { parentId: roots[0].id, kind: 'street', name: '新街道' })).statusCode).toBe(201);

    // Demo accounts sign in with the documented password and see only their own place.
    const grid1 = (await (await signIn(t.app, 'grid1', DEMO_PASSWORD)).get('/api/places/roots')).json().items[0];
    const grid2 = (await (await signIn(t.app, 'grid2', DEMO_PASSWORD)).get('/api/places/roots')).json().items[0];
    expect(grid1.kind).toBe('grid');
    expect(grid2.kind).toBe('grid');
    expect(grid1.id).not.toBe(grid2.id);
    expect(grid1.residents).toBeGreaterThan(0);
    expect(grid1.residents + grid2.residents).toBeLessThan(1500);
    const centerApi = await signIn(t.app, 'center', DEMO_PASSWORD);
    const center = (await centerApi.get('/api/places/roots')).json().items[0];
    expect(center.residents).toBe(1500);

    // A testing campaign under way in the first community: day 1 planned, 80 people sampled,
    // one box back from the lab (negative), one in transit.
    expect(first!.campaign).toMatchObject({ samples: 80 });
    const officer = await signIn(t.app, 'community1', DEMO_PASSWORD);
    const campaign = (await officer.get(`/api/campaigns/${first!.campaign!.id}`)).json();
    expect(campaign.rounds).toHaveLength(3);
    expect(campaign.sites.map((s: { lanes: unknown[] }) => s.lanes.length)).toEqual([3, 2]);
    const day1 = campaign.rounds[0].id;
    const plan = (await officer.get(`/api/rounds/${day1}/schedule`)).json();
    expect(plan.slots).toBeGreaterThan(0);
    const board = (await centerApi.get(`/api/campaigns/${campaign.id}/board`)).json();
    expect(board).toMatchObject({ samples: 80, tubes: { inTransit: 3, negative: 5, positive: 0 } });
    const samples = await n(`SELECT count(*) AS n FROM samples`);
    expect(samples).toBe(80);
  });

  it('loads all or nothing: a district that cannot be written leaves no trace', async () => {
    const count = async () => (await t.ctx.db.query<{ n: number }>('SELECT (SELECT count(*) FROM places) + (SELECT count(*) FROM residents) AS n')).rows[0].n;
    expect(await loadDistrict(t.ctx, { residents: 10, seed: 1 })).not.toBeNull(); // the district already there
    const before = await count();
    // A second 河西区 at the root breaks the sibling-name rule in the first batch, while later batches are still being generated.
    await expect(loadDistrict(t.ctx, { residents: 3000, seed: 9, batch: 1000 })).rejects.toThrow(/places_sibling_name_idx/);
    expect(await count()).toBe(before);
  });

  it('writes the same district as a CSV ledger with the Chinese headers', async () => {
    const file = path.join(os.tmpdir(), `fk-seed-${process.pid}.csv`);
    try {
      expect(await writeDistrictCsv(file, { residents: 800, seed: 3, today: TODAY })).toBe(800);
      const lines = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').trimEnd().split(/\r?\n/);
      expect(lines[0].split(',')).toEqual(LEDGER_COLUMNS.map((c) => c.label['zh-CN']));
      expect(lines).toHaveLength(801);
      const { people, households, places } = district(800, 3);
      const cells = (i: number) => Object.fromEntries(lines[0].split(',').map((h, k) => [h, lines[i].split(',')[k]]));
      const first = cells(1);
      const p = people[0];
      const unit = places.find((x) => x.key === households[0].unitKey)!;
      expect(first).toMatchObject({
        姓名: p.name, 证件类型: '身份证', 身份证号: p.idNumber, 性别: p.sex === 'male' ? '男' : '女', 出生日期: p.birthDate,
        单元: unit.name, 房号: households[0].room, 居住类型: { owner: '户籍', tenant: '租户', floating: '流动人口' }[p.tenancy],
        独居老人: p.elderlyAlone ? '是' : '否', 婴幼儿: p.infant ? '是' : '否',
      });
      expect(first['街道']).toMatch(/街道$/);
      expect(first['社区']).toMatch(/社区$/);
      expect(first['网格']).toMatch(/^第.+网格$/);
      for (let i = 1; i < lines.length; i++) expect(['是', '否']).toContain(cells(i)['孕妇']);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
