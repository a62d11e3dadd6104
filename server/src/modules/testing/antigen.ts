// Antigen kits (抗原): kits handed to households (who, how many, when), results reported by
// grid workers or by residents themselves (with their personal code), and a positive is an
// alert to the community until someone acknowledges it. Device writes are idempotent by key:
// a retry answers the first request's answer, another body under the same key is a 409
// (platform/idempotency.ts).
import type { Queryable } from '../../db/client.js';
import { audit, type AuditActor } from '../../platform/audit.js';
import { readResidentCode } from '../../platform/codes.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { idempotentRequest, once } from '../../platform/idempotency.js';
import { maskPhone, narrowMask } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/paging.js';
import { sql } from '../../db/sql.js';
import { placeInScope, requirePermission, seesIdFacts, within, withinPlace } from '../../platform/scope.js';
import { addressOf, placeNames } from '../registry/index.js';
import { gridWorkersFor, type Result } from './results.js';
import { publishTesting } from './events.js';

const CLOCK_SKEW_MS = 5 * 60_000;

export async function distributeKits(ctx: AppContext, actor: Actor, input: { key: string; householdId: number; kits: number }) {
  requirePermission(actor, 'antigen.distribute');
  const req = idempotentRequest(ctx.vault, actor, 'antigen.distribute', input);
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const h = await q.query<{ id: number; place_path: string }>(
        sql`SELECT id, place_path FROM households WHERE id = ${input.householdId} AND ${within(actor.scope, 'place_path')}`,
      );
      if (!h.rows[0]) throw new AppError('HOUSEHOLD_NOT_FOUND', { field: 'householdId', params: { id: input.householdId } });
      await q.query(`INSERT INTO antigen_distributions (household_id, place_path, kits, by_user, idempotency_key) VALUES ($1, $2, $3, $4, $5)`, [
        input.householdId,
        h.rows[0].place_path,
        input.kits,
        actor.id,
        input.key,
      ]);
      await audit(q, actor, { action: 'antigen.distribute', entity: 'household', entityId: input.householdId, placePath: h.rows[0].place_path, detail: { kits: input.kits } });
      const total = await q.query<{ n: number }>('SELECT coalesce(sum(kits), 0) AS n FROM antigen_distributions WHERE household_id = $1', [input.householdId]);
      return { householdId: input.householdId, kits: input.kits, householdTotal: total.rows[0].n };
    }),
  );
  return { ...value, replay };
}

interface ReportInput {
  key: string;
  result: Result;
  testedAt?: string;
}

async function insertReport(q: Queryable, residentId: number, placePath: string, byUser: number | null, input: ReportInput) {
  const tested = input.testedAt ? new Date(input.testedAt) : new Date();
  if (tested.getTime() > Date.now() + CLOCK_SKEW_MS) throw fieldInvalid('testedAt', { 'zh-CN': '检测时间晚于现在', 'en-US': 'is in the future' });
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO antigen_reports (resident_id, place_path, result, tested_at, by_user, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [residentId, placePath, input.result, tested, byUser, input.key],
  );
  return rows[0].id;
}

/** A grid worker (or officer) reports a resident's antigen result. */
export async function reportAntigen(ctx: AppContext, actor: Actor, input: ReportInput & { residentId: number }) {
  requirePermission(actor, 'antigen.report');
  const req = idempotentRequest(ctx.vault, actor, 'antigen.report', input);
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const r = await q.query<{ place_path: string }>(
        sql`SELECT place_path FROM residents WHERE id = ${input.residentId} AND archived_at IS NULL AND ${within(actor.scope, 'place_path')}`,
      );
      if (!r.rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId', params: { id: input.residentId } });
      const id = await insertReport(q, input.residentId, r.rows[0].place_path, actor.id, input);
      await audit(q, actor, { action: 'antigen.report', entity: 'resident', entityId: input.residentId, placePath: r.rows[0].place_path, detail: { result: input.result } });
      return { reportId: id, alert: input.result === 'positive' };
    }),
  );
  if (!replay && value.alert) publishTesting(ctx, { kind: 'results' });
  return { reportId: value.reportId, replay, alert: value.alert };
}

