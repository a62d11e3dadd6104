// Campaigns (全员核酸检测), their covered places and sampling modes, rounds, sites and lanes.
// A campaign is visible to staff whose area overlaps it: officers above it plan it, a
// sampler or grid worker inside it works in it.
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { empty, sql } from '../../db/sql.js';
import { placeInScope, reach, requirePermission, type Access } from '../../platform/scope.js';
import { warmCampaignBase } from './coverage-base.js';

export const MODES = ['single', 'pool5', 'pool10', 'pool20', 'household'] as const;
export type Mode = (typeof MODES)[number];

/** How many people a tube of this mode holds, and whether they must share a household. */
export function tubeOf(mode: Mode): { poolSize: number; householdOnly: boolean } {
  switch (mode) {
    case 'single':
      return { poolSize: 1, householdOnly: false };
    case 'pool5':
      return { poolSize: 5, householdOnly: false };
    case 'pool10':
      return { poolSize: 10, householdOnly: false };
    case 'pool20':
      return { poolSize: 20, householdOnly: false };
    case 'household':
      return { poolSize: 20, householdOnly: true };
  }
}

export interface CampaignRow {
  id: number;
  name: string;
  place_id: number;
  place_path: string;
  starts_at: Date;
  ends_at: Date;
  exempt_under_months: number;
  seconds_per_swab: number;
}

export interface RoundInfo {
  id: number;
  number: number;
  startsAt: string;
  endsAt: string;
  closedAt: string | null;
}

/**
 * A campaign the actor may read (its place overlaps their area) or write (its place lies within
 * their area: a community officer reads the street's campaign and cannot change it); else
 * CAMPAIGN_NOT_FOUND, as for a missing id.
 */
export async function campaignInScope(q: Queryable, actor: Actor, id: number, access: Access, field = 'campaignId'): Promise<CampaignRow> {
  const { rows } = await q.query<CampaignRow>(
    sql`SELECT id, name, place_id, place_path, starts_at, ends_at, exempt_under_months, seconds_per_swab
          FROM campaigns WHERE id = ${id} AND archived_at IS NULL AND ${reach(actor.scope, 'campaign', access, 'place_path')}`,
  );
  if (!rows[0]) throw new AppError('CAMPAIGN_NOT_FOUND', { field, params: { id } });
  return rows[0];
}

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

function parseInstant(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw fieldInvalid(field, { 'zh-CN': '不是有效的时间', 'en-US': 'not a valid date and time' });
  return d;
}

export interface NewCampaign {
  name: string;
  placeId: number;
  startsAt: string;
  endsAt: string;
  exemptUnderMonths?: number;
  secondsPerSwab?: number;
  /** The covered places and their modes; default: the owning place, single tubes. */
  places?: { placeId: number; mode: Mode }[];
  /** Rounds as time windows; default: one round per calendar day (Asia/Shanghai) of the window. */
  rounds?: { startsAt: string; endsAt: string }[];
}

/** Day-long rounds over the window, cut at Shanghai midnight (UTC+8, no DST). */
export function dailyRounds(startsAt: Date, endsAt: Date): { startsAt: Date; endsAt: Date }[] {
  const DAY = 86_400_000;
  const OFFSET = 8 * 3_600_000;
  const out: { startsAt: Date; endsAt: Date }[] = [];
  let start = startsAt.getTime();
  while (start < endsAt.getTime() && out.length < 60) {
    const nextMidnight = Math.floor((start + OFFSET) / DAY + 1) * DAY - OFFSET;
    const end = Math.min(nextMidnight, endsAt.getTime());
    out.push({ startsAt: new Date(start), endsAt: new Date(end) });
    start = end;
  }
  return out;
}

