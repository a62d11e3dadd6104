// Every table that copies a place path must follow a place when it moves; otherwise scope checks
// by path prefix lose (or wrongly grant) its rows. The database catalogue says which tables have
// one; the code's list of tables it rewrites on a move must name them all.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentCode } from '../src/platform/codes.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type TestApp } from './helpers.js';
import { antigen, boxHandedOver, boxReceived, buildTown, campaign, freshId, ok, place, results, schedule, tube } from './factories.js';

/** The tables a place move rewrites, and those kept as history, as the modules declare them. */
const movedTables = (t: TestApp) => t.ctx.modules.flatMap((m) => m.placePathTables);
const historyTables = (t: TestApp) => t.ctx.modules.flatMap((m) => m.historyPathTables ?? []);

async function pathColumns(t: TestApp): Promise<{ table: string; column: string }[]> {
  const { rows } = await t.ctx.db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.column_name IN ('place_path', 'path') ORDER BY 1`,
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

describe('place paths', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the tables moved with a place are every table with a place path', async () => {
    const catalogue = (await pathColumns(t)).map((c) => c.table);
    expect(catalogue.length).toBeGreaterThan(5);
    const moved = movedTables(t);
    const kept = ['places', ...historyTables(t)]; // places: movePlace rewrites places.path and depth itself
    expect(catalogue.filter((x) => !moved.includes(x) && !kept.includes(x)), 'tables with a place path that no module declares').toEqual([]);
    expect(moved.filter((x) => !catalogue.includes(x)), 'moved tables without a place path').toEqual([]);
  });

  it('moving a compound carries every row under it to the new path', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const town = await buildTown(admin);
    const { c1, c2 } = town;
    const c = await campaign(admin, { name: '小区核酸', ownerPlaceId: c1.compound, coverPlaceIds: [c1.compound], sitePlaceId: c1.compound, siteName: '幸福里采样点' });
    await tube(admin, c.laneId, 'MV-01', c1.a.people);
    await tube(admin, c.laneId, 'MV-02', c1.b.people);
    await boxHandedOver(admin, 'BOX-MV', ['MV-01', 'MV-02']);
    await boxReceived(admin, 'BOX-MV', ['MV-01', 'MV-02']);
    await results(admin, [{ tube: 'MV-01', result: 'positive' }, { tube: 'MV-02', result: 'negative' }]);
    await schedule(admin, c.roundId);
    await antigen(admin, c1.b.householdId, c1.b.people[0].id, 'positive');
    await ok(admin.post('/api/notices', { key: crypto.randomUUID(), placeId: c1.a.building, channels: ['inapp'], texts: { 'zh-CN': '今晚停水' } }), 201);
    await ok(admin.post('/api/zones', { key: crypto.randomUUID(), placeIds: [c1.a.building], policy: 'sealed', reason: '阳性楼栋' }), 201);
    const card = await t.app.inject({ method: 'POST', url: '/api/portal/sign-in/card', payload: { code: residentCode(t.ctx.vault, c1.a.people[0].id) } });
    const appeal = await t.app.inject({ method: 'POST', url: '/api/portal/appeals', payload: { text: '申诉' }, cookies: { fk_resident: card.cookies.find((c) => c.name === 'fk_resident')!.value } });
    expect(appeal.statusCode).toBe(201);
    const gate = await place(admin, c1.compound, 'entrance', '南门');
    await ok(admin.post(`/api/gates/${gate}/checks`, { key: crypto.randomUUID(), code: c1.a.people[0].idNumber, direction: 'in' }));
    await ok(admin.post(`/api/gates/${gate}/visitors`, { key: crypto.randomUUID(), name: '访客', idNumber: freshId('19850101'), phone: '13900000001', visiting: '1号楼', purpose: '探望' }), 201);

    const pathOf = async (id: number) => (await t.ctx.db.query<{ path: string }>('SELECT path FROM places WHERE id = $1', [id])).rows[0].path;
    const oldPath = await pathOf(c1.compound);
    const columns = (await pathColumns(t)).filter((x) => x.table !== 'audit_log');
    const count = async (table: string, column: string, prefix: string) =>
      Number((await t.ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${column} LIKE $1 || '%'`, [prefix])).rows[0].n);
    const before = new Map<string, number>();
    for (const { table, column } of columns) before.set(table, await count(table, column, oldPath));
    expect([...before].filter(([, n]) => n === 0).map(([x]) => x), 'tables this test puts no row in under the compound').toEqual([]);

    await ok(admin.post(`/api/places/${c1.compound}/move`, { parentId: c2.community }), 200);
    const newPath = await pathOf(c1.compound);
    expect(newPath).not.toBe(oldPath);
    const left: string[] = [];
    for (const { table, column } of columns) {
      const stale = await count(table, column, oldPath);
      const moved = await count(table, column, newPath);
      if (stale !== 0 || moved !== before.get(table)) left.push(`${table}: ${stale} rows at the old path, ${moved}/${before.get(table)} at the new`);
    }
    expect(left).toEqual([]);
  }, 60_000);
});
