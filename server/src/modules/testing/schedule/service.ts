// The time-slot plan of a round (分时段、按楼栋), stored so that it can be queried by building
// and time (notices to residents come later) and edited by officers. Planning: every
// building of the covered places goes to its nearest site (the one deepest in the same
// branch of the place tree), buildings in address order, then plan.ts fills the slots and
// simulate.ts shows the queues it would cause.
import type { Queryable } from '../../../db/client.js';
import { audit } from '../../../platform/audit.js';
import type { Actor, AppContext } from '../../../platform/context.js';
import { AppError, fieldInvalid } from '../../../platform/errors.js';
import { empty, sql } from '../../../db/sql.js';
import { beneath, pathIds, placeInScope, reach, requirePermission, type Access } from '../../../platform/scope.js';
import { placeNames } from '../../registry/index.js';
import { publishTesting } from '../events.js';
import { planSchedule, PlanInputError, type PlanBuilding, type PlanInput, type PlanSite } from './plan.js';
import { simulatePlan } from './simulate.js';

export interface PlanOptions {
  secondsPerSwab?: number;
  maxQueuePerLane?: number;
  slotMinutes?: number;
  turnout?: number;
}

interface RoundRow {
  id: number;
  number: number;
  campaign_id: number;
  campaign_path: string;
  seconds_per_swab: number;
  starts_at: Date;
  ends_at: Date;
  day: string; // the round's first day in Shanghai, YYYY-MM-DD
}

/** A round of a live campaign under the campaign rule for this access: planning the schedule is a write to the campaign. */
async function roundFor(q: Queryable, actor: Actor, roundId: number, access: Access): Promise<RoundRow> {
  const { rows } = await q.query<RoundRow>(
    sql`SELECT rd.id, rd.number, c.id AS campaign_id, c.place_path AS campaign_path, c.seconds_per_swab, rd.starts_at, rd.ends_at,
               to_char(rd.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
          FROM rounds rd JOIN campaigns c ON c.id = rd.campaign_id
         WHERE rd.id = ${roundId} AND c.archived_at IS NULL AND ${reach(actor.scope, 'campaign', access, 'c.place_path')}`,
  );
  if (!rows[0]) throw new AppError('ROUND_NOT_FOUND', { field: 'roundId', params: { id: roundId } });
  return rows[0];
}