export async function createCampaign(ctx: AppContext, actor: Actor, input: NewCampaign) {
  requirePermission(actor, 'testing.manage');
  const startsAt = parseInstant(input.startsAt, 'startsAt');
  const endsAt = parseInstant(input.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw fieldInvalid('endsAt', { 'zh-CN': '结束时间须晚于开始时间', 'en-US': 'must be after the start' });
  if (endsAt.getTime() - startsAt.getTime() > 60 * 86_400_000) {
    throw fieldInvalid('endsAt', { 'zh-CN': '一个检测任务最长 60 天', 'en-US': 'a campaign lasts at most 60 days' });
  }
  const created = await ctx.db.tx(async (q) => {
    const owner = await placeInScope(q, actor, input.placeId);
    const covered = input.places?.length ? input.places : [{ placeId: owner.id, mode: 'single' as Mode }];
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO campaigns (name, place_id, place_path, starts_at, ends_at, exempt_under_months, seconds_per_swab, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [input.name.trim(), owner.id, owner.path, startsAt, endsAt, input.exemptUnderMonths ?? 0, input.secondsPerSwab ?? 20, actor.id],
    );
    const id = rows[0].id;
    const seen = new Set<number>();
    for (const [i, p] of covered.entries()) {
      if (seen.has(p.placeId)) continue;
      seen.add(p.placeId);
      const place = await placeInScope(q, actor, p.placeId, `places[${i}].placeId`);
      if (!place.path.startsWith(owner.path)) {
        throw new AppError('CAMPAIGN_PLACE_OUTSIDE', { field: `places[${i}].placeId`, params: { name: place.name } });
      }
      await q.query(`INSERT INTO campaign_places (campaign_id, place_id, place_path, mode) VALUES ($1, $2, $3, $4)`, [
        id,
        place.id,
        place.path,
        p.mode,
      ]);
    }
    const rounds = input.rounds?.length
      ? input.rounds.map((r, i) => ({
          startsAt: parseInstant(r.startsAt, `rounds[${i}].startsAt`),
          endsAt: parseInstant(r.endsAt, `rounds[${i}].endsAt`),
        }))
      : dailyRounds(startsAt, endsAt);
    for (const [i, r] of rounds.entries()) {
      if (r.endsAt <= r.startsAt)
        throw fieldInvalid(`rounds[${i}].endsAt`, { 'zh-CN': '结束时间须晚于开始时间', 'en-US': 'must be after the start' });
      await q.query(`INSERT INTO rounds (campaign_id, number, starts_at, ends_at) VALUES ($1, $2, $3, $4)`, [
        id,
        i + 1,
        r.startsAt,
        r.endsAt,
      ]);
    }
    await audit(q, actor, {
      action: 'campaign.create',
      entity: 'campaign',
      entityId: id,
      placePath: owner.path,
      detail: { name: input.name, rounds: rounds.length },
    });
    return getCampaignIn(q, actor, id);
  });
  warmCampaignBase(ctx, created.id); // the first coverage read should not wait for a million rows
  return created;
}

export async function addRound(ctx: AppContext, actor: Actor, campaignId: number, input: { startsAt: string; endsAt: string }) {
  requirePermission(actor, 'testing.manage');
  const startsAt = parseInstant(input.startsAt, 'startsAt');
  const endsAt = parseInstant(input.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw fieldInvalid('endsAt', { 'zh-CN': '结束时间须晚于开始时间', 'en-US': 'must be after the start' });
  return ctx.db.tx(async (q) => {
    const c = await campaignInScope(q, actor, campaignId, 'write');
    await q.query('SELECT id FROM campaigns WHERE id = $1 FOR UPDATE', [c.id]);
    const clash = await q.query<{ number: number }>(
      `SELECT number FROM rounds WHERE campaign_id = $1 AND starts_at < $3 AND ends_at > $2 LIMIT 1`,
      [c.id, startsAt, endsAt],
    );
    if (clash.rows[0]) throw new AppError('ROUND_OVERLAP', { field: 'startsAt', params: { number: clash.rows[0].number } });
    await q.query(
      `INSERT INTO rounds (campaign_id, number, starts_at, ends_at)
       SELECT $1, coalesce(max(number), 0) + 1, $2, $3 FROM rounds WHERE campaign_id = $1`,
      [c.id, startsAt, endsAt],
    );
    await q.query(`UPDATE campaigns SET ends_at = greatest(ends_at, $2), starts_at = least(starts_at, $3) WHERE id = $1`, [
      c.id,
      endsAt,
      startsAt,
    ]);
    await audit(q, actor, { action: 'campaign.add_round', entity: 'campaign', entityId: c.id, placePath: c.place_path });
    invalidateLaneCache(ctx);
    return getCampaignIn(q, actor, c.id);
  });
}

export async function listCampaigns(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'testing.read');
  const { rows } = await ctx.db.query<CampaignRow & { place_name: string; rounds: number; sites: number; lanes: number; samples: number }>(
    sql`SELECT c.id, c.name, c.place_id, c.place_path, c.starts_at, c.ends_at, c.exempt_under_months, c.seconds_per_swab, p.name AS place_name,
            (SELECT count(*) FROM rounds r WHERE r.campaign_id = c.id) AS rounds,
            (SELECT count(*) FROM sites s WHERE s.campaign_id = c.id) AS sites,
            (SELECT count(*) FROM lanes l JOIN sites s ON s.id = l.site_id WHERE s.campaign_id = c.id) AS lanes
     FROM campaigns c JOIN places p ON p.id = c.place_id
     WHERE c.archived_at IS NULL AND ${reach(actor.scope, 'campaign', 'read', 'c.place_path')}
     ORDER BY c.starts_at DESC, c.id DESC LIMIT 200`,
  );
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    placeId: c.place_id,
    placeName: c.place_name,
    startsAt: iso(c.starts_at),
    endsAt: iso(c.ends_at),
    rounds: c.rounds,
    sites: c.sites,
    lanes: c.lanes,
  }));
}

