// Audit log: every write and every full-record read, with who, when, what and from where.
// Callers pass the transaction they write in, so a change and its audit row land together.
import type { Queryable } from '../db/client.js';
import { redactIdNumbers } from './ids.js';

export interface AuditEntry {
  action: string; // e.g. 'resident.create', 'resident.reveal_id', 'auth.login_failed'
  entity?: string;
  entityId?: string | number;
  placePath?: string | null;
  detail?: Record<string, unknown>;
}

/** Who acted: a signed-in actor, or (failed sign-in) just the name that was tried. */
export interface AuditActor {
  id: number | null;
  username: string | null;
  ip?: string;
  userAgent?: string;
}

export async function audit(q: Queryable, actor: AuditActor | null, e: AuditEntry) {
  await auditMany(q, [{ actor, entry: e }]);
}

/** Many audit rows in one statement (the sign-ins of one batch), in the order given. */
export async function auditMany(q: Queryable, rows: readonly { actor: AuditActor | null; entry: AuditEntry }[]) {
  if (rows.length === 0) return;
  const col = <T>(f: (r: { actor: AuditActor | null; entry: AuditEntry }) => T) => rows.map(f);
  await q.query(
    `INSERT INTO audit_log (user_id, username, action, entity, entity_id, place_path, detail, ip, user_agent)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[])`,
    [
      col((r) => r.actor?.id ?? null),
      col((r) => r.actor?.username ?? null),
      col((r) => r.entry.action),
      col((r) => r.entry.entity ?? null),
      col((r) => (r.entry.entityId === undefined ? null : String(r.entry.entityId))),
      col((r) => r.entry.placePath ?? null),
      // a search for an ID number is not kept in plain text
      col((r) => (r.entry.detail ? redactIdNumbers(JSON.stringify(r.entry.detail)) : null)),
      col((r) => r.actor?.ip ?? null),
      col((r) => r.actor?.userAgent ?? null),
    ],
  );
}
