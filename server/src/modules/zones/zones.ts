// Risk zones (封控区 / 管控区 / 防范区; 高/中/低风险区): a policy declared on a place, and on
// everything under it, with a reason. Every decision (declared, re-applied, stepped down,
// lifted) is a zone_events row with who and why, and an audit row; a zone that ends keeps its
// row, so a place's history reads back in full.
//
// The zone that holds at a home is the strictest zone in force on the home's place or any
// place above it (zoneAt): a sealed building inside a controlled compound is sealed.
// Reads reach overlapping (the grid worker inside a sealed compound sees it); writes within.
import type { Queryable } from '../../db/client.js';
import { raw, sql, type Sql } from '../../db/sql.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { idempotentRequest, once } from '../../platform/idempotency.js';
import { placeInScope, reach, reaches, requirePermission, within, type PlaceRow } from '../../platform/scope.js';
import { TIME_ZONE } from '../../platform/time.js';
import { currentPolicy, levelRankSql, POLICY_COLUMNS, type Policy } from './policies.js';

export interface ZoneRow {
  id: number;
  place: { id: number; name: string; kind: string; path: string };
  policy: Policy;
  /** the latest version of the zone's policy, when newer than the one it follows */
  newerVersion: number | null;
  reason: string;
  declaredBy: string | null;
  declaredAt: string;
  steppedFrom: number | null;
  endedAt: string | null;
  endedHow: 'lifted' | 'stepped_down' | null;
  endReason: string | null;
  endedBy: string | null;
  households: number;
  residents: number;
}

const ZONE_SELECT = `
  SELECT z.id, json_build_object('id', pl.id, 'name', pl.name, 'kind', pl.kind, 'path', pl.path) AS place,
         (SELECT row_to_json(x) FROM (SELECT ${POLICY_COLUMNS} FROM zone_policies p WHERE p.id = z.policy_id) x) AS policy,
         (SELECT NULLIF(max(n.version), zp.version) FROM zone_policies n WHERE n.key = zp.key) AS "newerVersion",
         z.reason, du.display_name AS "declaredBy", z.declared_at AS "declaredAt", z.stepped_from AS "steppedFrom",
         z.ended_at AS "endedAt", z.ended_how AS "endedHow", z.end_reason AS "endReason", eu.display_name AS "endedBy",
         (SELECT count(*)::int FROM households h WHERE h.place_path LIKE z.place_path || '%') AS households,
         (SELECT count(*)::int FROM residents r WHERE r.place_path LIKE z.place_path || '%' AND r.archived_at IS NULL) AS residents
    FROM zones z
    JOIN places pl ON pl.id = z.place_id
    JOIN zone_policies zp ON zp.id = z.policy_id
    LEFT JOIN users du ON du.id = z.declared_by
    LEFT JOIN users eu ON eu.id = z.ended_by`;

async function zoneById(q: Queryable, actor: Actor, id: number, access: 'read' | 'write', lock = false): Promise<ZoneRow> {
  if (lock) {
    // the row locked first (FOR UPDATE cannot sit beside the aggregates of ZONE_SELECT)
    const { rows } = await q.query<{ place_path: string }>(sql`SELECT place_path FROM zones WHERE id = ${id} FOR UPDATE`);
    if (!rows[0] || !reaches(actor.scope, 'zone', access, rows[0].place_path)) throw new AppError('ZONE_NOT_FOUND', { params: { id } });
  }
  const { rows } = await q.query<ZoneRow>(sql`${raw(ZONE_SELECT)} WHERE z.id = ${id} AND ${reach(actor.scope, 'zone', access, 'z.place_path')}`);
  if (!rows[0]) throw new AppError('ZONE_NOT_FOUND', { params: { id } });
  return rows[0];
}

export interface ZoneQuery {
  /** under this place (in my area); all of my area when absent */
  placeId?: number;
  /** in force (default), or ended too */
  include?: 'active' | 'all';
}

/** Zones over and under my area, strictest first; with counts of the households and residents under each. */
export async function listZones(ctx: AppContext, actor: Actor, query: ZoneQuery): Promise<{ items: ZoneRow[] }> {
  requirePermission(actor, 'zones.read');
  const place = query.placeId ? await placeInScope(ctx.db, actor, query.placeId) : null;
  const { rows } = await ctx.db.query<ZoneRow>(sql`${raw(ZONE_SELECT)}
    WHERE ${reach(actor.scope, 'zone', 'read', 'z.place_path')}
      ${place ? sql`AND (z.place_path LIKE ${place.path} || '%' OR ${place.path}::text LIKE z.place_path || '%')` : sql``}
      ${query.include === 'all' ? sql`` : sql`AND z.ended_at IS NULL`}
    ORDER BY z.ended_at IS NOT NULL, ${raw(levelRankSql('zp.level'))} DESC, z.declared_at DESC
    LIMIT 500`);
  return { items: rows };
}