/** The plan's input from the database: buildings with resident counts, sites with lanes and hours on the round's day. */
async function planInput(q: Queryable, round: RoundRow, o: PlanOptions): Promise<{ input: PlanInput; buildingPaths: Map<number, string> }> {
  // One after another: q may be a transaction's single connection.
  const sites = await q.query<{ id: number; name: string; place_path: string; opens_at: string; closes_at: string; lanes: number }>(
    `SELECT s.id, s.name, s.place_path, to_char(s.opens_at, 'HH24:MI') AS opens_at, to_char(s.closes_at, 'HH24:MI') AS closes_at,
              (SELECT count(*) FROM lanes l WHERE l.site_id = s.id) AS lanes
       FROM sites s WHERE s.campaign_id = $1 AND NOT s.door_to_door ORDER BY s.id`,
    [round.campaign_id],
  );
  const covered = await q.query<{ place_path: string }>('SELECT place_path FROM campaign_places WHERE campaign_id = $1', [
    round.campaign_id,
  ]);
  if (!sites.rows.length)
    throw fieldInvalid('sites', { 'zh-CN': '该检测任务还没有采样点', 'en-US': 'this campaign has no sampling site yet' });
  const patterns = covered.rows.map((c) => `${c.place_path}%`);
  // Residents per unit path, rolled up to their building (one grouped scan).
  const perPath = await q.query<{ place_path: string; n: number }>(
    `SELECT place_path, count(*) AS n FROM residents WHERE archived_at IS NULL AND place_path LIKE ANY ($1::text[]) GROUP BY place_path`,
    [patterns],
  );
  const buildings = await q.query<{ id: number; name: string; path: string }>(
    `SELECT id, name, path FROM places WHERE kind = 'building' AND archived_at IS NULL AND path LIKE ANY ($1::text[])`,
    [patterns],
  );
  const byId = new Map(buildings.rows.map((b) => [b.id, { ...b, residents: 0 }]));
  for (const p of perPath.rows) {
    const b = pathIds(p.place_path).find((id) => byId.has(id));
    if (b !== undefined) byId.get(b)!.residents += p.n;
  }
  // Nearest site: the longest shared path prefix; among equals, the least loaded so far.
  const load = new Map<number, number>();
  const shared = (a: string, b: string) => {
    const x = pathIds(a);
    const y = pathIds(b);
    let i = 0;
    while (i < x.length && i < y.length && x[i] === y[i]) i++;
    return i;
  };
  const ordered = [...byId.values()].filter((b) => b.residents > 0).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const planBuildings: PlanBuilding[] = ordered.map((b) => {
    let best = sites.rows[0];
    let bestScore = -1;
    for (const s of sites.rows) {
      const score = shared(b.path, s.place_path);
      if (score > bestScore || (score === bestScore && (load.get(s.id) ?? 0) / s.lanes < (load.get(best.id) ?? 0) / best.lanes)) {
        best = s;
        bestScore = score;
      }
    }
    load.set(best.id, (load.get(best.id) ?? 0) + b.residents);
    return { placeId: b.id, name: b.name, residents: b.residents, siteId: best.id };
  });
  // Opening hours on the round's day, clipped to the round's window.
  const clip = (hhmm: string, lo: number, hi: number) => Math.min(hi, Math.max(lo, Date.parse(`${round.day}T${hhmm}:00+08:00`)));
  const lo = round.starts_at.getTime();
  const hi = round.ends_at.getTime();
  const planSites: PlanSite[] = sites.rows.map((s) => {
    const opens = clip(s.opens_at, lo, hi);
    const closes = Math.max(opens + 60_000, clip(s.closes_at, lo, hi));
    return {
      id: s.id,
      name: s.name,
      lanes: Math.max(1, s.lanes),
      opensAt: new Date(opens).toISOString(),
      closesAt: new Date(closes).toISOString(),
    };
  });
  return {
    input: {
      buildings: planBuildings,
      sites: planSites,
      secondsPerSwab: o.secondsPerSwab ?? round.seconds_per_swab,
      maxQueuePerLane: o.maxQueuePerLane ?? 15,
      slotMinutes: o.slotMinutes ?? 30,
      turnout: o.turnout ?? 1,
    },
    buildingPaths: new Map(ordered.map((b) => [b.id, b.path])),
  };
}

function planError(err: unknown): never {
  if (err instanceof PlanInputError) {
    throw fieldInvalid(err.field, { 'zh-CN': `排班参数无效（${err.message}）`, 'en-US': err.message });
  }
  throw err;
}

