// One idempotency rule for every write a device may retry (a lane scan, each scan of an
// offline batch, an antigen hand-out or report). The device makes a key (a UUID) for one
// request and sends the identical body again with the same key until it gets an answer.
//
// - The key is recorded with a hash of the request, in the same transaction as the write:
//   a write that was refused (an error) leaves no key behind, so its retry is judged afresh.
// - Same key, same hash: the answer is what the first request answered, marked as a replay
//   (`replay: true`, or a scan's outcome 'replay'); nothing is written again.
// - Same key, different hash: 409 IDEMPOTENCY_KEY_REUSED on field 'key'; nothing is written.
// - Keys belong to whoever sent them (a staff account, or the resident whose personal code
//   signed a self-report): another account's key is simply a new key, and never answers with
//   someone else's request.
// - Concurrent requests with one key resolve to one write: the key's unique index makes the
//   second wait for the first's transaction, and it then finds the key and answers the replay.
//
// The request hash is HMAC-SHA256 (a key derived from the vault's master key; bodies carry ID
// numbers, see IdVault.requestMac) over a canonical JSON of {op, body}: object keys sorted,
// undefined left out, arrays in order. `op` names the write, so a key reused on another kind
// of write in the same store is a different request (a lane scan's key lives in its samples
// row, so reusing it for a hand-out is not caught; devices make one key per request).
// The only field left out of the body is `key` itself.
// Everything else is hashed, including the device's own timestamps (a scan's `at`, a report's
// `testedAt`): an offline device resends the body it stored, identical, and a body with other
// numbers under the same key is another request, which is what this rule must catch.
//
// Two stores, one rule: a lane scan keeps its key and hash in its samples row (written by the
// one record_scan statement, so a scan stays one round trip; record_scan answers a known key
// with the first sample and its stored hash, and sameRequest() below decides); every other
// write keeps them in idempotency_keys together with the first answer (once() below).
import type { Queryable } from '../db/client.js';
import type { Actor } from './context.js';
import type { IdVault } from './crypto.js';
import { AppError } from './errors.js';

/** Fields of a body that are not part of the request's identity. */
export const UNHASHED_FIELDS = ['key'] as const;

/** Who owns a key: a staff account, or a resident (self-reports signed by their personal code). */
export type KeyScope = { user: number } | { resident: number };

export interface IdempotentRequest {
  scope: string;
  key: string;
  hash: Buffer;
}

export function scopeOf(who: Actor | KeyScope): string {
  if ('resident' in who) return `resident:${who.resident}`;
  return `user:${'user' in who ? who.user : who.id}`;
}

/** JSON with object keys sorted at every depth and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The request's hash: `op` and the body without its key (see the header). */
export function requestHash(vault: IdVault, op: string, body: object): Buffer {
  const rest: Record<string, unknown> = { ...body };
  for (const f of UNHASHED_FIELDS) delete rest[f];
  return vault.requestMac(canonicalJson({ op, body: rest }));
}

export function idempotentRequest(vault: IdVault, who: Actor | KeyScope, op: string, body: { key: string }): IdempotentRequest {
  return { scope: scopeOf(who), key: body.key, hash: requestHash(vault, op, body) };
}

/**
 * The rule's decision for a key that is already recorded: returns when this request is the
 * first one again (answer it as a replay), throws IDEMPOTENCY_KEY_REUSED when it is another.
 * A row from before hashes were kept (stored null) is taken as the first request again.
 */
export function sameRequest(stored: Uint8Array | null | undefined, hash: Buffer): void {
  if (stored && !Buffer.from(stored).equals(hash)) throw new AppError('IDEMPOTENCY_KEY_REUSED', { field: 'key' });
}

/**
 * Runs `write` once per key, inside the caller's transaction `q`. The key is claimed first
 * (INSERT … ON CONFLICT DO NOTHING: a concurrent request with the same key waits here until
 * the first commits or rolls back), then the write runs and its answer is stored with the key.
 * A known key answers the stored first answer, or 409 if the request differs.
 */
export async function once<T>(q: Queryable, req: IdempotentRequest, write: () => Promise<T>): Promise<{ value: T; replay: boolean }> {
  const claimed = await q.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO NOTHING RETURNING 1 AS ok`,
    [req.scope, req.key, req.hash],
  );
  if (claimed.rows.length) {
    const value = await write();
    await q.query(`UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2`, [req.scope, req.key, JSON.stringify(value)]);
    return { value, replay: false };
  }
  const { rows } = await q.query<{ request_hash: Uint8Array; response: T | null }>(
    `SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
    [req.scope, req.key],
  );
  sameRequest(rows[0].request_hash, req.hash);
  // the answer is stored in the claiming transaction, so a committed key always has one
  if (rows[0].response === null) throw new Error(`idempotency key ${req.key} has no stored answer`);
  return { value: rows[0].response, replay: true };
}
