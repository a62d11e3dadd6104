// At the lane: a tube barcode, then each person (personal code or ID number) into it.
// Rules (enforced in record_scan, migration 0002, under a lock on the tube):
// - a tube holds at most its pool size, and seals itself when full;
// - the same person twice in one tube is one sample (answered "already in tube");
// - a person already sampled in this round is recorded but flagged, never silently doubled;
// - a person living outside the campaign's places is recorded and flagged (visitors happen);
// - an unknown ID number can be registered on the spot with a name (and phone); asked to
//   register an ID number that is already registered, the scan uses that record and says so;
// - the answer names the person only as far as the caller may read a record by its number: a
//   role without the reveal right (a sampler) gets a masked name, sex and age (张*芊 · 女 · 34),
//   enough to catch the wrong person in front of them, not enough to make the lane a lookup
//   from ID number to name (issue 11: any ID in the district answered with the stored name);
// - every scan carries an idempotency key: a retry (offline sync) answers what the first did,
//   and the same key with another body is refused (platform/idempotency.ts; one rule for all).
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { looksLikeCode, readResidentCode } from '../../platform/codes.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid, type ErrorCode } from '../../platform/errors.js';
import { requestHash, sameRequest } from '../../platform/idempotency.js';
import { maskName, narrowMask, parseDocument, type IdType } from '../../platform/ids.js';
import { sql, type Sql } from '../../db/sql.js';
import { reach, reaches, requirePermission, seesIdFacts, seesPeople, within, type Access, type Scope } from '../../platform/scope.js';
import { ageOn, RESIDENT_COLUMNS, residentRow, validateResident } from '../registry/index.js';
import { scanHappened } from './events.js';
import { recordScanSoon, recordScans, type ScanCall, type ScanRow } from './scan-batcher.js';
import { laneContext, roundAt, tubeOf, type LaneContext, type Mode } from './campaigns.js';

export interface ScanInput {
  key: string;
  laneId: number;
  tube: string;
  /** The kind of tube the sampler opened; default: the mode of the site's place. */
  mode?: Mode;
  code?: string;
  idNumber?: string;
  idType?: IdType;
  /** For an unknown ID number: register the person on the spot, then sample. */
  register?: { name: string; phone?: string | null };
  /** When the device took the scan (offline scans sync later); default now. */
  at?: string;
}

export interface ScanResult {
  key: string;
  outcome: 'recorded' | 'replay' | 'already_in_tube';
  sampleId: number;
  resident: { id: number; name: string; idMasked: string; sex: string | null; age: number | null };
  tube: { barcode: string; people: number; poolSize: number; sealed: boolean };
  round: { id: number; number: number };
  flags: { repeatInRound: boolean; outsideCampaign: boolean; registeredOnSpot: boolean; alreadyRegistered: boolean };
}

const BARCODE = /^[A-Za-z0-9-]{4,40}$/;
// A device clock may run a little fast; a scan "from the future" beyond this is a wrong clock.
const CLOCK_SKEW_MS = 5 * 60_000;

export function checkBarcode(value: string, field: string): string {
  const v = value.trim();
  if (!BARCODE.test(v)) throw fieldInvalid(field, { 'zh-CN': '条码应为 4–40 位字母、数字或连字符', 'en-US': 'a barcode has 4–40 letters, digits or hyphens' });
  return v;
}

interface Person {
  residentId: number | null;
  /** the personal code's version (null for an ID number): record_scan's statement refuses an outdated one */
  codeVersion: number | null;
  blind: Buffer | null;
  idType?: IdType;
  idNumber?: string;
}

function identify(ctx: AppContext, input: ScanInput): Person {
  if (input.code) {
    if (!looksLikeCode(input.code)) {
      // A scanner that read an ID card types digits into the code field: take it as an ID number.
      return identify(ctx, { ...input, code: undefined, idNumber: input.code });
    }
    const read = readResidentCode(ctx.vault, input.code);
    if (read === null) throw new AppError('CODE_INVALID', { field: 'code' });
    return { residentId: read.residentId, codeVersion: read.version, blind: null };
  }
  if (input.idNumber) {
    const idType = input.idType ?? 'mainland_id';
    const doc = parseDocument(idType, input.idNumber, 'idNumber');
    return { residentId: null, codeVersion: null, blind: ctx.vault.blindIndex(idType, doc.number), idType, idNumber: doc.number };
  }
  throw new AppError('FIELD_REQUIRED', { field: 'code' });
}

interface Prepared {
  lane: LaneContext;
  round: { id: number; number: number };
  barcode: string;
  at: Date;
  person: Person;
  tube: { poolSize: number; householdOnly: boolean };
  /** the request's hash: a single scan and the same scan in a batch are one request */
  hash: Buffer;
}

