// Coverage and 清楼 (clearing the buildings): for a round and any place, who was expected,
// who has been sampled, who is exempt and who is still missing — rolled up to the place's
// children or to every building, and the names of the missing for door-knocking teams.
// Expected = living residents in the campaign's covered places. Exempt = an exemption for
// this round, or younger than the campaign's age limit at the round's start.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { maskPhone, narrowMask } from '../../platform/ids.js';
import { sql } from '../../db/sql.js';
import { pathIds, reach, requirePermission, seesIdFacts, within } from '../../platform/scope.js';
import { addressPlacesSql, ageOn, placeNames } from '../registry/index.js';
import { baseKeyFor, campaignBase, type BaseKey } from './coverage-base.js';

export const EXEMPTION_REASONS = ['away', 'hospitalised', 'infant', 'bedridden', 'quarantined', 'other'] as const;
export type ExemptionReason = (typeof EXEMPTION_REASONS)[number];

interface RoundScope {
  roundId: number;
  campaignId: number;
  number: number;
  /** birth dates after this are under the age limit (exempt) */
  cutoff: string;
  /** the place asked about */
  place: { id: number; name: string; kind: string; path: string };
  /** LIKE patterns: the covered places within that place */
  patterns: string[];
  /** which registry counts of the campaign to read (coverage-base.ts) */
  base: BaseKey;
}

export async function roundScope(q: Queryable, actor: Actor, roundId: number, placeId?: number): Promise<RoundScope> {
  requirePermission(actor, 'testing.read');
  // The round and the place asked about in one statement: the missing list is read by every
  // door-knocking phone, and a profile showed half its time in writing queries to the socket.
  // The default place is the campaign's own, or my area when it lies inside the campaign.
  const { rows } = await q.query<{ id: number; number: number; campaign_id: number; place_path: string; cutoff: string; asked: number; place: RoundScope['place'] | null }>(
    sql`SELECT rd.id, rd.number, c.id AS campaign_id, c.place_path,
            to_char((rd.starts_at AT TIME ZONE 'Asia/Shanghai') - make_interval(months => c.exempt_under_months), 'YYYY-MM-DD') AS cutoff,
            a.asked,
            (SELECT json_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'path', p.path) FROM places p
             WHERE p.id = a.asked AND p.archived_at IS NULL AND ${within(actor.scope, 'p.path')}) AS place
     FROM rounds rd JOIN campaigns c ON c.id = rd.campaign_id
     CROSS JOIN LATERAL (SELECT COALESCE(${placeId ?? null}::int, CASE WHEN ${actor.placeId ?? null}::int IS NOT NULL AND starts_with(${actor.scope.path}::text, c.place_path)
                                                   THEN ${actor.placeId ?? null}::int ELSE c.place_id END) AS asked) a
     WHERE rd.id = ${roundId} AND c.archived_at IS NULL AND ${reach(actor.scope, 'campaign', 'read', 'c.place_path')}`,
  );
  const r = rows[0];
  if (!r) throw new AppError('ROUND_NOT_FOUND', { field: 'roundId', params: { id: roundId } });
  const place = r.place;
  if (!place) throw new AppError('PLACE_NOT_FOUND', { field: 'placeId', params: { id: r.asked } });
  const base = await baseKeyFor(q, r.campaign_id);
  const patterns = new Set<string>();
  for (const cp of base.patterns.map((p) => p.slice(0, -1))) {
    if (cp.startsWith(place.path)) patterns.add(`${cp}%`);
    else if (place.path.startsWith(cp)) patterns.add(`${place.path}%`);
  }
  return {
    roundId: r.id,
    campaignId: r.campaign_id,
    number: r.number,
    cutoff: r.cutoff,
    place,
    patterns: [...patterns],
    base,
  };
}

export interface CoverageRow {
  placeId: number;
  name: string;
  kind: string;
  /** the names above it, below the place asked about (for building lists) */
  within: string;
  /** the compound it is in (null above compounds): building names repeat across compounds */
  compound: string | null;
  expected: number;
  sampled: number;
  exempt: number;
  missing: number;
}

function likeAny(column: string, patterns: string[], first: number): string {
  return `(${patterns.map((_, i) => `${column} LIKE $${first + i}`).join(' OR ')})`;
}

