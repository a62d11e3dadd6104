// Lab results per tube, by file or API, and what they set off: a positive or invalid pool
// immediately puts everyone in the tube on the recall list (召回) — held in place and
// retested one per tube — and a single-tube retest result closes their recall.
// A batch is all or nothing: every row is checked before anything is written.
import type { ImportLimits } from '../../config.js';
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, messagesFor, type ErrorCode, type Messages } from '../../platform/errors.js';
import { maskPhone, narrowMask } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/paging.js';
import { sql } from '../../db/sql.js';
import { reach, requirePermission, seesIdFacts, within } from '../../platform/scope.js';
import { queueForResidents } from '../outbox/index.js';
import { addressOf, placeNames, readRows, type FileKind } from '../registry/index.js';
import { publishTesting } from './events.js';

export const RESULTS = ['negative', 'positive', 'invalid'] as const;
export type Result = (typeof RESULTS)[number];

const WORDS: Record<string, Result> = {
  negative: 'negative', neg: 'negative', '-': 'negative', 阴性: 'negative', 阴: 'negative',
  positive: 'positive', pos: 'positive', '+': 'positive', 阳性: 'positive', 阳: 'positive',
  invalid: 'invalid', 无效: 'invalid', 重采: 'invalid', 复采: 'invalid',
};

export function parseResult(text: string): Result | null {
  return WORDS[text.trim().toLowerCase()] ?? null;
}

export interface RowError {
  row: number;
  field: 'tube' | 'result';
  code: ErrorCode;
  messages: Messages;
}

export interface ResultSummary {
  rows: number;
  negative: number;
  positive: number;
  invalid: number;
  corrected: number;
  unchanged: number;
  recalled: number;
  retested: number;
  errors: RowError[];
  committed: boolean;
}

interface InputRow {
  row: number;
  barcode: string;
  result: string;
}

const KEPT_ERRORS = 500;

/**
 * Checks every row (tube known, in my area, sealed; result a known word; no tube twice),
 * then writes them all in one transaction — or nothing if any row is wrong.
 */