async function prepare(q: Queryable, ctx: AppContext, actor: Actor, input: ScanInput): Promise<Prepared> {
  const lane = await laneContext(ctx, input.laneId, q);
  // The lane comes from a cache shared by every sampler (one round trip per scan), so its rule is
  // applied to the cached site path; it is the same rule as every query's (SCOPE_RULES.lane).
  if (!lane || !reaches(actor.scope, 'lane', 'write', lane.sitePath)) throw new AppError('LANE_NOT_FOUND', { field: 'laneId', params: { id: input.laneId } });
  const barcode = checkBarcode(input.tube, 'tube');
  const at = input.at ? new Date(input.at) : new Date();
  if (Number.isNaN(at.getTime())) throw fieldInvalid('at', { 'zh-CN': '不是有效的时间', 'en-US': 'not a valid date and time' });
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw fieldInvalid('at', { 'zh-CN': '时间晚于现在，请校准设备时钟', 'en-US': 'is in the future; check the device clock' });
  const round = roundAt(lane, at.getTime());
  if (!round) throw new AppError('ROUND_NOT_OPEN', { field: 'at' });
  const hash = requestHash(ctx.vault, 'testing.scan', input);
  return { lane, round, barcode, at, person: identify(ctx, input), tube: tubeOf(input.mode ?? lane.mode), hash };
}

function callOf(actor: Actor, key: string, p: Prepared, residentId: number | null): ScanCall {
  return {
    key,
    roundId: p.round.id,
    campaignId: p.lane.campaignId,
    siteId: p.lane.siteId,
    laneId: p.lane.laneId,
    userId: actor.id,
    barcode: p.barcode,
    poolSize: p.tube.poolSize,
    householdOnly: p.tube.householdOnly,
    residentId,
    codeVersion: residentId === p.person.residentId ? p.person.codeVersion : null,
    blind: residentId ? null : p.person.blind,
    at: p.at,
    hash: p.hash,
  };
}

/**
 * Registers an unknown person where the site is (no household yet), for the community to place
 * later. Registered meanwhile (another lane, an import): that record is used, never overwritten.
 */