/** The registry side for the place asked about: the campaign's counts (coverage-base.ts) under its patterns. */
async function registryBase(ctx: AppContext, s: RoundScope): Promise<Map<string, { total: number; underAgeIds: number[] }>> {
  const all = await campaignBase(ctx, s.base);
  const prefixes = s.patterns.map((p) => p.slice(0, -1)); // 'path%' → 'path'
  const out = new Map<string, { total: number; underAgeIds: number[] }>();
  for (const [path, b] of all) {
    if (!prefixes.some((p) => path.startsWith(p))) continue;
    out.set(path, { total: b.total, underAgeIds: b.young.filter(([, born]) => born > s.cutoff).map(([id]) => id) });
  }
  return out;
}

/**
 * Coverage of a place for a round, rolled up to its children (default) or to every building
 * under it: registry counts per unit path (cached), the round's samples per path (live, one
 * index range on samples), exemptions (live, small).
 */
export async function coverage(ctx: AppContext, actor: Actor, roundId: number, opts: { placeId?: number; by?: 'children' | 'building' } = {}) {
  const s = await roundScope(ctx.db, actor, roundId, opts.placeId);
  const totals = { expected: 0, sampled: 0, exempt: 0, missing: 0 };
  const empty = { round: { id: s.roundId, number: s.number, campaignId: s.campaignId }, place: s.place, totals, rows: [] as CoverageRow[], sampledOutside: 0 };
  if (!s.patterns.length) return empty;
  const [base, explicit] = await Promise.all([
    registryBase(ctx, s),
    ctx.db.query<{ resident_id: number; place_path: string }>(
      `SELECT e.resident_id, r.place_path FROM exemptions e JOIN residents r ON r.id = e.resident_id
       WHERE e.round_id = $1 AND r.archived_at IS NULL AND ${likeAny('r.place_path', s.patterns, 2)}`,
      [s.roundId, ...s.patterns],
    ),
  ]);
  // Everyone exempt, by path: under the age limit, or exempted for this round.
  const exemptIds = new Map<string, Set<number>>();
  for (const [path, b] of base) if (b.underAgeIds.length) exemptIds.set(path, new Set(b.underAgeIds));
  for (const e of explicit.rows) {
    if (!exemptIds.has(e.place_path)) exemptIds.set(e.place_path, new Set());
    exemptIds.get(e.place_path)!.add(e.resident_id);
  }
  const allExempt = [...exemptIds.values()].flatMap((set) => [...set]);
  const [sampledRows, outside] = await Promise.all([
    // A resident's first sample in the round is the one not flagged repeat_in_round.
    ctx.db.query<{ place_path: string; sampled: number; sampled_exempt: number }>(
      `SELECT place_path, count(*) AS sampled, count(*) FILTER (WHERE resident_id = ANY($2::int[])) AS sampled_exempt
       FROM samples WHERE round_id = $1 AND NOT repeat_in_round AND ${likeAny('place_path', s.patterns, 3)}
       GROUP BY place_path`,
      [s.roundId, allExempt, ...s.patterns],
    ),
    // visitors: sampled here, living elsewhere (not counted against this place's coverage)
    ctx.db.query<{ n: number }>(
      `SELECT count(DISTINCT x.resident_id) AS n FROM samples x JOIN sites si ON si.id = x.site_id
       WHERE x.round_id = $1 AND x.outside_campaign AND si.place_path LIKE $2 || '%'`,
      [s.roundId, s.place.path],
    ),
  ]);
  const sampledByPath = new Map(sampledRows.rows.map((r) => [r.place_path, r]));
  const grouped = [...base].map(([place_path, b]) => {
    const sm = sampledByPath.get(place_path);
    const sampled = Math.min(b.total, sm?.sampled ?? 0);
    const exempt = Math.max(0, (exemptIds.get(place_path)?.size ?? 0) - (sm?.sampled_exempt ?? 0));
    return { place_path, total: b.total, sampled, exempt: Math.min(exempt, b.total - sampled) };
  });
  const by = opts.by ?? 'children';
  // Which place each resident path rolls up to.
  const targets = await rollupTargets(ctx.db, s.place, by);
  const rows = new Map<number, CoverageRow>();
  for (const g of grouped) {
    const target = pathIds(g.place_path).find((id) => targets.has(id));
    const exempt = g.exempt;
    const missing = g.total - g.sampled - exempt;
    totals.expected += g.total;
    totals.sampled += g.sampled;
    totals.exempt += exempt;
    totals.missing += missing;
    if (target === undefined) continue;
    let row = rows.get(target);
    if (!row) {
      const t = targets.get(target)!;
      rows.set(target, (row = { placeId: target, name: t.name, kind: t.kind, within: '', compound: null, expected: 0, sampled: 0, exempt: 0, missing: 0 }));
    }
    row.expected += g.total;
    row.sampled += g.sampled;
    row.exempt += exempt;
    row.missing += missing;
  }
  if (rows.size) {
    const names = await placeNames(ctx.db, [...targets.values()].filter((t) => rows.has(t.id)).map((t) => t.path));
    for (const row of rows.values()) {
      const ids = pathIds(targets.get(row.placeId)!.path);
      const compound = ids.slice(0, -1).find((id) => names.get(id)?.kind === 'compound');
      row.compound = compound === undefined ? null : (names.get(compound)?.name ?? null);
      if (by !== 'building') continue;
      row.within = ids
        .slice(ids.indexOf(s.place.id) + 1, -1)
        .map((id) => names.get(id)?.name)
        .filter(Boolean)
        .join(' ');
    }
  }
  return {
    ...empty,
    totals,
    sampledOutside: outside.rows[0]?.n ?? 0,
    rows: [...rows.values()].sort((a, b) => b.missing - a.missing || a.name.localeCompare(b.name, 'zh-CN')),
  };
}

