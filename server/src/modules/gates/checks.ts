// A check at a gate or checkpoint (查证、扫码、测温、登记): who (a personal code, an ID number
// from a card reader or typed, or a visitor's pass), which way, the temperature, a vehicle's
// plate; the answer is PASS or STOP with the reason, in words the person stopped can be shown.
// The colour is read from the facts at the moment of the check (codes module), so a zone
// declared a second ago already stops its people. Every check is logged; a device retrying a
// check it queued offline gets the first answer back (the one idempotency rule).
//
// The decision:
// - no one identified (an ID number not in the registry), a revoked or forged code: STOP;
// - a fever (≥ 37.3 °C): STOP, whatever the colour;
// - red: STOP; yellow: STOP, except coming IN to the home they live in (returning to a sealed
//   compound is allowed, leaving it is not);
// - a visitor's pass: PASS on the day and at the compound it was issued for (their own colour
//   decides when their document is a registered resident's); green: PASS.
import type { Queryable } from '../../db/client.js';
import { sql } from '../../db/sql.js';
import { readResidentCode, looksLikeCode } from '../../platform/codes.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { idempotentRequest, once } from '../../platform/idempotency.js';
import { parseDocument, type IdType } from '../../platform/ids.js';
import { requirePermission } from '../../platform/scope.js';
import { shanghaiDate } from '../../platform/time.js';
import { colourOf, type ColourAnswer } from '../codes/index.js';
import { codeVersionOf } from '../registry/index.js';
import { gateInScope, type Gate } from './gate.js';
import { GATE_REASONS, type GateReasonKey, type Words } from './reasons.js';
import { readVisitorPass } from './visitors.js';

export const FEVER_AT = 37.3;
/** how far a device's clock may run ahead of ours */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CheckInput {
  key: string;
  /** a personal code or a visitor's pass (a scanner that read an ID card types its number here: taken as one) */
  code?: string;
  idNumber?: string;
  idType?: IdType;
  direction: 'in' | 'out';
  temperature?: number;
  plate?: string;
  /** the device's time of the check (an offline check is sent later) */
  at?: string;
}

export interface CheckAnswer {
  id: number;
  decision: 'pass' | 'stop';
  colour: 'green' | 'yellow' | 'red' | null;
  reasons: { key: string; colour: 'red' | 'yellow' | null; text: Words }[];
  person: { kind: 'resident' | 'visitor' | 'unknown'; name: string | null; home: string | null };
  direction: 'in' | 'out';
  temperature: number | null;
  fever: boolean;
  checkedAt: string;
}

interface Identified {
  kind: 'resident' | 'visitor' | 'unknown';
  residentId: number | null;
  visitorId: number | null;
  unknownBlind: Buffer | null;
  /** a reason the person cannot pass whoever they are (a revoked code, a pass for another day) */
  refused: GateReasonKey | null;
  name: string | null;
  home: string | null;
  homePath: string | null;
  visitorCompoundPath?: string;
}

async function residentById(q: Queryable, id: number) {
  const { rows } = await q.query<{ id: number; name: string; place_path: string; home: string }>(sql`
    SELECT r.id, r.name, r.place_path, coalesce(b.name, '') || coalesce(' ' || h.room, '') AS home
      FROM residents r LEFT JOIN households h ON h.id = r.household_id
      LEFT JOIN places u ON u.id = h.place_id LEFT JOIN places b ON b.id = u.parent_id
     WHERE r.id = ${id} AND r.archived_at IS NULL`);
  return rows[0] ?? null;
}

