// The live progress board of a campaign (进度看板): samples per site per hour, tubes by
// stage (open, sealed, boxed, in transit, at the lab, resulted), results and positives,
// open recalls. Cheap enough to recompute on every change event (a few indexed aggregates).
import type { Actor, AppContext } from '../../platform/context.js';
import { empty, sql } from '../../db/sql.js';
import { AppError } from '../../platform/errors.js';
import { beneath, requirePermission, within, withinPlace, type Scope } from '../../platform/scope.js';
import { campaignInScope } from './campaigns.js';

// A tube in a received box that the lab did not find (the receipt's missing list) is not at the
// lab: it is counted apart, until a result for it arrives after all.
const missingAtReceipt = sql`coalesce(b.receipt -> 'missing' @> to_jsonb(t.barcode), false)`;

/**
 * The board of one campaign. `area`: a place in my area to narrow the counts to (the area board
 * asks each running campaign for its share of the place picked); the campaign must overlap it.
 */
export async function board(ctx: AppContext, actor: Actor, campaignId: number, roundId?: number, area?: { path: string }) {
  requirePermission(actor, 'testing.read');
  const c = await campaignInScope(ctx.db, actor, campaignId, 'read');
  const rounds = await ctx.db.query<{ id: number; number: number; starts_at: Date; ends_at: Date }>(
    'SELECT id, number, starts_at, ends_at FROM rounds WHERE campaign_id = $1 ORDER BY number',
    [c.id],
  );
  // The round asked for (a round of another campaign is not quietly swapped for this one's),
  // else the one running now, else the latest that has started.
  if (roundId !== undefined && !rounds.rows.some((r) => r.id === roundId)) throw new AppError('ROUND_NOT_FOUND', { field: 'roundId', params: { id: roundId } });
  const now = Date.now();
  const round =
    rounds.rows.find((r) => r.id === roundId) ??
    rounds.rows.find((r) => r.starts_at.getTime() <= now && now < r.ends_at.getTime()) ??
    [...rounds.rows].reverse().find((r) => r.starts_at.getTime() <= now) ??
    rounds.rows[0];
  if (!round) return null;
  // What the board counts: the part of the campaign inside my area (a street officer sees the whole
  // community campaign, a grid worker their grid's share of a compound site's work).
  // Narrowed to the place asked about when it lies inside the campaign's (else the campaign is inside it).
  const counted = area && area.path.startsWith(c.place_path) ? area : { path: c.place_path };
  const mine = (column: string) => withinPlace(actor.scope, counted, column);
  const [perHour, tubes, recalls, expected] = await Promise.all([
    ctx.db.query<{ site_id: number; site: string; hour: Date; n: number }>(
      sql`SELECT s.site_id, si.name AS site, date_trunc('hour', s.sampled_at) AS hour, count(*) AS n
       FROM samples s JOIN sites si ON si.id = s.site_id
       WHERE s.round_id = ${round.id} AND ${mine('si.place_path')}
       GROUP BY 1, 2, 3 ORDER BY 3`,
    ),
    ctx.db.query<{ open: number; sealed: number; packed: number; in_transit: number; received: number; missing: number; negative: number; positive: number; invalid: number; people: number }>(
      sql`SELECT count(*) FILTER (WHERE t.sealed_at IS NULL) AS open,
              count(*) FILTER (WHERE t.sealed_at IS NOT NULL AND t.box_id IS NULL) AS sealed,
              count(*) FILTER (WHERE b.id IS NOT NULL AND b.handed_over_at IS NULL) AS packed,
              count(*) FILTER (WHERE b.handed_over_at IS NOT NULL AND b.received_at IS NULL) AS in_transit,
              count(*) FILTER (WHERE b.received_at IS NOT NULL AND t.result IS NULL AND NOT ${missingAtReceipt}) AS received,
              count(*) FILTER (WHERE b.received_at IS NOT NULL AND t.result IS NULL AND ${missingAtReceipt}) AS missing,
              count(*) FILTER (WHERE t.result = 'negative') AS negative,
              count(*) FILTER (WHERE t.result = 'positive') AS positive,
              count(*) FILTER (WHERE t.result = 'invalid') AS invalid,
              coalesce(sum(t.people), 0) AS people
       FROM tubes t JOIN sites si ON si.id = t.site_id LEFT JOIN boxes b ON b.id = t.box_id
       WHERE t.round_id = ${round.id} AND ${mine('si.place_path')}`,
    ),
    ctx.db.query<{ open: number; closed: number }>(
      sql`SELECT count(*) FILTER (WHERE closed_at IS NULL) AS open, count(*) FILTER (WHERE closed_at IS NOT NULL) AS closed
       FROM recalls WHERE round_id = ${round.id} AND ${within(actor.scope, 'place_path')} ${area ? sql`AND ${beneath(area, 'place_path')}` : empty}`,
    ),
    expectedResidents(ctx, c.id, actor.scope, area?.path),
  ]);
  const sites = new Map<number, { siteId: number; name: string; hours: { hour: string; samples: number }[]; samples: number }>();
  for (const r of perHour.rows) {
    let s = sites.get(r.site_id);
    if (!s) sites.set(r.site_id, (s = { siteId: r.site_id, name: r.site, hours: [], samples: 0 }));
    s.hours.push({ hour: r.hour.toISOString(), samples: r.n });
    s.samples += r.n;
  }
  const t = tubes.rows[0];
  return {
    campaign: { id: c.id, name: c.name },
    round: { id: round.id, number: round.number, startsAt: round.starts_at.toISOString(), endsAt: round.ends_at.toISOString() },
    rounds: rounds.rows.map((r) => ({ id: r.id, number: r.number })),
    expected,
    samples: [...sites.values()].reduce((a, s) => a + s.samples, 0),
    sites: [...sites.values()].sort((a, b) => b.samples - a.samples),
    tubes: { open: t.open, sealed: t.sealed, packed: t.packed, inTransit: t.in_transit, atLab: t.received, missing: t.missing, negative: t.negative, positive: t.positive, invalid: t.invalid },
    recalls: recalls.rows[0],
    at: new Date().toISOString(),
  };
}

// The expected head count changes only with the registry; counting a million residents on
// every board refresh would be the board's whole cost, so it is kept for a minute.
const expectedCache = new WeakMap<object, Map<string, { at: number; n: number }>>();

async function expectedResidents(ctx: AppContext, campaignId: number, scope: Scope, areaPath?: string): Promise<number> {
  let cache = expectedCache.get(ctx.db);
  if (!cache) expectedCache.set(ctx.db, (cache = new Map()));
  const key = `${campaignId}:${scope.path}:${areaPath ?? ''}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < 60_000) return hit.n;
  const { rows } = await ctx.db.query<{ n: number }>(
    sql`SELECT count(*) AS n FROM residents r
     WHERE r.archived_at IS NULL AND ${within(scope, 'r.place_path')} ${areaPath ? sql`AND ${beneath({ path: areaPath }, 'r.place_path')}` : empty}
       AND EXISTS (SELECT 1 FROM campaign_places cp WHERE cp.campaign_id = ${campaignId} AND r.place_path LIKE cp.place_path || '%')`,
  );
  cache.set(key, { at: Date.now(), n: rows[0].n });
  return rows[0].n;
}