/** Plans (or re-plans) a round: replaces its slots, returns the plan and a simulation of it. */
export async function planRound(ctx: AppContext, actor: Actor, roundId: number, o: PlanOptions) {
  requirePermission(actor, 'testing.manage');
  const result = await ctx.db.tx(async (q) => {
    const round = await roundFor(q, actor, roundId, 'write');
    const { input, buildingPaths } = await planInput(q, round, o);
    let plan;
    try {
      plan = planSchedule(input);
    } catch (err) {
      planError(err);
    }
    await q.query('DELETE FROM schedule_slots WHERE round_id = $1', [round.id]);
    if (plan.slots.length) {
      await q.query(
        `INSERT INTO schedule_slots (round_id, place_id, place_path, site_id, starts_at, ends_at, people)
         SELECT $1, x.place_id, x.place_path, x.site_id, x.starts_at, x.ends_at, x.people
         FROM unnest($2::int[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::int[])
           AS x(place_id, place_path, site_id, starts_at, ends_at, people)`,
        [
          round.id,
          plan.slots.map((s) => s.placeId),
          plan.slots.map((s) => buildingPaths.get(s.placeId)!),
          plan.slots.map((s) => s.siteId),
          plan.slots.map((s) => s.startsAt),
          plan.slots.map((s) => s.endsAt),
          plan.slots.map((s) => s.people),
        ],
      );
    }
    const plannedAt = new Date().toISOString();
    await q.query(`UPDATE rounds SET plan = $2 WHERE id = $1`, [
      round.id,
      JSON.stringify({
        parameters: o,
        unplaced: plan.unplaced,
        overflow: Object.fromEntries(plan.sites.map((x) => [x.siteId, x.overflow])),
        plannedAt,
        // the registry the plan was made from, per building: what tells a later look that it is out of date
        residents: Object.fromEntries(input.buildings.map((b) => [b.placeId, b.residents])),
      } satisfies SavedPlan),
    ]);
    await audit(q, actor, {
      action: 'schedule.plan',
      entity: 'round',
      entityId: round.id,
      placePath: round.campaign_path,
      detail: { slots: plan.slots.length, buildings: input.buildings.length, unplaced: plan.unplaced, ...o },
    });
    return { round, input, plan, plannedAt };
  });
  publishTesting(ctx, { kind: 'plan', rounds: [roundId] });
  return present(
    result.input,
    result.plan.sites.map((s) => ({ ...s })),
    result.plan.finishesAt,
    result.plan.unplaced,
    result.plan.slots.length,
    simulatePlan(result.input, result.plan),
    { plannedAt: result.plannedAt, stale: null },
  );
}

/** What rounds.plan holds (plannedAt and residents since issue 12; older plans lack them). */
interface SavedPlan {
  parameters: PlanOptions;
  unplaced: number;
  overflow: Record<string, number>;
  plannedAt?: string;
  residents?: Record<string, number>;
}

/**
 * Is the plan out of date? The residents per building now against those it was planned for:
 * residents imported, added, moved or archived since show as buildings whose count changed.
 * A plan from before the snapshot was kept compares its head count (placed + unplaced) instead.
 */
function staleness(input: PlanInput, saved: SavedPlan | undefined, placed: number) {
  const now = new Map(input.buildings.map((b) => [String(b.placeId), b.residents]));
  let added = 0;
  let removed = 0;
  let buildings = 0;
  if (saved?.residents) {
    const ids = new Set([...now.keys(), ...Object.keys(saved.residents)]);
    for (const id of ids) {
      const d = (now.get(id) ?? 0) - (saved.residents[id] ?? 0);
      if (d) buildings++;
      if (d > 0) added += d;
      else removed -= d;
    }
  } else {
    const expected = Math.round(input.buildings.reduce((a, b) => a + b.residents, 0) * (input.turnout ?? 1));
    const d = expected - placed - (saved?.unplaced ?? 0);
    if (d > 0) added = d;
    else removed = -d;
    buildings = d ? 1 : 0;
  }
  return buildings ? { added, removed, buildings } : null;
}

function present(
  input: PlanInput,
  sites: {
    siteId: number;
    firstSlotAt: string | null;
    finishesAt: string | null;
    people: number;
    capacityPerHour: number;
    overflow: number;
  }[],
  finishesAt: string | null,
  unplaced: number,
  slots: number,
  simulation: ReturnType<typeof simulatePlan>,
  freshness: { plannedAt: string | null; stale: ReturnType<typeof staleness> },
) {
  const names = new Map(input.sites.map((s) => [s.id, s]));
  return {
    parameters: {
      secondsPerSwab: input.secondsPerSwab,
      maxQueuePerLane: input.maxQueuePerLane,
      slotMinutes: input.slotMinutes,
      turnout: input.turnout ?? 1,
    },
    buildings: input.buildings.length,
    people: input.buildings.reduce((a, b) => a + b.residents, 0),
    slots,
    finishesAt,
    unplaced,
    sites: sites.map((s) => ({
      ...s,
      name: names.get(s.siteId)?.name ?? '',
      lanes: names.get(s.siteId)?.lanes ?? 0,
      opensAt: names.get(s.siteId)?.opensAt,
      closesAt: names.get(s.siteId)?.closesAt,
    })),
    simulation,
    ...freshness,
  };
}