export interface ZoneEvent {
  id: number;
  zoneId: number;
  kind: 'declared' | 'reapplied' | 'stepped_down' | 'lifted';
  policy: { key: string; version: number; names: Policy['names']; level: string };
  reason: string;
  actor: string | null;
  at: string;
}

/** Every zone ever declared on a place, with the trail of decisions on each, newest first. */
export async function placeZoneHistory(ctx: AppContext, actor: Actor, placeId: number) {
  requirePermission(actor, 'zones.read');
  // read like a zone: the grid worker inside a compound reads the compound's history
  const { rows: places } = await ctx.db.query<{ id: number; name: string; kind: string }>(
    sql`SELECT id, name, kind FROM places WHERE id = ${placeId} AND archived_at IS NULL AND ${reach(actor.scope, 'zone', 'read', 'path')}`,
  );
  const place = places[0];
  if (!place) throw new AppError('PLACE_NOT_FOUND', { field: 'id', params: { id: placeId } });
  const { rows: zones } = await ctx.db.query<ZoneRow>(sql`${raw(ZONE_SELECT)} WHERE z.place_id = ${place.id} ORDER BY z.declared_at DESC, z.id DESC`);
  const { rows: events } = await ctx.db.query<ZoneEvent>(sql`
    SELECT e.id::int, e.zone_id AS "zoneId", e.kind,
           json_build_object('key', p.key, 'version', p.version, 'names', p.names, 'level', p.level) AS policy,
           e.reason, u.display_name AS actor, e.at
      FROM zone_events e JOIN zones z ON z.id = e.zone_id JOIN zone_policies p ON p.id = e.policy_id
      LEFT JOIN users u ON u.id = e.actor_id
     WHERE z.place_id = ${place.id}
     ORDER BY e.at DESC, e.id DESC`);
  return { place: { id: place.id, name: place.name, kind: place.kind }, zones, events };
}

/** One decision on a zone: its event in the zone's trail (the audit row is the caller's, named there). */
async function recordEvent(q: Queryable, actor: Actor, zoneId: number, kind: ZoneEvent['kind'], policyId: number, reason: string) {
  await q.query(sql`INSERT INTO zone_events (zone_id, kind, policy_id, reason, actor_id) VALUES (${zoneId}, ${kind}, ${policyId}, ${reason}, ${actor.id})`);
}

async function insertZone(q: Queryable, actor: Actor, place: PlaceRow, policy: Policy, reason: string, field: string, steppedFrom: number | null): Promise<number> {
  const { rows: held } = await q.query<{ name: string }>(sql`
    SELECT p.names ->> 'zh-CN' AS name FROM zones z JOIN zone_policies p ON p.id = z.policy_id
     WHERE z.place_id = ${place.id} AND z.ended_at IS NULL`);
  if (held[0]) throw new AppError('ZONE_EXISTS', { field, params: { place: place.name, zone: held[0].name } });
  const { rows } = await q.query<{ id: number }>(sql`
    INSERT INTO zones (place_id, place_path, policy_id, reason, declared_by, stepped_from)
    VALUES (${place.id}, ${place.path}, ${policy.id}, ${reason}, ${actor.id}, ${steppedFrom})
    ON CONFLICT (place_id) WHERE ended_at IS NULL DO NOTHING
    RETURNING id`);
  // declared at the same moment by someone else
  if (!rows[0]) throw new AppError('ZONE_EXISTS', { field, params: { place: place.name, zone: policy.names['zh-CN'] } });
  await recordEvent(q, actor, rows[0].id, 'declared', policy.id, reason);
  await audit(q, actor, { action: 'zone.declare', entity: 'zone', entityId: rows[0].id, placePath: place.path, detail: { policy: policy.key, version: policy.version, reason, steppedFrom } });
  return rows[0].id;
}

export interface DeclareInput {
  key: string;
  placeIds: number[];
  policy: string;
  reason: string;
}

/** Declares one zone per place given (all or none), under the latest version of the policy. Idempotent by key. */
export async function declareZones(ctx: AppContext, actor: Actor, input: DeclareInput) {
  requirePermission(actor, 'zones.declare');
  const req = idempotentRequest(ctx.vault, actor, 'zone.declare', input);
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const policy = await currentPolicy(q, input.policy, 'policy');
      const ids: number[] = [];
      for (const [i, placeId] of [...new Set(input.placeIds)].sort((a, b) => a - b).entries()) {
        const place = await placeInScope(q, actor, placeId, `placeIds[${i}]`);
        ids.push(await insertZone(q, actor, place, policy, input.reason, `placeIds[${i}]`, null));
      }
      return { ids };
    }),
  );
  const zones = await Promise.all(value.ids.map((id) => zoneById(ctx.db, actor, id, 'read')));
  return { items: zones, replay };
}

