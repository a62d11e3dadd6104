// Posted notices (migration 0012): an in-app notice to a place — everyone under a community, a
// building, a grid — is one row, read by every resident under the place on their home page in
// their own language, like a notice on the building's board. Writing it is O(1) however many
// live there (a district notice to a million residents is a posting, not a million-row insert);
// the live stream hears one event per notice and each resident's stream checks its own path.
// Who has read it is per resident (notice_reads), for the delivery report and the resend of the
// unread by SMS. A list (a round's missing or recall list) names people, so it stays per-person
// messages in the outbox.
import type { Queryable } from '../../db/client.js';
import { sql, type Sql } from '../../db/sql.js';
import type { EventBus } from '../../platform/events.js';
import { ancestorName, fill, storedTemplate } from './templates.js';

/** Published after the commit of a posted notice: every resident stream under the path tells its page. */
export const NOTICE_POSTED_TOPIC = 'notices.posted';

export interface NoticePosted {
  noticeId: number;
  placePath: string;
}

/** Targets that are a place (everyone under it now), so their in-app channel is posted. */
export const POSTED_TARGETS: readonly string[] = ['place', 'slot'];

/** A posted notice's id on the resident's pages, beside the outbox's message uuids. */
export const postedNoticeId = (id: number) => `notice-${id}`;
export const POSTED_NOTICE_ID = /^notice-([1-9][0-9]{0,9})$/;

export function publishPosted(events: EventBus, posted: readonly NoticePosted[]): void {
  for (const p of posted) events.publish(NOTICE_POSTED_TOPIC, { ...p });
}

/**
 * SQL: the posted notices the resident reads (under whose place they live now), as rows of
 * (id text, subject text, body text, at timestamptz, read_at timestamptz), the body filled for
 * them in their language.
 */
export function postedNoticesOf(residentId: number): Sql {
  return sql`SELECT 'notice-' || nt.id AS id, NULL::text AS subject, ${fill(storedTemplate)} AS body, nt.created_at AS at, nr.read_at
    FROM residents r
    CROSS JOIN LATERAL (SELECT ${ancestorName('building', 'r.place_path')} AS building, ${ancestorName('community', 'r.place_path')} AS community) n
    JOIN notices nt ON nt.posted AND r.place_path LIKE nt.place_path || '%'
    LEFT JOIN notice_reads nr ON nr.notice_id = nt.id AND nr.resident_id = r.id
    WHERE r.id = ${residentId} AND r.archived_at IS NULL`;
}

/** Marks a posted notice read by the resident; false when it is not one they can read. */
export async function markPostedRead(q: Queryable, residentId: number, noticeId: number): Promise<boolean> {
  const { rows } = await q.query<{ n: number }>(
    sql`WITH seen AS (
          SELECT nt.id AS notice_id, r.id AS resident_id FROM notices nt
            JOIN residents r ON r.id = ${residentId} AND r.archived_at IS NULL AND r.place_path LIKE nt.place_path || '%'
           WHERE nt.id = ${noticeId} AND nt.posted),
        marked AS (INSERT INTO notice_reads (notice_id, resident_id) SELECT notice_id, resident_id FROM seen ON CONFLICT DO NOTHING)
        SELECT count(*)::int AS n FROM seen`,
  );
  return rows[0].n > 0;
}

/** How many have read a posted notice. */
export async function postedReads(q: Queryable, noticeId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM notice_reads WHERE notice_id = ${noticeId}`);
  return rows[0].n;
}