/** The stored plan with a fresh simulation of it (after officers' edits). */
export async function getPlan(ctx: AppContext, actor: Actor, roundId: number) {
  requirePermission(actor, 'testing.read');
  const round = await roundFor(ctx.db, actor, roundId, 'read');
  const saved = (await ctx.db.query<{ plan: SavedPlan | null }>('SELECT plan FROM rounds WHERE id = $1', [round.id])).rows[0]?.plan ?? undefined;
  // Simulate with the parameters the plan was made with, and keep saying who did not fit.
  const { input } = await planInput(ctx.db, round, saved?.parameters ?? {});
  const stored = await ctx.db.query<{ place_id: number; site_id: number; starts_at: Date; ends_at: Date; people: number }>(
    'SELECT place_id, site_id, starts_at, ends_at, people FROM schedule_slots WHERE round_id = $1 ORDER BY site_id, starts_at',
    [round.id],
  );
  if (!stored.rows.length) return null;
  const slots = stored.rows.map((s) => ({
    placeId: s.place_id,
    siteId: s.site_id,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    people: s.people,
  }));
  const sites = input.sites.map((site) => {
    const mine = slots.filter((s) => s.siteId === site.id);
    return {
      siteId: site.id,
      firstSlotAt: mine[0]?.startsAt ?? null,
      finishesAt: mine.length ? mine.reduce((a, s) => (s.endsAt > a ? s.endsAt : a), mine[0].endsAt) : null,
      people: mine.reduce((a, s) => a + s.people, 0),
      capacityPerHour: Math.round((site.lanes * 3600) / input.secondsPerSwab),
      overflow: saved?.overflow?.[site.id] ?? 0,
    };
  });
  const unplaced = saved?.unplaced ?? 0;
  const finishesAt = sites.reduce<string | null>((a, s) => (s.finishesAt && (!a || s.finishesAt > a) ? s.finishesAt : a), null);
  const plan = { slots, sites, finishesAt, unplaced };
  let simulation;
  try {
    simulation = simulatePlan(input, plan);
  } catch (err) {
    planError(err);
  }
  const placed = slots.reduce((a, s) => a + s.people, 0);
  return present(input, sites, finishesAt, unplaced, slots.length, simulation, { plannedAt: saved?.plannedAt ?? null, stale: staleness(input, saved, placed) });
}