async function endZone(q: Queryable, actor: Actor, zone: ZoneRow, how: 'lifted' | 'stepped_down', reason: string) {
  await q.query(sql`UPDATE zones SET ended_at = now(), ended_by = ${actor.id}, ended_how = ${how}, end_reason = ${reason} WHERE id = ${zone.id}`);
}

function stillInForce(zone: ZoneRow) {
  if (zone.endedAt) throw new AppError('ZONE_ENDED', { params: { at: zone.endedAt } });
}

/** Lifts a zone: nothing holds on the place any more (zones above or below it are their own). */
export async function liftZone(ctx: AppContext, actor: Actor, id: number, reason: string) {
  requirePermission(actor, 'zones.declare');
  await ctx.db.tx(async (q) => {
    const zone = await zoneById(q, actor, id, 'write', true);
    stillInForce(zone);
    await endZone(q, actor, zone, 'lifted', reason);
    await recordEvent(q, actor, zone.id, 'lifted', zone.policy.id, reason);
    await audit(q, actor, { action: 'zone.lift', entity: 'zone', entityId: zone.id, placePath: zone.place.path, detail: { policy: zone.policy.key, reason } });
    await closeReviews(q, actor, zone.id, 'lifted');
  });
  return zoneById(ctx.db, actor, id, 'read');
}

/** Steps a zone down to the policy its own says (sealed → controlled → prevention); the last step lifts it. */
export async function stepDownZone(ctx: AppContext, actor: Actor, id: number, reason: string) {
  requirePermission(actor, 'zones.declare');
  const nextId = await ctx.db.tx(async (q) => {
    const zone = await zoneById(q, actor, id, 'write', true);
    stillInForce(zone);
    await endZone(q, actor, zone, 'stepped_down', reason);
    await recordEvent(q, actor, zone.id, 'stepped_down', zone.policy.id, reason);
    await audit(q, actor, { action: 'zone.step_down', entity: 'zone', entityId: zone.id, placePath: zone.place.path, detail: { policy: zone.policy.key, to: zone.policy.stepDownTo, reason } });
    await closeReviews(q, actor, zone.id, 'stepped_down');
    if (!zone.policy.stepDownTo) return null;
    const to = await currentPolicy(q, zone.policy.stepDownTo, 'policy');
    const place = await placeInScope(q, actor, zone.place.id, 'id');
    return insertZone(q, actor, place, to, reason, 'id', zone.id);
  });
  return { ended: await zoneById(ctx.db, actor, id, 'read'), next: nextId ? await zoneById(ctx.db, actor, nextId, 'read') : null };
}

/** Moves a zone onto the latest version of its policy (an administrator changed the preset). */
export async function reapplyZone(ctx: AppContext, actor: Actor, id: number, reason: string) {
  requirePermission(actor, 'zones.declare');
  await ctx.db.tx(async (q) => {
    const zone = await zoneById(q, actor, id, 'write', true);
    stillInForce(zone);
    const latest = await currentPolicy(q, zone.policy.key, 'policy');
    if (latest.id === zone.policy.id) throw new AppError('ZONE_POLICY_CURRENT', { params: { version: latest.version } });
    await q.query(sql`UPDATE zones SET policy_id = ${latest.id} WHERE id = ${zone.id}`);
    await recordEvent(q, actor, zone.id, 'reapplied', latest.id, reason);
    await audit(q, actor, { action: 'zone.reapply', entity: 'zone', entityId: zone.id, placePath: zone.place.path, detail: { policy: latest.key, from: zone.policy.version, to: latest.version, reason } });
  });
  return zoneById(ctx.db, actor, id, 'read');
}

export interface StepDownCandidate {
  zone: ZoneRow;
  /** the last single-tube positive under the zone since it was declared, if any */
  lastPositiveAt: string | null;
  /** whole days since the later of the declaration and the last positive */
  daysClear: number;
  /** the day the daily check listed it (null: met the rule since the last check) */
  listedOn: string | null;
}

interface MetRule {
  zoneId: number;
  lastPositiveAt: string | null;
  daysClear: number;
}

/**
 * Zones in force whose policy's step-down rule is met: N days since the later of the declaration
 * and the last new positive under the place. A positive is a single tube (a retest or a 1-in-1
 * sample) found positive: a positive pool is only a reason to retest its people. Nothing steps
 * down here: the command center confirms each one (stepDownZone).
 */