async function getCampaignIn(q: Queryable, actor: Actor, id: number) {
  const c = await campaignInScope(q, actor, id, 'read');
  // One after another: q may be a transaction's single connection.
  const places = await q.query<{ place_id: number; mode: Mode; name: string; kind: string; path: string }>(
    `SELECT cp.place_id, cp.mode, p.name, p.kind, p.path FROM campaign_places cp JOIN places p ON p.id = cp.place_id
       WHERE cp.campaign_id = $1 ORDER BY p.path`,
    [id],
  );
  const rounds = await q.query<{ id: number; number: number; starts_at: Date; ends_at: Date; closed_at: Date | null }>(
    `SELECT id, number, starts_at, ends_at, closed_at FROM rounds WHERE campaign_id = $1 ORDER BY number`,
    [id],
  );
  const sites = await listSitesIn(q, actor, id);
  const owner = await q.query<{ name: string }>('SELECT name FROM places WHERE id = $1', [c.place_id]);
  return {
    id: c.id,
    name: c.name,
    placeId: c.place_id,
    placeName: owner.rows[0]?.name ?? '',
    startsAt: iso(c.starts_at),
    endsAt: iso(c.ends_at),
    exemptUnderMonths: c.exempt_under_months,
    secondsPerSwab: c.seconds_per_swab,
    places: places.rows.map((p) => ({ placeId: p.place_id, name: p.name, kind: p.kind, mode: p.mode })),
    rounds: rounds.rows.map((r): RoundInfo => ({
      id: r.id,
      number: r.number,
      startsAt: iso(r.starts_at)!,
      endsAt: iso(r.ends_at)!,
      closedAt: iso(r.closed_at),
    })),
    sites,
  };
}

export async function getCampaign(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'testing.read');
  return getCampaignIn(ctx.db, actor, id);
}

// ---- sites and lanes -------------------------------------------------------------------

export interface NewSite {
  placeId: number;
  name: string;
  lanes: number;
  opensAt?: string; // HH:MM
  closesAt?: string;
  doorToDoor?: boolean;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export async function createSite(ctx: AppContext, actor: Actor, campaignId: number, input: NewSite) {
  requirePermission(actor, 'testing.manage');
  for (const f of ['opensAt', 'closesAt'] as const) {
    if (input[f] !== undefined && !HHMM.test(input[f])) throw fieldInvalid(f, { 'zh-CN': '应为 HH:MM', 'en-US': 'must be HH:MM' });
  }
  if ((input.opensAt ?? '07:00') >= (input.closesAt ?? '22:00')) {
    throw fieldInvalid('closesAt', { 'zh-CN': '关闭时间须晚于开放时间', 'en-US': 'must be after the opening time' });
  }
  return ctx.db.tx(async (q) => {
    const c = await campaignInScope(q, actor, campaignId, 'write');
    const place = await placeInScope(q, actor, input.placeId);
    if (!place.path.startsWith(c.place_path))
      throw new AppError('CAMPAIGN_PLACE_OUTSIDE', { field: 'placeId', params: { name: place.name } });
    const taken = await q.query('SELECT 1 FROM sites WHERE campaign_id = $1 AND name = $2', [c.id, input.name.trim()]);
    if (taken.rows.length) throw new AppError('SITE_NAME_TAKEN', { field: 'name', params: { name: input.name.trim() } });
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO sites (campaign_id, place_id, place_path, name, opens_at, closes_at, door_to_door)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [c.id, place.id, place.path, input.name.trim(), input.opensAt ?? '07:00', input.closesAt ?? '22:00', input.doorToDoor ?? false],
    );
    const siteId = rows[0].id;
    await q.query(`INSERT INTO lanes (site_id, number) SELECT $1, n FROM generate_series(1, $2::int) n`, [siteId, input.lanes]);
    await audit(q, actor, {
      action: 'site.create',
      entity: 'site',
      entityId: siteId,
      placePath: place.path,
      detail: { name: input.name, lanes: input.lanes },
    });
    return (await listSitesIn(q, actor, c.id)).find((s) => s.id === siteId)!;
  });
}

