// Group commit for lane scans. 856 lanes scanning at once are thousands of one-row
// statements a second, each with its own round trip and its own WAL flush. While earlier
// scans are at the database, the scans that arrive meanwhile wait together and then go as
// one statement (record_scan applied row by row, in arrival order) and one commit. A scan at
// a quiet lane finds nothing in flight and goes at once, alone: batching never adds a wait
// that an idle database would not have had.
import type { Db, Queryable } from '../../db/client.js';
import { byKey, groupCommitPer } from '../../platform/group-commit.js';

/** What record_scan needs for one scan, as the statement's columns. */
export interface ScanCall {
  key: string;
  roundId: number;
  campaignId: number;
  siteId: number;
  laneId: number;
  userId: number;
  barcode: string;
  poolSize: number;
  householdOnly: boolean;
  residentId: number | null;
  /** the version of the personal code scanned (null: an ID number): an older one than the household's is refused, CODE_REVOKED */
  codeVersion: number | null;
  blind: Buffer | null;
  at: Date;
  /** the request's hash (platform/idempotency.ts), kept with the sample */
  hash: Buffer;
}

export interface ScanRow {
  outcome: string;
  sample_id: number | null;
  resident_id: number | null;
  resident_name: string | null;
  id_masked: string | null;
  tube_id: number | null;
  tube_people: number | null;
  pool_size: number | null;
  sealed: boolean | null;
  repeat_in_round: boolean | null;
  outside_campaign: boolean | null;
  /** with a replay: the first request's hash, for sameRequest() to compare */
  request_hash: Uint8Array | null;
  registered_on_spot: boolean | null;
  /** the person's sex and birth date, read by the same statement (for a masked answer the sampler can still check) */
  resident_sex: string | null;
  resident_birth_date: string | null;
}

/** Many scans as one statement; the rows come back in the order of `calls`. */
export async function recordScans(q: Queryable, calls: ScanCall[]): Promise<ScanRow[]> {
  const col = <T>(f: (c: ScanCall) => T) => calls.map(f);
  const { rows } = await q.query<ScanRow & { ord: number }>(
    // record_scan_checked (migration 0008): a revoked personal code (its household's codes were
    // rotated since) records nothing and answers CODE_REVOKED; otherwise record_scan.
    `SELECT x.ord, s.*, p.sex AS resident_sex, p.birth_date AS resident_birth_date
     FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::text[], $8::int[], $9::boolean[], $10::int[], $11::text[], $12::timestamptz[], $13::text[], $14::int[])
          WITH ORDINALITY AS x(key, round_id, campaign_id, site_id, lane_id, user_id, barcode, pool, household_only, resident_id, blind, at, hash, code_version, ord)
     CROSS JOIN LATERAL record_scan_checked(x.code_version, x.key, x.round_id, x.campaign_id, x.site_id, x.lane_id, x.user_id, x.barcode, x.pool, x.household_only,
                                    x.resident_id, decode(x.blind, 'hex'), x.at, decode(x.hash, 'hex')) s
     LEFT JOIN residents p ON p.id = s.resident_id
     ORDER BY x.ord`,
    [
      col((c) => c.key),
      col((c) => c.roundId),
      col((c) => c.campaignId),
      col((c) => c.siteId),
      col((c) => c.laneId),
      col((c) => c.userId),
      col((c) => c.barcode),
      col((c) => c.poolSize),
      col((c) => c.householdOnly),
      col((c) => c.residentId),
      col((c) => (c.residentId ? null : (c.blind?.toString('hex') ?? null))),
      col((c) => c.at.toISOString()),
      col((c) => c.hash.toString('hex')),
      col((c) => c.codeVersion),
    ],
  );
  return rows;
}

/**
 * Records one scan, together with whatever other scans are waiting (see the header). Tubes are
 * locked in barcode order (a stable sort keeps each tube's arrival order), so two statements in
 * flight never wait on each other in a circle.
 */
const scansOf = groupCommitPer((db: Db) => ({
  run: (calls: ScanCall[]) => recordScans(db, calls),
  compare: byKey((c: ScanCall) => c.barcode),
  inFlight: 2,
  maxBatch: 200,
}));

export function recordScanSoon(db: Db, call: ScanCall): Promise<ScanRow> {
  return scansOf(db).submit(call);
}