export async function recordResults(ctx: AppContext, actor: Actor, input: InputRow[], source: 'file' | 'api'): Promise<ResultSummary> {
  requirePermission(actor, 'testing.lab');
  const summary: ResultSummary = { rows: input.length, negative: 0, positive: 0, invalid: 0, corrected: 0, unchanged: 0, recalled: 0, retested: 0, errors: [], committed: false };
  let errorCount = 0;
  const fail = (row: number, field: RowError['field'], code: ErrorCode, params: Record<string, string | number> = {}) => {
    errorCount++;
    if (summary.errors.length < KEPT_ERRORS) summary.errors.push({ row, field, code, messages: messagesFor(code, params) });
  };

  const seen = new Map<string, number>();
  const barcodes: string[] = [];
  const results: Result[] = [];
  for (const r of input) {
    const barcode = r.barcode.trim();
    const result = parseResult(r.result);
    if (!barcode) fail(r.row, 'tube', 'FIELD_REQUIRED', { field: 'tube' });
    else if (seen.has(barcode)) fail(r.row, 'tube', 'RESULT_DUPLICATE_IN_FILE', { row: seen.get(barcode)! });
    if (!result) fail(r.row, 'result', 'RESULT_VALUE');
    if (barcode && !seen.has(barcode)) seen.set(barcode, r.row);
    barcodes.push(barcode);
    results.push(result ?? 'invalid');
  }

  return ctx.db.tx(async (q) => {
    // Which tubes exist, are mine to report and are sealed: one query for the whole batch.
    // A result needs a box some lab received (issue 11, 5): a result for a tube nobody handed in is a typo or a forgery.
    const known = await q.query<{ barcode: string; site_path: string; sealed: boolean; result: string | null; box: string | null; received: boolean }>(
      sql`SELECT t.barcode, s.place_path AS site_path, t.sealed_at IS NOT NULL AS sealed, t.result, b.barcode AS box, b.received_at IS NOT NULL AS received
            FROM tubes t JOIN sites s ON s.id = t.site_id LEFT JOIN boxes b ON b.id = t.box_id
           WHERE t.barcode = ANY(${barcodes.filter(Boolean)}::text[]) AND ${reach(actor.scope, 'tube', 'write', 's.place_path')}`,
    );
    const byBarcode = new Map(known.rows.map((k) => [k.barcode, k]));
    input.forEach((r, i) => {
      const b = barcodes[i];
      if (!b) return;
      const k = byBarcode.get(b);
      if (!k) fail(r.row, 'tube', 'RESULT_TUBE_UNKNOWN', { barcode: b });
      else if (!k.sealed) fail(r.row, 'tube', 'RESULT_TUBE_OPEN', { barcode: b });
      else if (!k.received) fail(r.row, 'tube', 'RESULT_TUBE_NOT_RECEIVED', { barcode: b, box: k.box ?? '—' });
      else if (k.result === results[i]) summary.unchanged++;
      else if (k.result !== null) summary.corrected++;
    });
    if (errorCount) {
      summary.corrected = summary.unchanged = 0;
      summary.errors.sort((a, b) => a.row - b.row);
      return summary;
    }
    for (const r of results) summary[r]++;

    // Set-based from here on: 100,000 tubes are a handful of statements, not 100,000.
    const changed = await q.query<{ id: number; round_id: number; result: Result; pool_size: number; previous: string | null }>(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::text[]) AS i(barcode, result)),
            old AS (SELECT t.id, t.result FROM tubes t JOIN input i ON i.barcode = t.barcode)
       UPDATE tubes t SET result = i.result, result_at = now()
       FROM input i, old o
       WHERE t.barcode = i.barcode AND o.id = t.id AND t.result IS DISTINCT FROM i.result
       RETURNING t.id, t.round_id, t.result, t.pool_size, o.result AS previous`,
      [barcodes, results],
    );
    if (!changed.rows.length) {
      summary.committed = true;
      return summary;
    }
    const ids = changed.rows.map((c) => c.id);
    await q.query(
      `INSERT INTO tube_results (tube_id, result, reported_by, source, corrects)
       SELECT t.id, t.result, $2, $3, (SELECT max(p.id) FROM tube_results p WHERE p.tube_id = t.id)
       FROM tubes t WHERE t.id = ANY($1::int[])`,
      [ids, actor.id, source],
    );
    // A corrected pool that is no longer positive/invalid: its open recalls are called off.
    await q.query(
      `UPDATE recalls SET closed_at = now() WHERE tube_id = ANY($1::int[]) AND closed_at IS NULL
       AND tube_id IN (SELECT id FROM tubes WHERE id = ANY($1::int[]) AND result = 'negative')`,
      [ids],
    );
    // A single-tube result for someone on an open recall, sampled after the recall: that is
    // their retest. Negative or positive closes it; invalid keeps it open for another try.
    const closed = await q.query(
      `UPDATE recalls r SET retest_tube_id = t.id, outcome = t.result, closed_at = CASE WHEN t.result = 'invalid' THEN NULL ELSE now() END
       FROM samples s JOIN tubes t ON t.id = s.tube_id
       WHERE t.id = ANY($1::int[]) AND t.pool_size = 1 AND r.resident_id = s.resident_id
         AND r.closed_at IS NULL AND r.tube_id <> t.id AND s.sampled_at >= r.created_at - interval '1 hour'`,
      [ids],
    );
    summary.retested = closed.rowCount ?? 0;
    // Everyone else in a positive or invalid tube goes on the recall list (single tubes too: an
    // invalid single tube is a resample, a positive single tube a case to confirm).
    const recalled = await q.query(
      `INSERT INTO recalls (round_id, tube_id, resident_id, place_path, reason)
       SELECT s.round_id, s.tube_id, s.resident_id, s.place_path, t.result
       FROM samples s JOIN tubes t ON t.id = s.tube_id
       WHERE t.id = ANY($1::int[]) AND t.result IN ('positive', 'invalid')
         AND NOT EXISTS (SELECT 1 FROM recalls r WHERE r.resident_id = s.resident_id AND r.retest_tube_id = t.id)
       ON CONFLICT (tube_id, resident_id) DO UPDATE SET reason = EXCLUDED.reason, closed_at = NULL, outcome = NULL`,
      [ids],
    );
    summary.recalled = recalled.rowCount ?? 0;
    // "Your result is back" to everyone in a tube whose result is new or changed, in the app, in
    // the same transaction: the message exists exactly when the result does (one INSERT … SELECT).
    await queueForResidents(q, {
      channel: 'inapp',
      source: 'result',
      rows: resultIsBackRows(ids),
    });
    const corrections = changed.rows.filter((c) => c.previous !== null);
    await audit(q, actor, {
      action: 'result.record',
      entity: 'round',
      entityId: changed.rows[0].round_id,
      detail: { source, rows: input.length, changed: changed.rows.length, positive: summary.positive, invalid: summary.invalid, recalled: summary.recalled },
    });
    for (const c of corrections.slice(0, 1000)) {
      await audit(q, actor, { action: 'result.correct', entity: 'tube', entityId: c.id, detail: { from: c.previous, to: c.result } });
    }
    summary.committed = true;
    const rounds = [...new Set(changed.rows.map((c) => c.round_id))];
    publishTesting(ctx, { kind: 'results', rounds });
    return summary;
  });
}

/** The "your result is back" texts, by the resident's language (Chinese for every other). */
const RESULT_IS_BACK = {
  'zh-CN': '{name}，您 {date} 的核酸检测结果已出，请在“我的”页面查看。',
  'en-US': '{name}, the result of your test on {date} is back. Open "Me" to see it.',
  'ko-KR': '{name}님, {date} 핵산검사 결과가 나왔습니다. "내 정보"에서 확인하세요.',
};

/** One row per person sampled into the tubes: resident_id, body, subject, dedupe_key (a corrected result is a new message). */
function resultIsBackRows(tubeIds: number[]) {
  const text = sql`CASE r.language WHEN 'en-US' THEN ${RESULT_IS_BACK['en-US']}::text WHEN 'ko-KR' THEN ${RESULT_IS_BACK['ko-KR']}::text ELSE ${RESULT_IS_BACK['zh-CN']}::text END`;
  return sql`SELECT s.resident_id, replace(replace(${text}, '{name}', r.name), '{date}', to_char(s.sampled_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')),
                    NULL::text, 'result:' || t.id || ':' || t.result || ':' || extract(epoch FROM t.result_at)::bigint || ':' || s.resident_id
               FROM samples s JOIN tubes t ON t.id = s.tube_id JOIN residents r ON r.id = s.resident_id
              WHERE t.id = ANY (${tubeIds}::int[])`;
}

/** Reads a result file: a tube column (试管条码/管号/tube/barcode) and a result column (结果/result). */
export async function resultsFromFile(file: string, kind: FileKind, limits: ImportLimits): Promise<InputRow[]> {
  const out: InputRow[] = [];
  let tubeCol = -1;
  let resultCol = -1;
  for await (const [row, cells] of readRows(file, kind, limits)) {
    const text = cells.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c)).trim());
    if (tubeCol < 0) {
      const lower = text.map((t) => t.toLowerCase());
      tubeCol = lower.findIndex((h) => /^(试管条码|试管编码|管号|条码|采样管条码|tube|tube barcode|barcode)$/.test(h));
      resultCol = lower.findIndex((h) => /^(结果|检测结果|result)$/.test(h));
      if (tubeCol < 0) throw new AppError('IMPORT_MISSING_COLUMN', { field: 'file', params: { column: '试管条码 / tube' } });
      if (resultCol < 0) throw new AppError('IMPORT_MISSING_COLUMN', { field: 'file', params: { column: '结果 / result' } });
      continue;
    }
    if (text.every((t) => !t)) continue;
    out.push({ row, barcode: text[tubeCol] ?? '', result: text[resultCol] ?? '' });
  }
  return out;
}

// ---- recall lists --------------------------------------------------------------------------

export interface RecallFilter {
  roundId?: number;
  campaignId?: number;
  open?: boolean;
  cursor?: string;
  limit: number;
}

/** The recall list in my area: who, where they live, their phone, their grid worker, the tube. */
export async function listRecalls(ctx: AppContext, actor: Actor, f: RecallFilter) {
  requirePermission(actor, 'testing.read');
  requirePermission(actor, 'registry.read'); // names, phones and addresses: not for a lab or a volunteer
  const after = decodeCursor(f.cursor) ?? 0;
  const { rows } = await ctx.db.query<{
    id: number;
    round_id: number;
    round_number: number;
    campaign_id: number;
    barcode: string;
    reason: string;
    created_at: Date;
    outcome: string | null;
    closed_at: Date | null;
    retest_barcode: string | null;
    resident_id: number;
    name: string;
    id_masked: string;
    phone: string | null;
    place_path: string;
    room: string | null;
    household_id: number | null;
  }>(
    sql`SELECT rc.id, rc.round_id, rd.number AS round_number, rd.campaign_id, t.barcode, rc.reason, rc.created_at, rc.outcome, rc.closed_at,
            rt.barcode AS retest_barcode, r.id AS resident_id, r.name, r.id_masked, r.phone, r.place_path, h.room, r.household_id
     FROM recalls rc JOIN rounds rd ON rd.id = rc.round_id JOIN tubes t ON t.id = rc.tube_id
     JOIN residents r ON r.id = rc.resident_id LEFT JOIN households h ON h.id = r.household_id
     LEFT JOIN tubes rt ON rt.id = rc.retest_tube_id
     WHERE ${within(actor.scope, 'rc.place_path')} AND rc.id > ${after}
       AND (${f.roundId ?? null}::int IS NULL OR rc.round_id = ${f.roundId ?? null}) AND (${f.campaignId ?? null}::int IS NULL OR rd.campaign_id = ${f.campaignId ?? null})
       AND (${f.open ?? null}::boolean IS NULL OR (rc.closed_at IS NULL) = ${f.open ?? null})
     ORDER BY rc.id LIMIT ${f.limit + 1}`,
  );
  const page = rows.slice(0, f.limit);
  const names = await placeNames(ctx.db, page.map((r) => r.place_path));
  const idFacts = seesIdFacts(actor);
  const gridWorkers = await gridWorkersFor(ctx.db, page.map((r) => r.place_path));
  return {
    items: page.map((r) => ({
      id: r.id,
      roundId: r.round_id,
      roundNumber: r.round_number,
      campaignId: r.campaign_id,
      tube: r.barcode,
      reason: r.reason,
      createdAt: r.created_at.toISOString(),
      outcome: r.outcome,
      closedAt: r.closed_at?.toISOString() ?? null,
      retestTube: r.retest_barcode,
      resident: { id: r.resident_id, name: r.name, idMasked: idFacts ? r.id_masked : narrowMask(r.id_masked), phone: maskPhone(r.phone), householdId: r.household_id },
      address: addressOf(r.place_path, r.room, names),
      gridWorkers: gridWorkers(r.place_path),
    })),
    nextCursor: rows.length > f.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

/** Grid workers responsible for each place: the accounts whose grid is an ancestor of it. */
export async function gridWorkersFor(q: Queryable, paths: string[]) {
  const { rows } = await q.query<{ display_name: string; phone: string | null; path: string }>(
    `SELECT u.display_name, u.phone, p.path FROM users u JOIN places p ON p.id = u.place_id
     WHERE u.role = 'grid_worker' AND u.disabled_at IS NULL AND EXISTS (SELECT 1 FROM unnest($1::text[]) x(path) WHERE x.path LIKE p.path || '%')`,
    [[...new Set(paths)]],
  );
  return (path: string) => rows.filter((w) => path.startsWith(w.path)).map((w) => ({ name: w.display_name, phone: w.phone }));
}

/** A resident's own test history, for their page. */
export async function residentTests(ctx: AppContext, actor: Actor, residentId: number) {
  requirePermission(actor, 'registry.read');
  // A resident outside my area, or archived, is not found — as on every other read of a person.
  const r = await ctx.db.query(sql`SELECT 1 FROM residents WHERE id = ${residentId} AND archived_at IS NULL AND ${within(actor.scope, 'place_path')}`);
  if (!r.rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { field: 'id', params: { id: residentId } });
  const { rows } = await ctx.db.query<{
    sampled_at: Date;
    campaign: string;
    round_number: number;
    site: string;
    barcode: string;
    pool_size: number;
    result: string | null;
    result_at: Date | null;
    place_path: string;
  }>(
    `SELECT s.sampled_at, c.name AS campaign, rd.number AS round_number, si.name AS site, t.barcode, t.pool_size, t.result, t.result_at, r.place_path
     FROM samples s JOIN residents r ON r.id = s.resident_id JOIN tubes t ON t.id = s.tube_id JOIN rounds rd ON rd.id = s.round_id
     JOIN campaigns c ON c.id = rd.campaign_id JOIN sites si ON si.id = s.site_id
     WHERE s.resident_id = $1
     ORDER BY s.sampled_at DESC LIMIT 100`,
    [residentId],
  );
  return {
    items: rows.map((r) => ({
      sampledAt: r.sampled_at.toISOString(),
      campaign: r.campaign,
      round: r.round_number,
      site: r.site,
      tube: r.barcode,
      poolSize: r.pool_size,
      result: r.result,
      resultAt: r.result_at?.toISOString() ?? null,
    })),
  };
}

/** A resident's PCR samples and their tubes' results, newest first (the portal: the caller has proven who is asking). */
export async function testsOf(ctx: AppContext, residentId: number) {
  const { rows } = await ctx.db.query<{ sampled_at: Date; campaign: string; result: string | null; result_at: Date | null }>(
    `SELECT s.sampled_at, c.name AS campaign, t.result, t.result_at
     FROM samples s JOIN tubes t ON t.id = s.tube_id JOIN rounds rd ON rd.id = s.round_id JOIN campaigns c ON c.id = rd.campaign_id
     WHERE s.resident_id = $1 ORDER BY s.sampled_at DESC LIMIT 100`,
    [residentId],
  );
  return rows.map((r) => ({ sampledAt: r.sampled_at.toISOString(), campaign: r.campaign, result: r.result, resultAt: r.result_at?.toISOString() ?? null }));
}
