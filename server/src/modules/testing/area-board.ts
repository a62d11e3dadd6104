// The area board (区域看板), the command center's first panel: every running campaign in my area
// (or the place of it picked) with its progress — sampled against expected, tubes by stage
// (missing at receipt included), results, positives, open recalls — each counted by the campaign
// board's own query (board.ts), narrowed to the area, and their sum.
import type { Actor, AppContext } from '../../platform/context.js';
import { empty, sql } from '../../db/sql.js';
import { placeInScope, reach, requirePermission } from '../../platform/scope.js';
import { board } from './board.js';

type Board = NonNullable<Awaited<ReturnType<typeof board>>>;
const STAGES = ['open', 'sealed', 'packed', 'inTransit', 'atLab', 'missing', 'negative', 'positive', 'invalid'] as const;

/** Campaigns shown at most (the newest first): a district runs a handful at a time. */
const LIMIT = 50;

export async function areaBoard(ctx: AppContext, actor: Actor, placeId?: number) {
  requirePermission(actor, 'testing.read');
  const asked = placeId ? await placeInScope(ctx.db, actor, placeId) : null;
  // the place the board is about: the one asked for, else my own (none for an installation-wide account)
  const place =
    asked ??
    (await ctx.db.query<{ id: number; name: string; kind: string; path: string }>('SELECT id, name, kind, path FROM places WHERE path = $1', [actor.scope.path])).rows[0] ??
    null;
  // Running: inside the campaign's window, or a round of it under way. Campaigns are read under
  // their scope rule (a district campaign is visible to a street, which sees its share of it).
  const { rows } = await ctx.db.query<{ id: number; place_name: string }>(
    sql`SELECT c.id, p.name AS place_name FROM campaigns c JOIN places p ON p.id = c.place_id
     WHERE c.archived_at IS NULL AND ${reach(actor.scope, 'campaign', 'read', 'c.place_path')}
       ${asked ? sql`AND (c.place_path LIKE ${asked.path} || '%' OR ${asked.path}::text LIKE c.place_path || '%')` : empty}
       AND ((c.starts_at <= now() AND now() < c.ends_at)
            OR EXISTS (SELECT 1 FROM rounds r WHERE r.campaign_id = c.id AND r.starts_at <= now() AND now() < r.ends_at))
     ORDER BY c.starts_at DESC, c.id DESC LIMIT ${LIMIT}`,
  );
  const boards: (Board & { placeName: string })[] = [];
  // One after another: each is a few aggregates, and the pool is shared with the lanes.
  for (const r of rows) {
    const b = await board(ctx, actor, r.id, undefined, asked ?? undefined);
    if (b) boards.push({ ...b, placeName: r.place_name });
  }
  const tubes = Object.fromEntries(STAGES.map((k) => [k, boards.reduce((a, b) => a + b.tubes[k], 0)])) as Board['tubes'];
  return {
    place: place && { id: place.id, name: place.name, kind: place.kind },
    campaigns: boards.map((b) => ({
      campaign: { ...b.campaign, placeName: b.placeName },
      round: b.round,
      expected: b.expected,
      samples: b.samples,
      sites: b.sites.length,
      tubes: b.tubes,
      recalls: b.recalls,
    })),
    totals: {
      campaigns: boards.length,
      expected: boards.reduce((a, b) => a + b.expected, 0),
      samples: boards.reduce((a, b) => a + b.samples, 0),
      tubes,
      recalls: { open: boards.reduce((a, b) => a + b.recalls.open, 0), closed: boards.reduce((a, b) => a + b.recalls.closed, 0) },
    },
    /** the rounds it counts: a change in any of them refreshes the stream */
    rounds: boards.map((b) => b.round.id),
    at: new Date().toISOString(),
  };
}