async function identify(q: Queryable, ctx: AppContext, input: CheckInput): Promise<Identified> {
  const none = { residentId: null, visitorId: null, unknownBlind: null, refused: null, name: null, home: null, homePath: null } as const;
  const code = input.code?.trim();
  if (code && code.startsWith('FKV1.')) {
    const visitorId = readVisitorPass(ctx.vault, code);
    if (visitorId === null) return { ...none, kind: 'unknown', refused: 'code_invalid' };
    const { rows } = await q.query<{ name: string; resident_id: number | null; valid_on: string; compound_path: string }>(sql`
      SELECT v.name, v.resident_id, v.valid_on::text, p.path AS compound_path
        FROM visitors v JOIN places g ON g.id = v.gate_id JOIN places p ON p.id = g.parent_id WHERE v.id = ${visitorId}`);
    const v = rows[0];
    if (!v) return { ...none, kind: 'unknown', refused: 'code_invalid' };
    return {
      ...none,
      kind: 'visitor',
      visitorId,
      residentId: v.resident_id,
      name: v.name,
      refused: v.valid_on !== shanghaiDate() ? 'pass_expired' : null,
      visitorCompoundPath: v.compound_path,
    };
  }
  if (code && looksLikeCode(code)) {
    const read = readResidentCode(ctx.vault, code);
    if (!read) return { ...none, kind: 'unknown', refused: 'code_invalid' };
    const r = await residentById(q, read.residentId);
    if (!r) return { ...none, kind: 'unknown', refused: 'code_invalid' };
    // a lost card's old code is genuine but revoked
    const revoked = read.version < (await codeVersionOf(q, r.id));
    return { ...none, kind: 'resident', residentId: r.id, name: r.name, home: r.home, homePath: r.place_path, refused: revoked ? 'code_revoked' : null };
  }
  const raw = input.idNumber ?? code;
  if (!raw) throw new AppError('GATE_NO_PERSON', { field: 'code' });
  const idType = input.idType ?? 'mainland_id';
  const doc = parseDocument(idType, raw, input.idNumber ? 'idNumber' : 'code');
  const blind = ctx.vault.blindIndex(idType, doc.number);
  const { rows } = await q.query<{ id: number }>(sql`SELECT id FROM residents WHERE id_blind = ${blind} AND archived_at IS NULL`);
  if (!rows[0]) return { ...none, kind: 'unknown', unknownBlind: blind, refused: 'not_registered' };
  const r = (await residentById(q, rows[0].id))!;
  return { ...none, kind: 'resident', residentId: r.id, name: r.name, home: r.home, homePath: r.place_path };
}

function decide(gate: Gate, who: Identified, colour: ColourAnswer | null, input: CheckInput, fever: boolean) {
  const reasons: CheckAnswer['reasons'] = [];
  const add = (key: GateReasonKey) => reasons.push({ key, colour: null, text: GATE_REASONS[key] });
  if (who.refused) add(who.refused);
  if (fever) add('fever');
  if (colour && colour.colour !== 'green') {
    if (colour.override) reasons.push({ key: 'override', colour: colour.colour === 'red' ? 'red' : 'yellow', text: { 'zh-CN': colour.override.reason, 'en-US': colour.override.reason } });
    for (const r of colour.reasons) reasons.push({ key: r.rule, colour: r.colour, text: r.plain });
  }
  let pass = !who.refused && !fever;
  if (pass && who.kind === 'visitor' && who.visitorCompoundPath && !gate.path.startsWith(who.visitorCompoundPath)) {
    add('pass_elsewhere');
    pass = false;
  }
  if (pass && colour?.colour === 'red') pass = false;
  if (pass && colour?.colour === 'yellow') {
    // coming home through their compound's gate is allowed; leaving, a road checkpoint, or another compound's gate is not
    const home = gate.parentKind === 'compound' && who.kind === 'resident' && input.direction === 'in' && who.homePath !== null && who.homePath.startsWith(gate.parentPath);
    if (home) add('returning_home');
    else pass = false;
  }
  if (pass && who.kind === 'visitor') add('visitor_pass');
  return { decision: pass ? ('pass' as const) : ('stop' as const), reasons };
}