async function rollupTargets(q: Queryable, place: { id: number; path: string }, by: 'children' | 'building') {
  const { rows } =
    by === 'children'
      ? await q.query<{ id: number; name: string; kind: string; path: string }>(`SELECT id, name, kind, path FROM places WHERE parent_id = $1 AND archived_at IS NULL`, [place.id])
      : await q.query<{ id: number; name: string; kind: string; path: string }>(
          `SELECT id, name, kind, path FROM places WHERE path LIKE $1 || '%' AND kind = 'building' AND archived_at IS NULL`,
          [place.path],
        );
  return new Map(rows.map((r) => [r.id, r]));
}

// ---- who is missing ------------------------------------------------------------------------

function encodeMissingCursor(path: string, id: number) {
  return Buffer.from(`${path}|${id}`).toString('base64url');
}

function decodeMissingCursor(cursor: string | undefined): { path: string; id: number } | null {
  if (!cursor) return null;
  const m = /^(\/(?:\d+\/)+)\|(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw fieldInvalid('cursor', { 'zh-CN': '分页游标无效', 'en-US': 'not a cursor from this list' });
  return { path: m[1], id: Number(m[2]) };
}

interface MissingRow {
  id: number;
  name: string;
  id_masked: string;
  phone: string | null;
  place_path: string;
  room: string | null;
  elderly_alone: boolean;
  mobility_impaired: boolean;
  birth_date: string | null;
  /** compound, building and unit names (addressOf's, named by the query itself: no second round trip) */
  address_places: string | null;
}

async function missingPage(q: Queryable, s: RoundScope, after: { path: string; id: number } | null, limit: number) {
  // Ordered by address (unit path, then id) so a door-knocking team walks it floor by floor;
  // residents.place_path is COLLATE "C" with an index on (place_path, id), so with one covered
  // prefix this is an ordered index walk that stops after a page of missing people.
  const patterns = s.patterns.map((_, i) => `r.place_path LIKE $${i + 6}`).join(' OR ');
  const { rows } = await q.query<MissingRow>(
    `SELECT r.id, r.name, r.id_masked, r.phone, r.place_path, h.room, r.elderly_alone, r.mobility_impaired, r.birth_date,
            ${addressPlacesSql('r.place_path')} AS address_places
     FROM residents r LEFT JOIN households h ON h.id = r.household_id
     WHERE r.archived_at IS NULL AND (${patterns})
       AND (r.birth_date IS NULL OR r.birth_date <= $2::date)
       AND NOT EXISTS (SELECT 1 FROM samples x WHERE x.round_id = $1 AND x.resident_id = r.id)
       AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.round_id = $1 AND e.resident_id = r.id)
       AND ($3::text IS NULL OR (r.place_path, r.id) > ($3::text, $4::int))
     ORDER BY r.place_path, r.id
     LIMIT $5`,
    [s.roundId, s.cutoff, after?.path ?? null, after?.id ?? 0, limit + 1, ...s.patterns],
  );
  return rows;
}

export async function missing(ctx: AppContext, actor: Actor, roundId: number, f: { placeId?: number; cursor?: string; limit: number }) {
  requirePermission(actor, 'registry.read'); // names, phones and addresses: not for a lab or a volunteer
  const s = await roundScope(ctx.db, actor, roundId, f.placeId);
  if (!s.patterns.length) return { items: [], nextCursor: null };
  const rows = await missingPage(ctx.db, s, decodeMissingCursor(f.cursor), f.limit);
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => presentMissing(r, seesIdFacts(actor))),
    nextCursor: rows.length > f.limit ? encodeMissingCursor(page.at(-1)!.place_path, page.at(-1)!.id) : null,
  };
}