/** Adds lanes up to `lanes` (lanes are never removed: samples point at them). */
export async function updateSite(
  ctx: AppContext,
  actor: Actor,
  siteId: number,
  patch: { lanes?: number; opensAt?: string; closesAt?: string; name?: string },
) {
  requirePermission(actor, 'testing.manage');
  return ctx.db.tx(async (q) => {
    const site = await siteInScope(q, actor, siteId, 'write');
    for (const f of ['opensAt', 'closesAt'] as const) {
      if (patch[f] !== undefined && !HHMM.test(patch[f])) throw fieldInvalid(f, { 'zh-CN': '应为 HH:MM', 'en-US': 'must be HH:MM' });
    }
    const name = patch.name?.trim();
    if (name !== undefined) {
      // The unique (campaign, name) constraint would refuse it too, as a 500: say which name is taken.
      const taken = await q.query('SELECT 1 FROM sites WHERE campaign_id = $1 AND name = $2 AND id <> $3', [site.campaign_id, name, site.id]);
      if (taken.rows.length) throw new AppError('SITE_NAME_TAKEN', { field: 'name', params: { name } });
    }
    await q.query(
      `UPDATE sites SET name = coalesce($2, name), opens_at = coalesce($3::time, opens_at), closes_at = coalesce($4::time, closes_at) WHERE id = $1`,
      [site.id, name ?? null, patch.opensAt ?? null, patch.closesAt ?? null],
    );
    if (patch.lanes) {
      await q.query(
        `INSERT INTO lanes (site_id, number) SELECT $1, n FROM generate_series(1, $2::int) n ON CONFLICT (site_id, number) DO NOTHING`,
        [site.id, patch.lanes],
      );
    }
    await audit(q, actor, { action: 'site.update', entity: 'site', entityId: site.id, placePath: site.place_path, detail: patch });
    invalidateLaneCache(ctx);
    return (await listSitesIn(q, actor, site.campaign_id)).find((s) => s.id === site.id)!;
  });
}

interface SiteRow {
  id: number;
  campaign_id: number;
  place_id: number;
  place_path: string;
  name: string;
}

/** A site of a live campaign, under the site rule for this access (SCOPE_RULES.site); changing a site changes its
 * campaign, so a write also needs the campaign's write rule. Else SITE_NOT_FOUND. */
export async function siteInScope(q: Queryable, actor: Actor, id: number, access: Access, field = 'siteId'): Promise<SiteRow> {
  const { rows } = await q.query<SiteRow>(
    sql`SELECT s.id, s.campaign_id, s.place_id, s.place_path, s.name
          FROM sites s JOIN campaigns c ON c.id = s.campaign_id
         WHERE s.id = ${id} AND c.archived_at IS NULL AND ${reach(actor.scope, 'site', access, 's.place_path')}
           ${access === 'write' ? sql`AND ${reach(actor.scope, 'campaign', 'write', 'c.place_path')}` : empty}`,
  );
  if (!rows[0]) throw new AppError('SITE_NOT_FOUND', { field, params: { id } });
  return rows[0];
}

async function listSitesIn(q: Queryable, actor: Actor, campaignId: number) {
  const { rows } = await q.query<{
    id: number;
    place_id: number;
    place_path: string;
    place_name: string;
    name: string;
    opens_at: string;
    closes_at: string;
    door_to_door: boolean;
    mode: Mode | null;
    lanes: { id: number; number: number }[];
  }>(
    sql`SELECT s.id, s.place_id, s.place_path, p.name AS place_name, s.name, to_char(s.opens_at, 'HH24:MI') AS opens_at,
            to_char(s.closes_at, 'HH24:MI') AS closes_at, s.door_to_door,
            (SELECT cp.mode FROM campaign_places cp WHERE cp.campaign_id = s.campaign_id AND s.place_path LIKE cp.place_path || '%'
             ORDER BY length(cp.place_path) DESC LIMIT 1) AS mode,
            coalesce((SELECT json_agg(json_build_object('id', l.id, 'number', l.number) ORDER BY l.number) FROM lanes l WHERE l.site_id = s.id), '[]') AS lanes
     FROM sites s JOIN places p ON p.id = s.place_id
     WHERE s.campaign_id = ${campaignId} AND ${reach(actor.scope, 'site', 'read', 's.place_path')} ORDER BY s.name`,
  );
  return rows.map((s) => ({
      id: s.id,
      placeId: s.place_id,
      placeName: s.place_name,
      name: s.name,
      opensAt: s.opens_at,
      closesAt: s.closes_at,
      doorToDoor: s.door_to_door,
      /** the default tube at this site: the mode of the deepest covered place above it */
      mode: s.mode ?? ('single' as Mode),
      lanes: s.lanes,
    }));
}

