// Putting messages in the outbox. Callers write them in the transaction of what caused them (a
// sign-in code request, a notice, a recorded result), so a message exists exactly when its cause
// does; delivery (deliver.ts) happens after, on the job runner. Nothing here talks to a peer.
import type { Queryable } from '../../db/client.js';
import { join, raw, sql, type Sql } from '../../db/sql.js';
import type { ChannelName } from './channels/channel.js';

export interface MessageDraft {
  channel: ChannelName;
  /** In the channel's own terms (channels/channel.ts): a mobile number, a URL, `resident:<id>` / `user:<id>`. */
  address: string;
  body: string;
  subject?: string;
  residentId?: number;
  userId?: number;
  /** the language the body is written in (BCP 47, as residents.language) */
  language?: string;
  /** what made it ('otp', 'notice', 'result', …) and which one */
  source: string;
  sourceId?: string;
  /** the same key is queued once (a retried request answers with the first message's id) */
  dedupeKey?: string;
}

/** Queues messages; answers their ids in order (for a duplicate dedupe key, the id queued first). */
export async function queueMessages(q: Queryable, drafts: readonly MessageDraft[]): Promise<string[]> {
  if (drafts.length === 0) return [];
  const values = drafts.map(
    (d) => sql`(${d.channel}, ${d.address}, ${d.body}, ${d.subject ?? null}, ${d.residentId ?? null}::int, ${d.userId ?? null}::int,
      ${d.language ?? 'zh-CN'}, ${d.source}, ${d.sourceId ?? null}, ${d.dedupeKey ?? null})`,
  );
  await q.query(sql`
    INSERT INTO messages (channel, address, body, subject, resident_id, user_id, language, source, source_id, dedupe_key)
    VALUES ${join(values)}
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const keyed = drafts.filter((d) => d.dedupeKey).map((d) => d.dedupeKey!);
  // Ids of keyed drafts are read back by key (the first queued wins); unkeyed ones cannot be
  // told apart after the fact, so a caller that needs their ids gives them keys.
  const byKey = new Map<string, string>();
  if (keyed.length) {
    const { rows } = await q.query<{ id: string; dedupe_key: string }>(
      sql`SELECT id, dedupe_key FROM messages WHERE dedupe_key = ANY(${keyed})`,
    );
    for (const r of rows) byKey.set(r.dedupe_key, r.id);
  }
  return drafts.map((d) => (d.dedupeKey ? byKey.get(d.dedupeKey) ?? '' : ''));
}

/** The channels a message to a resident can take, addressed from the registry. */
export type ResidentChannel = 'sms' | 'inapp';

export interface ResidentMessages {
  /**
   * One row per message: `resident_id int, body text, subject text (or NULL), dedupe_key text (or NULL)`.
   * The body is already in the resident's language (the caller joins residents.language).
   */
  rows: Sql;
  channel: ResidentChannel;
  source: string;
  sourceId?: string;
}

/** How each channel addresses a resident (SQL over `r`, a residents row), and why it cannot when the address is missing. */
export const RESIDENT_ADDRESS: Record<ResidentChannel, { address: string; missing: { code: string; text: string } }> = {
  // a mainland mobile number; a landline or an empty field cannot take an SMS
  sms: {
    address: `CASE WHEN r.phone ~ '^1[3-9][0-9]{9}$' THEN r.phone END`,
    missing: { code: 'NO_MOBILE_NUMBER', text: 'no mobile number / 无手机号码' },
  },
  inapp: { address: `'resident:' || r.id`, missing: { code: 'NO_ADDRESS', text: 'no address' } },
};

export interface QueuedCount {
  /** messages now waiting to be sent */
  queued: number;
  /** residents the channel cannot reach (no mobile number): written as failed, with the reason, so the report counts them */
  unreachable: number;
}

/**
 * Queues one message per row in a single INSERT … SELECT, so a notice to a million residents is
 * one statement, not a million round trips. Archived residents are skipped; a duplicate dedupe
 * key is skipped (a resent notice does not reach anyone twice).
 */
export async function queueForResidents(q: Queryable, spec: ResidentMessages): Promise<QueuedCount> {
  const how = RESIDENT_ADDRESS[spec.channel];
  const address = raw(how.address);
  const { rows } = await q.query<{ queued: number; unreachable: number }>(sql`
    WITH added AS (
      INSERT INTO messages (channel, resident_id, address, body, subject, language, source, source_id, dedupe_key,
                            status, failure_code, failure, failed_at)
      SELECT ${spec.channel}, r.id, coalesce(a.address, ''), m.body, m.subject, r.language, ${spec.source},
             ${spec.sourceId ?? null}, m.dedupe_key,
             CASE WHEN a.address IS NULL THEN 'failed' ELSE 'queued' END,
             CASE WHEN a.address IS NULL THEN ${how.missing.code} END,
             CASE WHEN a.address IS NULL THEN ${how.missing.text} END,
             CASE WHEN a.address IS NULL THEN now() END
      FROM (${spec.rows}) m (resident_id, body, subject, dedupe_key)
      JOIN residents r ON r.id = m.resident_id AND r.archived_at IS NULL
      CROSS JOIN LATERAL (SELECT ${address} AS address) a
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING status)
    SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued,
           count(*) FILTER (WHERE status = 'failed')::int AS unreachable
    FROM added`);
  return rows[0];
}