/** Slots by building and time: "when does 3号楼 go, and where?" */
export async function listSlots(
  ctx: AppContext,
  actor: Actor,
  roundId: number,
  f: { placeId?: number; siteId?: number; from?: string; to?: string; limit: number },
) {
  requirePermission(actor, 'testing.read');
  const round = await roundFor(ctx.db, actor, roundId, 'read');
  const place = f.placeId ? await placeInScope(ctx.db, actor, f.placeId) : null;
  const { rows } = await ctx.db.query<{
    id: number;
    place_id: number;
    place_path: string;
    building: string;
    site_id: number;
    site: string;
    starts_at: Date;
    ends_at: Date;
    people: number;
  }>(
    sql`SELECT sl.id, sl.place_id, sl.place_path, p.name AS building, sl.site_id, s.name AS site, sl.starts_at, sl.ends_at, sl.people
     FROM schedule_slots sl JOIN places p ON p.id = sl.place_id JOIN sites s ON s.id = sl.site_id
     WHERE sl.round_id = ${round.id} AND ${reach(actor.scope, 'slot', 'read', 'sl.place_path')}
       ${place ? sql`AND ${beneath(place, 'sl.place_path')}` : empty}
       AND (${f.siteId ?? null}::int IS NULL OR sl.site_id = ${f.siteId ?? null})
       AND (${f.from ?? null}::timestamptz IS NULL OR sl.ends_at > ${f.from ?? null}) AND (${f.to ?? null}::timestamptz IS NULL OR sl.starts_at < ${f.to ?? null})
     ORDER BY sl.starts_at, sl.site_id, sl.place_path LIMIT ${f.limit}`,
  );
  const names = await placeNames(ctx.db, rows.map((r) => r.place_path));
  return {
    items: rows.map((r) => ({
      id: r.id,
      placeId: r.place_id,
      building: r.building,
      /** the compound and grid above it: building names repeat across compounds */
      within: pathIds(r.place_path)
        .slice(0, -1)
        .map((id) => names.get(id))
        .filter((p) => p && (p.kind === 'compound' || p.kind === 'grid'))
        .map((p) => p!.name)
        .join(' '),
      siteId: r.site_id,
      site: r.site,
      startsAt: r.starts_at.toISOString(),
      endsAt: r.ends_at.toISOString(),
      people: r.people,
    })),
  };
}

/** An officer moves a slot (another time or site). */
export async function editSlot(
  ctx: AppContext,
  actor: Actor,
  slotId: number,
  patch: { startsAt?: string; endsAt?: string; siteId?: number },
) {
  requirePermission(actor, 'testing.manage');
  return ctx.db.tx(async (q) => {
    const { rows } = await q.query<{
      id: number;
      round_id: number;
      place_path: string;
      starts_at: Date;
      ends_at: Date;
      campaign_id: number;
    }>(
      // Moving a slot changes the campaign's plan: the slot's building and the campaign must both be mine to write.
      sql`SELECT sl.id, sl.round_id, sl.place_path, sl.starts_at, sl.ends_at, rd.campaign_id
            FROM schedule_slots sl JOIN rounds rd ON rd.id = sl.round_id JOIN campaigns c ON c.id = rd.campaign_id
           WHERE sl.id = ${slotId} AND c.archived_at IS NULL
             AND ${reach(actor.scope, 'slot', 'write', 'sl.place_path')} AND ${reach(actor.scope, 'campaign', 'write', 'c.place_path')}
           FOR UPDATE OF sl`,
    );
    const slot = rows[0];
    if (!slot) throw new AppError('NOT_FOUND', { field: 'id' });
    const starts = patch.startsAt ? new Date(patch.startsAt) : slot.starts_at;
    const ends = patch.endsAt ? new Date(patch.endsAt) : slot.ends_at;
    if (ends <= starts) throw fieldInvalid('endsAt', { 'zh-CN': '结束时间须晚于开始时间', 'en-US': 'must be after the start' });
    if (patch.siteId) {
      const s = await q.query('SELECT 1 FROM sites WHERE id = $1 AND campaign_id = $2', [patch.siteId, slot.campaign_id]);
      if (!s.rows.length) throw new AppError('SITE_NOT_FOUND', { field: 'siteId', params: { id: patch.siteId } });
    }
    await q.query(`UPDATE schedule_slots SET starts_at = $2, ends_at = $3, site_id = coalesce($4, site_id), edited_by = $5 WHERE id = $1`, [
      slot.id,
      starts,
      ends,
      patch.siteId ?? null,
      actor.id,
    ]);
    await audit(q, actor, {
      action: 'schedule.edit',
      entity: 'schedule_slot',
      entityId: slot.id,
      placePath: slot.place_path,
      detail: patch,
    });
    return { id: slot.id, startsAt: starts.toISOString(), endsAt: ends.toISOString(), siteId: patch.siteId ?? null };
  });
}