/** A resident reports their own result with the personal code on their card (no account). */
export async function selfReportAntigen(ctx: AppContext, input: ReportInput & { code: string }) {
  const read = readResidentCode(ctx.vault, input.code);
  if (read === null) throw new AppError('CODE_INVALID', { field: 'code' });
  const residentId = read.residentId;
  // the key belongs to the resident whose code signed the report (there is no account)
  const req = idempotentRequest(ctx.vault, { resident: residentId }, 'antigen.self_report', input);
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const r = await q.query<{ place_path: string; name: string; code_version: number }>(
        `SELECT r.place_path, r.name, coalesce(h.code_version, 0) AS code_version
           FROM residents r LEFT JOIN households h ON h.id = r.household_id WHERE r.id = $1 AND r.archived_at IS NULL`,
        [residentId],
      );
      if (!r.rows[0]) throw new AppError('CODE_INVALID', { field: 'code' });
      if (read.version < r.rows[0].code_version) throw new AppError('CODE_REVOKED', { field: 'code' });
      await insertReport(q, residentId, r.rows[0].place_path, null, input);
      await audit(q, null, { action: 'antigen.self_report', entity: 'resident', entityId: residentId, placePath: r.rows[0].place_path, detail: { result: input.result } });
      // Only the first character of the name: enough for "is this me?", nothing for a stranger.
      return { received: true as const, name: `${r.rows[0].name.slice(0, 1)}*` };
    }),
  );
  if (!replay && input.result === 'positive') publishTesting(ctx, { kind: 'results' });
  return { received: value.received, replay, name: value.name };
}

/**
 * A signed-in resident (the portal) reports a result for themselves or for the household member
 * they act for: the self-report's path, the key owned by the signed-in resident. `by` is who
 * pressed the button; the audit row carries both ids. The caller has proven both are residents of
 * one household.
 */
export async function residentReportAntigen(ctx: AppContext, by: { residentId: number; forId: number; audit: AuditActor }, input: ReportInput) {
  const body: ReportInput & { forId: number } = { ...input, forId: by.forId };
  const req = idempotentRequest(ctx.vault, { resident: by.residentId }, 'antigen.portal_report', body);
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const r = await q.query<{ place_path: string }>('SELECT place_path FROM residents WHERE id = $1 AND archived_at IS NULL', [by.forId]);
      if (!r.rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { params: { id: by.forId } });
      const reportId = await insertReport(q, by.forId, r.rows[0].place_path, null, input);
      await audit(q, by.audit, {
        action: 'antigen.self_report',
        entity: 'resident',
        entityId: by.forId,
        placePath: r.rows[0].place_path,
        detail: { result: input.result, residentId: by.residentId, actingFor: by.forId === by.residentId ? null : by.forId, via: 'portal' },
      });
      return { reportId, received: true as const };
    }),
  );
  if (!replay && input.result === 'positive') publishTesting(ctx, { kind: 'results' });
  return { ...value, replay };
}

/** A resident's own antigen reports, newest first (the portal: the caller has proven who is asking). */
export async function antigenReportsOf(ctx: AppContext, residentId: number) {
  const { rows } = await ctx.db.query<{ id: number; result: Result; tested_at: Date; at: Date; by_user: number | null }>(
    'SELECT id, result, tested_at, at, by_user FROM antigen_reports WHERE resident_id = $1 ORDER BY tested_at DESC, id DESC LIMIT 100',
    [residentId],
  );
  return { items: rows.map((r) => ({ id: r.id, result: r.result, testedAt: r.tested_at.toISOString(), reportedAt: r.at.toISOString(), byStaff: r.by_user !== null })) };
}

