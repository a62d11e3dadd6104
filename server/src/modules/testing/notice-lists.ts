// The lists of a round that the notices module addresses (modules/notices): who in a place has
// not been sampled yet, who is on the recall list, and the schedule's slot per building. Each
// list is an SQL fragment selecting `resident_id`, so a notice to a whole district's missing
// list is queued by one INSERT … SELECT, never a loop over people.
import type { Queryable } from '../../db/client.js';
import { empty, sql, type Sql } from '../../db/sql.js';
import type { Actor } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { beneath, reach, requirePermission, type PlaceRow } from '../../platform/scope.js';
import { roundScope } from './coverage.js';

export type RoundList = 'missing' | 'recall';

/**
 * SQL selecting `resident_id` (one row per resident) of a round's list, narrowed to `place` (a
 * place the caller already loaded in their scope). The round is read under the campaign's read
 * rule: a community officer reaches their own part of a street-wide round. Unknown or foreign
 * rounds throw ROUND_NOT_FOUND.
 */
export async function roundListSql(q: Queryable, actor: Actor, roundId: number, list: RoundList, place: PlaceRow): Promise<Sql> {
  const s = await roundScope(q, actor, roundId, place.id);
  if (list === 'recall') {
    return sql`SELECT DISTINCT rc.resident_id FROM recalls rc
               WHERE rc.round_id = ${s.roundId} AND rc.closed_at IS NULL AND ${beneath(place, 'rc.place_path')}`;
  }
  if (!s.patterns.length) return sql`SELECT NULL::int AS resident_id WHERE false`;
  return sql`SELECT r.id AS resident_id FROM residents r
             WHERE r.archived_at IS NULL AND r.place_path LIKE ANY (${s.patterns}::text[])
               AND (r.birth_date IS NULL OR r.birth_date <= ${s.cutoff}::date)
               AND NOT EXISTS (SELECT 1 FROM samples x WHERE x.round_id = ${s.roundId} AND x.resident_id = r.id)
               AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.round_id = ${s.roundId} AND e.resident_id = r.id)`;
}

export interface BuildingSlot {
  roundId: number;
  buildingId: number;
  path: string;
  building: string;
  site: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The schedule of a round per building, for its slot notices: each building's first start and
 * last end (a building the planner split over several slots is told the whole span) at its site.
 * Only buildings within the caller's own area (a slot is written within, never overlapping), and
 * under `place` when given.
 */
export async function buildingSlots(q: Queryable, actor: Actor, roundId: number, place: PlaceRow | null): Promise<BuildingSlot[]> {
  requirePermission(actor, 'testing.read');
  const round = await q.query<{ id: number }>(
    sql`SELECT rd.id FROM rounds rd JOIN campaigns c ON c.id = rd.campaign_id
         WHERE rd.id = ${roundId} AND c.archived_at IS NULL AND ${reach(actor.scope, 'campaign', 'read', 'c.place_path')}`,
  );
  if (!round.rows[0]) throw new AppError('ROUND_NOT_FOUND', { field: 'id', params: { id: roundId } });
  const { rows } = await q.query<{ place_id: number; place_path: string; building: string; site: string; starts_at: Date; ends_at: Date }>(
    sql`SELECT sl.place_id, min(sl.place_path) AS place_path, min(p.name) AS building, min(s.name) AS site,
               min(sl.starts_at) AS starts_at, max(sl.ends_at) AS ends_at
          FROM schedule_slots sl JOIN places p ON p.id = sl.place_id JOIN sites s ON s.id = sl.site_id
         WHERE sl.round_id = ${roundId} AND ${reach(actor.scope, 'slot', 'write', 'sl.place_path')}
           ${place ? sql`AND ${beneath(place, 'sl.place_path')}` : empty}
         GROUP BY sl.place_id ORDER BY min(sl.starts_at), min(sl.place_path)`,
  );
  return rows.map((r) => ({ roundId, buildingId: r.place_id, path: r.place_path, building: r.building, site: r.site, startsAt: r.starts_at, endsAt: r.ends_at }));
}
