// A plan made before residents were added or moved says it is out of date (issue 12, 2): the
// stored plan answers when it was made and, once the registry no longer matches, by how much.
// Tests run shuffled, so each one builds its own town, campaign and plan (beforeEach) and
// changes only its own rows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildTown, campaign, household, ok, type Campaign, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
let c: Campaign;
let made: Plan;
let before: number;
let seq = 0;

interface Plan {
  people: number;
  unplaced: number;
  plannedAt: string | null;
  stale: { added: number; removed: number; buildings: number } | null;
}
const plan = async () => ok<Plan>(admin.get(`/api/rounds/${c.roundId}/schedule`), 200);
const replan = async () => ok<Plan>(admin.post(`/api/rounds/${c.roundId}/schedule`, { slotMinutes: 30 }), 200);
/** Two residents moved into a new household in grid A's unit after the plan. */
const addTwo = () =>
  household(admin, town.c1.a.unit, '102', [
    { name: '新住户甲', phone: '13900000901' },
    { name: '新住户乙', phone: '13900000902' },
  ]);

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
}, 60_000);

// A fresh town (four residents in community 1), a campaign over it and a plan made just now.
beforeEach(async () => {
  seq += 1;
  town = await buildTown(admin, `-ss${seq}`);
  c = await campaign(admin, { name: `排班过期${seq}`, ownerPlaceId: town.c1.community, coverPlaceIds: [town.c1.community], sitePlaceId: town.c1.compound, siteName: '一号点' });
  before = Date.now();
  made = await replan();
}, 60_000);

afterAll(async () => t?.close());

describe('a stale time-slot plan', () => {
  it('is fresh right after planning, with the time it was made', async () => {
    expect(made.stale).toBeNull();
    expect(Date.parse(made.plannedAt!)).toBeGreaterThanOrEqual(before - 1000);
    const stored = await plan();
    expect(stored).toMatchObject({ stale: null, plannedAt: made.plannedAt, people: 4 });
  });

  it('says so once residents are added after it, and by how much', async () => {
    await addTwo();
    const stored = await plan();
    expect(stored.people).toBe(6);
    expect(stored.stale).toEqual({ added: 2, removed: 0, buildings: 1 });
  });

  it('counts a resident archived since as gone, and a re-plan makes it fresh again', async () => {
    await addTwo();
    await ok(admin.del(`/api/residents/${town.c1.b.people[0].id}`), 200);
    expect((await plan()).stale).toEqual({ added: 2, removed: 1, buildings: 2 });
    await replan();
    expect((await plan()).stale).toBeNull();
  });

  it('of a plan made before the snapshot was kept compares its head count', async () => {
    await t.ctx.db.query(`UPDATE rounds SET plan = plan - 'residents' - 'plannedAt' WHERE id = $1`, [c.roundId]);
    expect(await plan()).toMatchObject({ plannedAt: null, stale: null });
    await household(admin, town.c1.a.unit, '103', [{ name: '新住户丙', phone: '13900000903' }]);
    expect((await plan()).stale).toMatchObject({ added: 1, removed: 0 });
  });
});