/** Positive antigen reports in my area, open (unacknowledged) first. */
export async function antigenAlerts(ctx: AppContext, actor: Actor, f: { open?: boolean; cursor?: string; limit: number }) {
  requirePermission(actor, 'testing.read');
  requirePermission(actor, 'registry.read'); // names, phones and addresses
  const after = decodeCursor(f.cursor) ?? Number.MAX_SAFE_INTEGER;
  const { rows } = await ctx.db.query<{
    id: number;
    resident_id: number;
    name: string;
    id_masked: string;
    phone: string | null;
    place_path: string;
    room: string | null;
    tested_at: Date;
    at: Date;
    by_name: string | null;
    acknowledged_at: Date | null;
    ack_name: string | null;
  }>(
    sql`SELECT a.id, a.resident_id, r.name, r.id_masked, r.phone, a.place_path, h.room, a.tested_at, a.at, u.display_name AS by_name,
            a.acknowledged_at, k.display_name AS ack_name
     FROM antigen_reports a JOIN residents r ON r.id = a.resident_id LEFT JOIN households h ON h.id = r.household_id
     LEFT JOIN users u ON u.id = a.by_user LEFT JOIN users k ON k.id = a.acknowledged_by
     WHERE a.result = 'positive' AND ${within(actor.scope, 'a.place_path')} AND r.archived_at IS NULL AND a.id < ${after}
       AND (${f.open ?? null}::boolean IS NULL OR (a.acknowledged_at IS NULL) = ${f.open ?? null})
     ORDER BY a.id DESC LIMIT ${f.limit + 1}`,
  );
  const page = rows.slice(0, f.limit);
  const names = await placeNames(ctx.db, page.map((r) => r.place_path));
  const workers = await gridWorkersFor(ctx.db, page.map((r) => r.place_path));
  return {
    items: page.map((r) => ({
      id: r.id,
      resident: { id: r.resident_id, name: r.name, idMasked: seesIdFacts(actor) ? r.id_masked : narrowMask(r.id_masked), phone: maskPhone(r.phone) },
      address: addressOf(r.place_path, r.room, names),
      testedAt: r.tested_at.toISOString(),
      reportedAt: r.at.toISOString(),
      reportedBy: r.by_name, // null: the resident reported it
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      acknowledgedBy: r.ack_name,
      gridWorkers: workers(r.place_path),
    })),
    nextCursor: rows.length > f.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

export async function acknowledgeAlert(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'antigen.report');
  return ctx.db.tx(async (q) => {
    const { rows } = await q.query<{ place_path: string }>(
      sql`UPDATE antigen_reports SET acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, ${actor.id})
           WHERE id = ${id} AND result = 'positive' AND ${within(actor.scope, 'place_path')} RETURNING place_path`,
    );
    if (!rows[0]) throw new AppError('NOT_FOUND', { field: 'id' });
    await audit(q, actor, { action: 'antigen.acknowledge', entity: 'antigen_report', entityId: id, placePath: rows[0].place_path });
    return { id, acknowledged: true };
  });
}

/** Kits and reports under a place: households reached, kits out, results in, open alerts;
 * with `by: 'children'` the same per child place too (which grid is behind). */
export async function antigenSummary(ctx: AppContext, actor: Actor, placeId?: number, by?: 'children') {
  requirePermission(actor, 'testing.read');
  const place = placeId ? await placeInScope(ctx.db, actor, placeId) : null;
  const path = place?.path ?? actor.scope.path;
  // Under the place asked about, itself proven in my area (or my whole area).
  const under = (column: string) => withinPlace(actor.scope, place, column);
  const [kits, reports] = await Promise.all([
    ctx.db.query<{ households: number; reached: number; kits: number }>(
      sql`SELECT (SELECT count(*) FROM households WHERE ${under('place_path')}) AS households,
              count(DISTINCT household_id) AS reached, coalesce(sum(kits), 0) AS kits
       FROM antigen_distributions WHERE ${under('place_path')}`,
    ),
    ctx.db.query<{ negative: number; positive: number; invalid: number; open_alerts: number }>(
      sql`SELECT count(*) FILTER (WHERE result = 'negative') AS negative, count(*) FILTER (WHERE result = 'positive') AS positive,
              count(*) FILTER (WHERE result = 'invalid') AS invalid,
              count(*) FILTER (WHERE result = 'positive' AND acknowledged_at IS NULL) AS open_alerts
       FROM antigen_reports WHERE ${under('place_path')}`,
    ),
  ]);
  const r = reports.rows[0];
  const summary = { ...kits.rows[0], reports: { negative: r.negative, positive: r.positive, invalid: r.invalid }, openAlerts: r.open_alerts };
  if (by !== 'children') return summary;
  return { ...summary, rows: await summaryByChild(ctx.db, path, place?.id ?? actor.placeId) };
}

/** The summary per child place of `path` (a place already proven in scope, or the actor's own area), each
 * table read once and grouped by the child's id (the path segment after `path`). */
async function summaryByChild(q: Queryable, path: string, parentId: number | null) {
  const child = `nullif(split_part(substr(place_path, length($1::text) + 1), '/', 1), '')::int`;
  const [kids, households, kits, reports] = await Promise.all([
    q.query<{ id: number; name: string; kind: string }>(
      `SELECT id, name, kind FROM places WHERE parent_id IS NOT DISTINCT FROM $1 AND archived_at IS NULL AND kind <> 'entrance' ORDER BY kind, length(name), name`,
      [parentId],
    ),
    q.query<{ child: number; n: number }>(`SELECT ${child} AS child, count(*) AS n FROM households WHERE place_path LIKE $1 || '%' GROUP BY 1`, [path]),
    q.query<{ child: number; reached: number; kits: number }>(
      `SELECT ${child} AS child, count(DISTINCT household_id) AS reached, sum(kits) AS kits FROM antigen_distributions WHERE place_path LIKE $1 || '%' GROUP BY 1`,
      [path],
    ),
    q.query<{ child: number; negative: number; positive: number; invalid: number; open_alerts: number }>(
      `SELECT ${child} AS child, count(*) FILTER (WHERE result = 'negative') AS negative, count(*) FILTER (WHERE result = 'positive') AS positive,
              count(*) FILTER (WHERE result = 'invalid') AS invalid, count(*) FILTER (WHERE result = 'positive' AND acknowledged_at IS NULL) AS open_alerts
       FROM antigen_reports WHERE place_path LIKE $1 || '%' GROUP BY 1`,
      [path],
    ),
  ]);
  const byChild = <T extends { child: number }>(rows: T[]) => new Map(rows.map((x) => [x.child, x]));
  const h = byChild(households.rows);
  const k = byChild(kits.rows);
  const a = byChild(reports.rows);
  return kids.rows.map((p) => ({
    placeId: p.id,
    name: p.name,
    kind: p.kind,
    households: h.get(p.id)?.n ?? 0,
    reached: k.get(p.id)?.reached ?? 0,
    kits: k.get(p.id)?.kits ?? 0,
    reports: { negative: a.get(p.id)?.negative ?? 0, positive: a.get(p.id)?.positive ?? 0, invalid: a.get(p.id)?.invalid ?? 0 },
    openAlerts: a.get(p.id)?.open_alerts ?? 0,
  }));
}

/** Positives nobody has acknowledged yet in my area: the console's menu badge asks every minute. */
export async function openAlertCount(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'testing.read');
  const { rows } = await ctx.db.query<{ n: number }>(
    sql`SELECT count(*) AS n FROM antigen_reports WHERE ${within(actor.scope, 'place_path')} AND result = 'positive' AND acknowledged_at IS NULL`,
  );
  return { open: rows[0].n };
}