async function registerOnSpot(q: Queryable, ctx: AppContext, actor: Actor, input: ScanInput, p: Prepared): Promise<{ id: number; created: boolean }> {
  const reg = input.register!;
  const checked = validateResident({ name: reg.name, phone: reg.phone ?? null, idType: p.person.idType, idNumber: p.person.idNumber });
  if ('errors' in checked) throw checked.errors[0];
  const row = residentRow(ctx.vault, checked.value, null, p.lane.sitePath);
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO residents (${RESIDENT_COLUMNS.join(', ')}) VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (id_blind) DO NOTHING RETURNING id`,
    row,
  );
  if (!rows[0]) {
    const existing = await q.query<{ id: number }>('SELECT id FROM residents WHERE id_blind = $1', [p.person.blind]);
    return { id: existing.rows[0].id, created: false };
  }
  await audit(q, actor, { action: 'resident.register_at_lane', entity: 'resident', entityId: rows[0].id, placePath: p.lane.sitePath, detail: { siteId: p.lane.siteId } });
  return { id: rows[0].id, created: true };
}

const SCAN_ERRORS: Record<string, ErrorCode> = {
  PERSON_UNKNOWN: 'PERSON_UNKNOWN',
  TUBE_SEALED: 'TUBE_SEALED',
  TUBE_FULL: 'TUBE_FULL',
  TUBE_OTHER_ROUND: 'TUBE_OTHER_ROUND',
  TUBE_OTHER_HOUSEHOLD: 'TUBE_OTHER_HOUSEHOLD',
  CODE_REVOKED: 'CODE_REVOKED',
};

/** One scan on its own: goes out with whatever other scans are waiting (scan-batcher.ts). */
async function scanSoon(ctx: AppContext, actor: Actor, input: ScanInput): Promise<ScanResult> {
  const p = await prepare(ctx.db, ctx, actor, input);
  const row = await recordScanSoon(ctx.db, callOf(actor, input.key, p, p.person.residentId));
  return present(ctx, actor, input, p, row, { registered: false, existed: false });
}

/** A scan that may register the person first: inside the caller's transaction. */
async function scanIn(q: Queryable, ctx: AppContext, actor: Actor, input: ScanInput): Promise<ScanResult> {
  const p = await prepare(q, ctx, actor, input);
  let registered = false;
  let [row] = await recordScans(q, [callOf(actor, input.key, p, p.person.residentId)]);
  // asked to register someone the registry knows: sampled under that record, and answered so
  let existed = !!input.register && row.outcome !== 'PERSON_UNKNOWN' && !row.registered_on_spot;
  if (row.outcome === 'PERSON_UNKNOWN' && input.register && p.person.idNumber) {
    const reg = await registerOnSpot(q, ctx, actor, input, p);
    registered = reg.created;
    existed = !reg.created;
    [row] = await recordScans(q, [callOf(actor, input.key, p, reg.id)]);
  }
  return present(ctx, actor, input, p, row, { registered, existed });
}

/** Maps record_scan's answer to the API's: an outcome, or the AppError for a refused scan. */
function present(ctx: AppContext, actor: Actor, input: ScanInput, p: Prepared, row: ScanRow, reg: { registered: boolean; existed: boolean }): ScanResult {
  // a known key: the first request again (a replay), or another one under its key (409)
  if (row.outcome === 'replay') sameRequest(row.request_hash, p.hash);
  const code = SCAN_ERRORS[row.outcome];
  if (code) {
    const field = code === 'PERSON_UNKNOWN' ? (input.code ? 'code' : 'idNumber') : code === 'CODE_REVOKED' ? 'code' : 'tube';
    throw new AppError(code, { field, params: { barcode: p.barcode, poolSize: row.pool_size ?? p.tube.poolSize } });
  }
  if (row.outcome === 'recorded') scanHappened(ctx, p.lane.campaignId);
  return {
    key: input.key,
    outcome: row.outcome as ScanResult['outcome'],
    sampleId: Number(row.sample_id),
    resident: personAt(actor, { id: row.resident_id!, name: row.resident_name!, idMasked: row.id_masked!, sex: row.resident_sex, birthDate: row.resident_birth_date }),
    tube: { barcode: p.barcode, people: row.tube_people!, poolSize: row.pool_size!, sealed: !!row.sealed },
    round: p.round,
    flags: {
      repeatInRound: !!row.repeat_in_round,
      outsideCampaign: !!row.outside_campaign,
      registeredOnSpot: reg.registered || !!row.registered_on_spot,
      alreadyRegistered: reg.existed,
    },
  };
}

/**
 * A scanned person as the caller may see them. With the reveal right (officers, grid workers)
 * the stored name; without it (a sampler) a masked name, with sex and age and the narrow mask of
 * the ID: the sampler checks the person in front of them, but a number typed at the lane never
 * answers with the name it belongs to.
 */
function personAt(actor: Actor, r: { id: number; name: string; idMasked: string; sex: string | null; birthDate: string | null }) {
  const full = seesIdFacts(actor);
  return { id: r.id, name: full ? r.name : maskName(r.name), idMasked: full ? r.idMasked : narrowMask(r.idMasked), sex: r.sex, age: ageOn(r.birthDate) };
}

export async function recordScan(ctx: AppContext, actor: Actor, input: ScanInput): Promise<ScanResult> {
  requirePermission(actor, 'testing.sample');
  // Without a registration the scan is one statement (one round trip, autocommit, shared
  // with the scans arriving meanwhile); a registration needs the insert and the scan to land together.
  if (!input.register) return scanSoon(ctx, actor, input);
  return ctx.db.tx((q) => scanIn(q, ctx, actor, input));
}

export type BatchItem = { key: string; ok: true; result: ScanResult } | { key: string; ok: false; error: AppError };

/**
 * An offline queue syncing: scans in the order they were taken, in one transaction (one
 * commit for the batch). Each scan has its own outcome; a rejected scan does not stop the rest.
 * Runs of scans without an on-the-spot registration go to the database as one statement
 * (record_scan applied row by row, in order), so 1,000 scans are not 1,000 round trips.
 */
export async function recordScanBatch(ctx: AppContext, actor: Actor, scans: ScanInput[]): Promise<BatchItem[]> {
  requirePermission(actor, 'testing.sample');
  return ctx.db.tx(async (q) => {
    const out: BatchItem[] = new Array(scans.length);
    let run: { index: number; input: ScanInput; p: Prepared }[] = [];
    const flush = async () => {
      if (!run.length) return;
      const rows = await recordScans(q, run.map((x) => callOf(actor, x.input.key, x.p, x.p.person.residentId)));
      run.forEach((item, i) => {
        try {
          out[item.index] = { key: item.input.key, ok: true, result: present(ctx, actor, item.input, item.p, rows[i], { registered: false, existed: false }) };
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          out[item.index] = { key: item.input.key, ok: false, error: err };
        }
      });
      run = [];
    };
    for (const [index, input] of scans.entries()) {
      try {
        if (input.register) {
          await flush();
          out[index] = { key: input.key, ok: true, result: await scanIn(q, ctx, actor, input) };
        } else {
          run.push({ index, input, p: await prepare(q, ctx, actor, input) });
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        out[index] = { key: input.key, ok: false, error: err };
      }
    }
    await flush();
    return out;
  });
}

// ---- tubes ------------------------------------------------------------------------------

interface TubeRow {
  id: number;
  barcode: string;
  round_id: number;
  pool_size: number;
  household_only: boolean;
  people: number;
  site_id: number;
  site_path: string;
  site_name: string;
  lane_number: number | null;
  opened_at: Date;
  sealed_at: Date | null;
  box_barcode: string | null;
  result: string | null;
  result_at: Date | null;
}

/** SQL over tubes t and sites s: the tube rule (SCOPE_RULES.tube), and for reads also a tube holding someone of my area. */
function tubeReach(scope: Scope, access: Access): Sql {
  const bySite = reach(scope, 'tube', access, 's.place_path');
  if (access === 'write') return bySite;
  return sql`(${bySite} OR EXISTS (SELECT 1 FROM samples x WHERE x.tube_id = t.id AND ${within(scope, 'x.place_path')}))`;
}

/** A tube under the tube rule for this access (SCOPE_RULES.tube, by the site that sampled it), else TUBE_NOT_FOUND. */
export async function tubeByBarcode(q: Queryable, actor: Actor, barcode: string, access: Access, field = 'barcode'): Promise<TubeRow> {
  const { rows } = await q.query<TubeRow>(
    sql`SELECT t.id, t.barcode, t.round_id, t.pool_size, t.household_only, t.people, t.site_id, s.place_path AS site_path, s.name AS site_name,
            l.number AS lane_number, t.opened_at, t.sealed_at, b.barcode AS box_barcode, t.result, t.result_at
     FROM tubes t JOIN sites s ON s.id = t.site_id LEFT JOIN lanes l ON l.id = t.lane_id LEFT JOIN boxes b ON b.id = t.box_id
     WHERE t.barcode = ${barcode} AND ${tubeReach(actor.scope, access)}`,
  );
  if (!rows[0]) throw new AppError('TUBE_NOT_FOUND', { field, params: { barcode } });
  return rows[0];
}

export async function getTube(ctx: AppContext, actor: Actor, barcode: string) {
  requirePermission(actor, 'testing.read');
  const t = await tubeByBarcode(ctx.db, actor, checkBarcode(barcode, 'barcode'), 'read');
  // The people in it: only for roles that read the registry, and only those living in my area
  // (a compound site's tube holds several grids; `people` still counts them all).
  const people = seesPeople(actor)
    ? await ctx.db.query<{
        resident_id: number;
        name: string;
        id_masked: string;
        sex: string | null;
        birth_date: string | null;
        sampled_at: Date;
        repeat_in_round: boolean;
        outside_campaign: boolean;
      }>(
        sql`SELECT s.resident_id, r.name, r.id_masked, r.sex, r.birth_date, s.sampled_at, s.repeat_in_round, s.outside_campaign
              FROM samples s JOIN residents r ON r.id = s.resident_id
             WHERE s.tube_id = ${t.id} AND ${within(actor.scope, 'r.place_path')} ORDER BY s.sampled_at, s.id`,
      )
    : { rows: [] };
  return {
    barcode: t.barcode,
    roundId: t.round_id,
    poolSize: t.pool_size,
    householdOnly: t.household_only,
    people: t.people,
    siteId: t.site_id,
    siteName: t.site_name,
    laneNumber: t.lane_number,
    openedAt: t.opened_at.toISOString(),
    sealedAt: t.sealed_at?.toISOString() ?? null,
    box: t.box_barcode,
    result: t.result,
    resultAt: t.result_at?.toISOString() ?? null,
    samples: people.rows.map((p) => {
      // the person as the scan answered them: a sampler resuming a tube sees what the scan showed
      const who = personAt(actor, { id: p.resident_id, name: p.name, idMasked: p.id_masked, sex: p.sex, birthDate: p.birth_date });
      return {
        residentId: p.resident_id,
        name: who.name,
        idMasked: who.idMasked,
        sex: who.sex,
        age: who.age,
        sampledAt: p.sampled_at.toISOString(),
        repeatInRound: p.repeat_in_round,
        outsideCampaign: p.outside_campaign,
      };
    }),
  };
}

/** Seals a tube on demand (before it is full). Sealing a sealed tube is a no-op: devices retry. */
export async function sealTube(ctx: AppContext, actor: Actor, barcode: string) {
  requirePermission(actor, 'testing.sample');
  const code = checkBarcode(barcode, 'barcode');
  await ctx.db.tx(async (q) => {
    const t = await tubeByBarcode(q, actor, code, 'write');
    if (t.sealed_at) return;
    if (t.people === 0) throw new AppError('TUBE_EMPTY', { field: 'barcode', params: { barcode: code } });
    await q.query(`UPDATE tubes SET sealed_at = now() WHERE id = $1 AND sealed_at IS NULL`, [t.id]);
  });
  return getTube(ctx, actor, code);
}