async function zonesMeetingRule(q: Queryable, scopeSql: Sql): Promise<MetRule[]> {
  const { rows } = await q.query<MetRule>(sql`
    SELECT z.id AS "zoneId", lp.at AS "lastPositiveAt",
           floor(extract(epoch FROM now() - greatest(z.declared_at, coalesce(lp.at, z.declared_at))) / 86400)::int AS "daysClear"
      FROM zones z
      JOIN zone_policies p ON p.id = z.policy_id
      CROSS JOIN LATERAL (
        SELECT max(t.result_at) AS at FROM samples s JOIN tubes t ON t.id = s.tube_id
         WHERE s.place_path LIKE z.place_path || '%' AND t.pool_size = 1 AND t.result = 'positive' AND t.result_at >= z.declared_at) lp
     WHERE z.ended_at IS NULL AND p.step_down_days IS NOT NULL AND ${scopeSql}
       AND now() - greatest(z.declared_at, coalesce(lp.at, z.declared_at)) >= make_interval(days => p.step_down_days)
     ORDER BY z.declared_at`);
  return rows;
}

/** The daily check (job runner): lists today's zones that meet their rule; answers how many were listed. */
export async function listZonesForStepDown(ctx: AppContext): Promise<number> {
  return ctx.db.tx(async (q) => {
    const met = await zonesMeetingRule(q, sql`TRUE`);
    if (met.length === 0) return 0;
    const { rows } = await q.query(sql`
      INSERT INTO zone_step_down_reviews (zone_id, listed_on, days_clear, last_positive_at)
      SELECT m.zone_id, (now() AT TIME ZONE ${TIME_ZONE})::date, m.days_clear, m.at
        FROM unnest(${met.map((m) => m.zoneId)}::int[], ${met.map((m) => m.daysClear)}::int[], ${met.map((m) => m.lastPositiveAt)}::timestamptz[])
             AS m(zone_id, days_clear, at)
      ON CONFLICT (zone_id, listed_on) DO NOTHING
      RETURNING 1`);
    return rows.length;
  });
}

/** The zones in my area that meet their step-down rule now, with the day the daily check listed each, for the command center to confirm. */
export async function listStepDownCandidates(ctx: AppContext, actor: Actor): Promise<{ items: StepDownCandidate[] }> {
  requirePermission(actor, 'zones.declare');
  const met = await zonesMeetingRule(ctx.db, within(actor.scope, 'z.place_path'));
  const { rows: listed } = await ctx.db.query<{ zone_id: number; listed_on: string }>(sql`
    SELECT zone_id, min(listed_on)::text AS listed_on FROM zone_step_down_reviews
     WHERE zone_id = ANY(${met.map((m) => m.zoneId)}::int[]) AND decided_at IS NULL GROUP BY zone_id`);
  const listedOn = new Map(listed.map((r) => [r.zone_id, r.listed_on]));
  const items = await Promise.all(
    met.map(async (m) => ({ zone: await zoneById(ctx.db, actor, m.zoneId, 'read'), lastPositiveAt: m.lastPositiveAt, daysClear: m.daysClear, listedOn: listedOn.get(m.zoneId) ?? null })),
  );
  return { items };
}

/** A decision on a listed zone closes its open reviews. */
async function closeReviews(q: Queryable, actor: Actor, zoneId: number, decision: 'stepped_down' | 'lifted') {
  await q.query(sql`UPDATE zone_step_down_reviews SET decided_at = now(), decided_by = ${actor.id}, decision = ${decision} WHERE zone_id = ${zoneId} AND decided_at IS NULL`);
}

export interface ZoneAt {
  id: number;
  place: { id: number; name: string; kind: string };
  policy: Policy;
  declaredAt: string;
}

/** The zone that holds at a place path (a home): the strictest in force on it or any place above it; null when none. */
export async function zoneAt(q: Queryable, placePath: string): Promise<ZoneAt | null> {
  const { rows } = await q.query<ZoneAt>(sql`
    SELECT z.id, json_build_object('id', pl.id, 'name', pl.name, 'kind', pl.kind) AS place,
           (SELECT row_to_json(x) FROM (SELECT ${raw(POLICY_COLUMNS)} FROM zone_policies p WHERE p.id = z.policy_id) x) AS policy,
           z.declared_at AS "declaredAt"
      FROM zones z JOIN zone_policies zp ON zp.id = z.policy_id JOIN places pl ON pl.id = z.place_id
     WHERE z.ended_at IS NULL AND ${placePath}::text LIKE z.place_path || '%'
     ORDER BY ${raw(levelRankSql('zp.level'))} DESC, length(z.place_path) DESC
     LIMIT 1`);
  return rows[0] ?? null;
}