interface ReportRow {
  id: number;
  resident_id: number;
  name: string;
  result: Result;
  tested_at: Date;
  at: Date;
  by_name: string | null;
  by_user: number | null;
  acknowledged_at: Date | null;
}

const REPORT_SELECT = `SELECT a.id, a.resident_id, r.name, a.result, a.tested_at, a.at, a.by_user, u.display_name AS by_name, a.acknowledged_at
  FROM antigen_reports a JOIN residents r ON r.id = a.resident_id LEFT JOIN users u ON u.id = a.by_user`;

function presentReport(r: ReportRow) {
  return {
    id: r.id,
    residentId: r.resident_id,
    name: r.name,
    result: r.result,
    testedAt: r.tested_at.toISOString(),
    reportedAt: r.at.toISOString(),
    by: r.by_user === null ? null : (r.by_name ?? ''), // null: the resident reported it with their code
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
  };
}

/** A household's kits (who handed out how many, when) and its members' reports, newest first. */
export async function householdAntigen(ctx: AppContext, actor: Actor, householdId: number) {
  requirePermission(actor, 'registry.read');
  const h = await ctx.db.query(sql`SELECT 1 FROM households WHERE id = ${householdId} AND ${within(actor.scope, 'place_path')}`);
  if (!h.rows[0]) throw new AppError('HOUSEHOLD_NOT_FOUND', { field: 'id', params: { id: householdId } });
  const [kits, reports] = await Promise.all([
    ctx.db.query<{ id: number; at: Date; kits: number; by_name: string | null; total: number }>(
      `SELECT d.id, d.at, d.kits, u.display_name AS by_name, sum(d.kits) OVER () AS total
       FROM antigen_distributions d LEFT JOIN users u ON u.id = d.by_user WHERE d.household_id = $1 ORDER BY d.at DESC, d.id DESC LIMIT 100`,
      [householdId],
    ),
    ctx.db.query<ReportRow>(`${REPORT_SELECT} WHERE r.household_id = $1 AND r.archived_at IS NULL ORDER BY a.tested_at DESC, a.id DESC LIMIT 200`, [householdId]),
  ]);
  return {
    distributions: kits.rows.map((d) => ({ id: d.id, at: d.at.toISOString(), kits: d.kits, by: d.by_name })),
    kitsTotal: kits.rows[0]?.total ?? 0,
    reports: reports.rows.map(presentReport),
  };
}

/** A resident's own antigen reports, newest first, for their page. */
export async function residentAntigen(ctx: AppContext, actor: Actor, residentId: number) {
  requirePermission(actor, 'registry.read');
  const r = await ctx.db.query(sql`SELECT 1 FROM residents WHERE id = ${residentId} AND archived_at IS NULL AND ${within(actor.scope, 'place_path')}`);
  if (!r.rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { field: 'id', params: { id: residentId } });
  const { rows } = await ctx.db.query<ReportRow>(`${REPORT_SELECT} WHERE a.resident_id = $1 ORDER BY a.tested_at DESC, a.id DESC LIMIT 100`, [residentId]);
  return { items: rows.map(presentReport) };
}
