// The registry side of coverage: how many living residents each unit path of a campaign's
// covered places holds, and who among them is young enough to be exempt. It changes only
// with the registry, while samples change every second, and counting a district of a
// million takes most of a second — so it is computed once per campaign, in the background
// when the campaign is created or the server starts, and then kept fresh behind the
// readers: after a minute the next reader still gets the last count at once and a new
// count starts for the ones after it (a resident registered a minute ago may be missing
// from "expected" for that long).
import type { Queryable } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';

const FRESH_MS = 60_000;
// Older than this, a count is not served while a new one is made: the reader waits for it.
const STALE_LIMIT_MS = 10 * 60_000;

export interface PathBase {
  total: number;
  /** residents born after the campaign's earliest age cutoff: [id, birth date] */
  young: [number, string][];
}

export interface BaseKey {
  campaignId: number;
  /** LIKE patterns of every covered place of the campaign */
  patterns: string[];
  /** the earliest cutoff of the campaign's rounds (YYYY-MM-DD): later rounds' exempt are a subset */
  cutoff: string;
}

interface Entry {
  at: number;
  value: Promise<Map<string, PathBase>>;
  refreshing: boolean;
}

const caches = new WeakMap<object, Map<string, Entry>>();

function keyOf(k: BaseKey) {
  return `${k.campaignId}|${k.cutoff}|${k.patterns.join(',')}`;
}

async function count(ctx: AppContext, k: BaseKey): Promise<Map<string, PathBase>> {
  if (!k.patterns.length) return new Map();
  const { rows } = await ctx.db.query<{ place_path: string; total: number; young: [number, string][] | null }>(
    `SELECT place_path, count(*) AS total,
            json_agg(json_build_array(id, to_char(birth_date, 'YYYY-MM-DD'))) FILTER (WHERE birth_date > $1::date) AS young
     FROM residents WHERE archived_at IS NULL AND (${k.patterns.map((_, i) => `place_path LIKE $${i + 2}`).join(' OR ')})
     GROUP BY place_path`,
    [k.cutoff, ...k.patterns],
  );
  return new Map(rows.map((r) => [r.place_path, { total: r.total, young: r.young ?? [] }]));
}

/** The key of a campaign's counts: its covered places and the age cutoff of its earliest round. */
export async function baseKeyFor(q: Queryable, campaignId: number): Promise<BaseKey> {
  const { rows } = await q.query<{ cutoff: string; patterns: string[] | null }>(
    `SELECT to_char((least(c.starts_at, (SELECT min(starts_at) FROM rounds WHERE campaign_id = c.id)) AT TIME ZONE 'Asia/Shanghai')
                    - make_interval(months => c.exempt_under_months), 'YYYY-MM-DD') AS cutoff,
            (SELECT array_agg(place_path || '%' ORDER BY place_path) FROM campaign_places WHERE campaign_id = c.id) AS patterns
     FROM campaigns c WHERE c.id = $1`,
    [campaignId],
  );
  return { campaignId, cutoff: rows[0]?.cutoff ?? '1900-01-01', patterns: rows[0]?.patterns ?? [] };
}

/**
 * Counts a campaign's registry side ahead of its first reader (a new campaign; campaigns
 * under way when the server starts). Never throws: a failed warm-up is a slower first read.
 */
export function warmCampaignBase(ctx: AppContext, campaignId: number): void {
  baseKeyFor(ctx.db, campaignId)
    .then((k) => campaignBase(ctx, k))
    .catch(() => undefined);
}

/** Warms every campaign with a round not yet over. */
export async function warmOpenCampaigns(ctx: AppContext): Promise<void> {
  const { rows } = await ctx.db.query<{ id: number }>(
    `SELECT DISTINCT c.id FROM campaigns c JOIN rounds r ON r.campaign_id = c.id WHERE c.archived_at IS NULL AND r.ends_at > now() AND r.closed_at IS NULL`,
  );
  for (const r of rows) warmCampaignBase(ctx, r.id);
}

/** The campaign's registry counts by unit path: fresh, or the last ones while new ones are counted. */
export function campaignBase(ctx: AppContext, k: BaseKey): Promise<Map<string, PathBase>> {
  let cache = caches.get(ctx.db);
  if (!cache) caches.set(ctx.db, (cache = new Map()));
  const key = keyOf(k);
  const hit = cache.get(key);
  if (!hit || Date.now() - hit.at > STALE_LIMIT_MS) {
    const entry: Entry = { at: Date.now(), value: count(ctx, k), refreshing: false };
    if (cache.size > 50) cache.clear();
    cache.set(key, entry);
    entry.value.catch(() => cache.delete(key)); // a failed count is not kept
    return entry.value;
  }
  if (Date.now() - hit.at > FRESH_MS && !hit.refreshing) {
    hit.refreshing = true;
    count(ctx, k).then(
      (value) => cache.set(key, { at: Date.now(), value: Promise.resolve(value), refreshing: false }),
      () => (hit.refreshing = false),
    );
  }
  return hit.value;
}

/** Forgets every count (tests that change the registry behind a campaign's back). */
export function forgetCampaignBases(ctx: AppContext) {
  caches.delete(ctx.db);
}