// ---- what a scan needs to know about its lane, cached ------------------------------------

export interface LaneContext {
  laneId: number;
  laneNumber: number;
  siteId: number;
  siteName: string;
  sitePath: string;
  campaignId: number;
  campaignName: string;
  /** The sampling mode of the site's place (deepest covering place), the default tube. */
  mode: Mode;
  rounds: { id: number; number: number; startsAt: number; endsAt: number; closed: boolean }[];
}

// Lanes, rounds and modes change a few times a day; a scan happens every few seconds per
// lane. A short-lived cache keeps the scan to one database round trip.
const LANE_TTL_MS = 30_000;
// Keyed by database so that tests running several apps in one process never mix them; in
// several server processes a change shows everywhere within the TTL.
const laneCaches = new WeakMap<object, Map<number, { at: number; value: LaneContext | null }>>();

export function invalidateLaneCache(ctx: AppContext) {
  laneCaches.get(ctx.db)?.clear();
}

/** `q`: the transaction when called inside one (PGlite has a single connection: a query on ctx.db there would wait forever). */
export async function laneContext(ctx: AppContext, laneId: number, q: Queryable = ctx.db): Promise<LaneContext | null> {
  let laneCache = laneCaches.get(ctx.db);
  if (!laneCache) laneCaches.set(ctx.db, (laneCache = new Map()));
  const hit = laneCache.get(laneId);
  if (hit && Date.now() - hit.at < LANE_TTL_MS) return hit.value;
  const { rows } = await q.query<{
    lane_id: number;
    number: number;
    site_id: number;
    site_name: string;
    site_path: string;
    campaign_id: number;
    campaign_name: string;
    mode: Mode | null;
    rounds: { id: number; number: number; starts_at: string; ends_at: string; closed_at: string | null }[];
  }>(
    `SELECT l.id AS lane_id, l.number, s.id AS site_id, s.name AS site_name, s.place_path AS site_path, c.id AS campaign_id, c.name AS campaign_name,
            (SELECT cp.mode FROM campaign_places cp WHERE cp.campaign_id = c.id AND s.place_path LIKE cp.place_path || '%'
             ORDER BY length(cp.place_path) DESC LIMIT 1) AS mode,
            (SELECT json_agg(json_build_object('id', r.id, 'number', r.number, 'starts_at', r.starts_at, 'ends_at', r.ends_at, 'closed_at', r.closed_at) ORDER BY r.number)
             FROM rounds r WHERE r.campaign_id = c.id) AS rounds
     FROM lanes l JOIN sites s ON s.id = l.site_id JOIN campaigns c ON c.id = s.campaign_id
     WHERE l.id = $1 AND c.archived_at IS NULL`,
    [laneId],
  );
  const r = rows[0];
  const value: LaneContext | null = r
    ? {
        laneId: r.lane_id,
        laneNumber: r.number,
        siteId: r.site_id,
        siteName: r.site_name,
        sitePath: r.site_path,
        campaignId: r.campaign_id,
        campaignName: r.campaign_name,
        mode: r.mode ?? 'single',
        rounds: (r.rounds ?? []).map((x) => ({
          id: x.id,
          number: x.number,
          startsAt: Date.parse(x.starts_at),
          endsAt: Date.parse(x.ends_at),
          closed: x.closed_at !== null,
        })),
      }
    : null;
  laneCache.set(laneId, { at: Date.now(), value });
  return value;
}

/** The round a scan at `at` belongs to: the open round whose window holds it. */
export function roundAt(lane: LaneContext, at: number) {
  return lane.rounds.find((r) => !r.closed && r.startsAt <= at && at < r.endsAt) ?? null;
}
