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
  await q.query(
    `INSERT INTO audit_log (user_id, username, action, entity, entity_id, place_path, detail, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      actor?.id ?? null,
      actor?.username ?? null,
      e.action,
      e.entity ?? null,
      e.entityId === undefined ? null : String(e.entityId),
      e.placePath ?? null,
      e.detail ? redactIdNumbers(JSON.stringify(e.detail)) : null, // a search for an ID number is not kept in plain text
      actor?.ip ?? null,
      actor?.userAgent ?? null,
    ],
  );
}
