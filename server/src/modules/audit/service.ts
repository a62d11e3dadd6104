// Reading the audit log. Scoped like everything else: a command center sees entries about
// places under it (and entries with no place, such as sign-ins of its own staff).
import type { Actor, AppContext } from '../../platform/context.js';
import { requirePermission } from '../../platform/scope.js';
import { decodeCursor, encodeCursor } from '../../platform/paging.js';

export interface AuditFilter {
  username?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

export async function listAudit(ctx: AppContext, actor: Actor, f: AuditFilter) {
  requirePermission(actor, 'audit.read');
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (actor.role !== 'admin') {
    where.push(`(a.place_path LIKE ${add(actor.scopePath)} || '%' OR (a.place_path IS NULL AND a.user_id IN
      (SELECT u.id FROM users u JOIN places p ON p.id = u.place_id WHERE p.path LIKE ${add(actor.scopePath)} || '%')))`);
  }
  if (f.username) where.push(`a.username = ${add(f.username)}`);
  if (f.action) where.push(f.action.endsWith('.') ? `a.action LIKE ${add(f.action)} || '%'` : `a.action = ${add(f.action)}`);
  if (f.entity) where.push(`a.entity = ${add(f.entity)}`);
  if (f.entityId) where.push(`a.entity_id = ${add(f.entityId)}`);
  if (f.from) where.push(`a.at >= ${add(f.from)}`);
  if (f.to) where.push(`a.at < ${add(f.to)}`);
  const before = decodeCursor(f.cursor);
  if (before !== null) where.push(`a.id < ${add(before)}`);
  const { rows } = await ctx.db.query<{
    id: number; at: string; user_id: number | null; username: string | null; action: string; entity: string | null;
    entity_id: string | null; place_path: string | null; detail: unknown; ip: string | null;
  }>(
    `SELECT a.id, a.at, a.user_id, a.username, a.action, a.entity, a.entity_id, a.place_path, a.detail, a.ip
       FROM audit_log a ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY a.id DESC LIMIT ${f.limit + 1}`,
    params,
  );
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => ({
      id: Number(r.id), at: new Date(r.at).toISOString(), userId: r.user_id, username: r.username, action: r.action,
      entity: r.entity, entityId: r.entity_id, placePath: r.place_path, detail: r.detail, ip: r.ip,
    })),
    nextCursor: rows.length > f.limit ? encodeCursor(Number(page.at(-1)!.id)) : null,
  };
}
