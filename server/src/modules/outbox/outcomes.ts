// What the dispatcher writes back after a send and when a delivery receipt arrives, many rows per
// statement (platform/group-commit.ts): at the SMSC's pace of thousands a second, one UPDATE per
// message was most of the outbox's cost. Each row is written only where its claim still stands
// (status 'sending' and the same attempt count), so a process that overran its lease cannot
// overwrite a newer claim.
import type { Db } from '../../db/client.js';
import { groupCommit, type GroupCommit } from '../../platform/group-commit.js';
import type { ChannelName, DeliveryReceipt } from './channels/channel.js';

export interface Outcome {
  id: string;
  /** the attempt count of the claim this outcome belongs to */
  attempts: number;
  /** sent/delivered/dev: handed over; queued: to be tried again after delaySeconds; failed: for good */
  status: 'sent' | 'delivered' | 'dev' | 'queued' | 'failed';
  providerId?: string;
  delaySeconds?: number;
  failureCode?: string;
  failure?: string;
}

async function writeOutcomes(db: Db, rows: Outcome[]): Promise<void[]> {
  const col = <T>(f: (o: Outcome) => T) => rows.map(f);
  await db.query(
    `UPDATE messages m SET
       status = v.status,
       provider_id = CASE WHEN v.status IN ('sent', 'delivered', 'dev') THEN v.provider_id ELSE m.provider_id END,
       sent_at = CASE WHEN v.status IN ('sent', 'delivered') THEN now() WHEN v.status = 'dev' THEN NULL ELSE m.sent_at END,
       delivered_at = CASE WHEN v.status = 'delivered' THEN now() WHEN v.status IN ('sent', 'dev') THEN NULL ELSE m.delivered_at END,
       next_attempt_at = CASE WHEN v.status = 'queued' THEN now() + make_interval(secs => v.delay) ELSE m.next_attempt_at END,
       failed_at = CASE WHEN v.status = 'failed' THEN now() ELSE m.failed_at END,
       failure_code = v.failure_code,
       failure = v.failure
     FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[])
          AS v(id, attempts, status, provider_id, delay, failure_code, failure)
     WHERE m.id = v.id AND m.status = 'sending' AND m.attempts = v.attempts`,
    [
      col((o) => o.id),
      col((o) => o.attempts),
      col((o) => o.status),
      col((o) => o.providerId ?? null),
      col((o) => o.delaySeconds ?? 0),
      col((o) => o.failureCode ?? null),
      col((o) => o.failure ?? null),
    ],
  );
  return rows.map(() => undefined);
}

export interface ReceiptRow extends DeliveryReceipt {
  channel: ChannelName;
}

/** Applies receipts to the messages with their provider ids; answers, per receipt, whether one matched. */
async function writeReceipts(db: Db, rows: ReceiptRow[]): Promise<boolean[]> {
  const col = <T>(f: (r: ReceiptRow) => T) => rows.map(f);
  const { rows: matched } = await db.query<{ ord: number }>(
    `UPDATE messages m SET status = v.status,
       delivered_at = CASE WHEN v.status = 'delivered' THEN v.at END,
       failed_at = CASE WHEN v.status = 'failed' THEN v.at END,
       failure_code = CASE WHEN v.status = 'failed' THEN 'RECEIPT' END,
       failure = CASE WHEN v.status = 'failed' THEN coalesce(v.reason, 'failed') END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) WITH ORDINALITY AS v(channel, provider_id, status, at, reason, ord)
     WHERE m.channel = v.channel AND m.provider_id = v.provider_id AND m.status IN ('sending', 'sent')
     RETURNING v.ord`,
    [col((r) => r.channel), col((r) => r.providerId), col((r) => r.status), col((r) => r.at.toISOString()), col((r) => r.reason ?? null)],
  );
  const hit = new Set(matched.map((r) => Number(r.ord)));
  return rows.map((_, i) => hit.has(i + 1));
}

export interface OutcomeWriter {
  outcome: GroupCommit<Outcome, void>;
  receipt: GroupCommit<ReceiptRow, boolean>;
}

export function outcomeWriter(db: Db): OutcomeWriter {
  return {
    outcome: groupCommit({ run: (rows) => writeOutcomes(db, rows), inFlight: 2, maxBatch: 500, lingerMs: 5 }),
    receipt: groupCommit({ run: (rows) => writeReceipts(db, rows), inFlight: 1, maxBatch: 500, lingerMs: 5 }),
  };
}