async function checkOnce(q: Queryable, ctx: AppContext, actor: Actor, gate: Gate, input: CheckInput): Promise<CheckAnswer> {
  const at = input.at ? new Date(input.at) : new Date();
  if (Number.isNaN(at.getTime())) throw fieldInvalid('at', { 'zh-CN': '不是有效的时间', 'en-US': 'not a valid date and time' });
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw fieldInvalid('at', { 'zh-CN': '时间晚于现在，请校准设备时钟', 'en-US': 'is in the future; check the device clock' });
  const who = await identify(q, ctx, input);
  const colour = who.residentId ? await colourOf(q, who.residentId) : null;
  const fever = input.temperature !== undefined && input.temperature >= FEVER_AT;
  const { decision, reasons } = decide(gate, who, colour, input, fever);
  const { rows } = await q.query<{ id: number }>(sql`
    INSERT INTO gate_checks (gate_id, place_path, direction, resident_id, visitor_id, unknown_blind, temperature, plate, decision, colour, reasons, checked_by, checked_at)
    VALUES (${gate.id}, ${gate.path}, ${input.direction}, ${who.residentId}, ${who.visitorId}, ${who.unknownBlind}, ${input.temperature ?? null},
            ${input.plate?.trim().toUpperCase() || null}, ${decision}, ${colour?.colour ?? null}, ${reasons.map((r) => r.key)}::text[], ${actor.id}, ${at.toISOString()})
    RETURNING id::int`);
  return {
    id: rows[0].id,
    decision,
    colour: colour?.colour ?? null,
    reasons,
    person: { kind: who.kind, name: who.name, home: who.home },
    direction: input.direction,
    temperature: input.temperature ?? null,
    fever,
    checkedAt: at.toISOString(),
  };
}

/** One check at a gate (idempotent by key: a device's retry answers the first check, marked replay). */
export async function checkAtGate(ctx: AppContext, actor: Actor, gateId: number, input: CheckInput): Promise<CheckAnswer & { replay: boolean }> {
  requirePermission(actor, 'gates.check');
  const req = idempotentRequest(ctx.vault, actor, `gate.check:${gateId}`, input);
  const { value, replay } = await ctx.db.tx(async (q) => {
    const gate = await gateInScope(q, actor, gateId);
    return once(q, req, () => checkOnce(q, ctx, actor, gate, input));
  });
  return { ...value, replay };
}

/** An offline device's queue: each check on its own (one bad check does not hold the others back). */
export async function checkBatchAtGate(ctx: AppContext, actor: Actor, gateId: number, checks: CheckInput[]) {
  requirePermission(actor, 'gates.check');
  await gateInScope(ctx.db, actor, gateId);
  const results = [];
  for (const [i, check] of checks.entries()) {
    try {
      results.push({ index: i, ok: true as const, check: await checkAtGate(ctx, actor, gateId, check) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ index: i, ok: false as const, error: { code: err.code, field: err.field, messages: err.messages() } });
    }
  }
  return { results };
}

export interface GateLogRow {
  id: number;
  decision: 'pass' | 'stop';
  direction: 'in' | 'out';
  colour: string | null;
  reasons: string[];
  name: string | null;
  kind: 'resident' | 'visitor' | 'unknown';
  temperature: number | null;
  plate: string | null;
  checkedAt: string;
  checkedBy: string | null;
}

/** A gate's log, newest first. */
export async function gateLog(ctx: AppContext, actor: Actor, gateId: number, limit = 50): Promise<{ gate: { id: number; name: string; parent: string }; items: GateLogRow[] }> {
  requirePermission(actor, 'gates.read');
  const gate = await gateInScope(ctx.db, actor, gateId);
  const { rows } = await ctx.db.query<GateLogRow>(sql`
    SELECT c.id::int, c.decision, c.direction, c.colour, c.reasons, coalesce(r.name, v.name) AS name,
           CASE WHEN c.visitor_id IS NOT NULL THEN 'visitor' WHEN c.resident_id IS NOT NULL THEN 'resident' ELSE 'unknown' END AS kind,
           c.temperature::float8 AS temperature, c.plate, c.checked_at AS "checkedAt", u.display_name AS "checkedBy"
      FROM gate_checks c LEFT JOIN residents r ON r.id = c.resident_id LEFT JOIN visitors v ON v.id = c.visitor_id
      LEFT JOIN users u ON u.id = c.checked_by
     WHERE c.gate_id = ${gate.id}
     ORDER BY c.checked_at DESC, c.id DESC LIMIT ${limit}`);
  return { gate: { id: gate.id, name: gate.name, parent: gate.parentName }, items: rows };
}