function presentMissing(r: MissingRow, idFacts: boolean) {
  return {
    id: r.id,
    name: r.name,
    idMasked: idFacts ? r.id_masked : narrowMask(r.id_masked),
    phone: maskPhone(r.phone),
    address: [r.address_places, r.room].filter(Boolean).join(' '),
    elderlyAlone: r.elderly_alone,
    mobilityImpaired: r.mobility_impaired,
    birthDate: idFacts ? r.birth_date : null, // an age only: with the date, the mask gives back the number
    age: ageOn(r.birth_date),
  };
}

/** The missing list as XLSX for printing and door-knocking teams (audit-logged). */
export async function exportMissing(ctx: AppContext, actor: Actor, roundId: number, placeId?: number) {
  requirePermission(actor, 'registry.read');
  const s = await roundScope(ctx.db, actor, roundId, placeId);
  const idFacts = seesIdFacts(actor);
  // Audited before the first byte (a download cut off half-way has handed out half the list); the row after the last byte adds the count.
  await audit(ctx.db, actor, { action: 'coverage.export_missing', entity: 'round', entityId: roundId, placePath: s.place.path, detail: { placeId: placeId ?? null } });
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const sheet = book.addWorksheet('未采样名单');
  sheet.columns = [
    { header: '地址 Address', width: 30 },
    { header: '姓名 Name', width: 12 },
    { header: '证件号 ID (masked)', width: 22 },
    { header: '手机 Phone', width: 14 },
    { header: '独居老人 Elderly alone', width: 10 },
    { header: '行动不便 Mobility impaired', width: 10 },
    { header: '已敲门 Knocked', width: 10 },
  ];
  const write = async () => {
    let after: { path: string; id: number } | null = null;
    let count = 0;
    if (!s.patterns.length) {
      await book.commit();
      return 0;
    }
    for (;;) {
      const rows = await missingPage(ctx.db, s, after, 2000);
      const page = rows.slice(0, 2000);
      for (const r of page) {
        const m = presentMissing(r, idFacts);
        sheet.addRow([m.address, m.name, m.idMasked, m.phone ?? '', m.elderlyAlone ? '是' : '', m.mobilityImpaired ? '是' : '', '']).commit();
      }
      count += page.length;
      if (rows.length <= 2000) break;
      after = { path: page.at(-1)!.place_path, id: page.at(-1)!.id };
    }
    sheet.commit();
    await book.commit();
    return count;
  };
  const done = write().then(async (count) => {
    await audit(ctx.db, actor, { action: 'coverage.export_missing_finished', entity: 'round', entityId: roundId, placePath: s.place.path, detail: { count } });
    return count;
  });
  done.catch((err) => out.destroy(err));
  return { stream: out, done, placeName: s.place.name, roundNumber: s.number };
}

// ---- exemptions --------------------------------------------------------------------------

export async function exempt(ctx: AppContext, actor: Actor, roundId: number, input: { residentId: number; reason: ExemptionReason; note?: string | null }) {
  requirePermission(actor, 'testing.manage');
  return ctx.db.tx(async (q) => {
    await roundScope(q, actor, roundId);
    const r = await q.query<{ place_path: string }>(
      sql`SELECT place_path FROM residents WHERE id = ${input.residentId} AND archived_at IS NULL AND ${within(actor.scope, 'place_path')}`,
    );
    if (!r.rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId', params: { id: input.residentId } });
    await q.query(
      `INSERT INTO exemptions (round_id, resident_id, reason, note, by_user) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (round_id, resident_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note, by_user = EXCLUDED.by_user, at = now()`,
      [roundId, input.residentId, input.reason, input.note ?? null, actor.id],
    );
    await audit(q, actor, { action: 'coverage.exempt', entity: 'resident', entityId: input.residentId, placePath: r.rows[0].place_path, detail: { roundId, reason: input.reason } });
    return { roundId, residentId: input.residentId, reason: input.reason, note: input.note ?? null };
  });
}

export async function unexempt(ctx: AppContext, actor: Actor, roundId: number, residentId: number) {
  requirePermission(actor, 'testing.manage');
  return ctx.db.tx(async (q) => {
    await roundScope(q, actor, roundId);
    const { rowCount } = await q.query(
      sql`DELETE FROM exemptions e USING residents r
           WHERE e.round_id = ${roundId} AND e.resident_id = ${residentId} AND r.id = e.resident_id AND ${within(actor.scope, 'r.place_path')}`,
    );
    if (rowCount) await audit(q, actor, { action: 'coverage.unexempt', entity: 'resident', entityId: residentId, detail: { roundId } });
    return { removed: rowCount > 0 };
  });
}
