// Reading the audit log. Scoped like everything else: a command center sees entries about
// places under it (and entries with no place, such as sign-ins of its own staff).
import type { Actor, AppContext } from '../../platform/context.js';
import { empty, join, sql, type Sql } from '../../db/sql.js';
import { requirePermission, within } from '../../platform/scope.js';
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
  const where: Sql[] = [];
  if (actor.role !== 'admin') {
    // Entries about a place under mine, or with no place made by staff under mine (their sign-ins).
    where.push(sql`(${within(actor.scope, 'a.place_path')} OR (a.place_path IS NULL AND a.user_id IN
      (SELECT u.id FROM users u JOIN places p ON p.id = u.place_id WHERE ${within(actor.scope, 'p.path')})))`);
  }
  if (f.username) where.push(sql`a.username = ${f.username}`);
  if (f.action) where.push(f.action.endsWith('.') ? sql`a.action LIKE ${f.action} || '%'` : sql`a.action = ${f.action}`);
  if (f.entity) where.push(sql`a.entity = ${f.entity}`);
  if (f.entityId) where.push(sql`a.entity_id = ${f.entityId}`);
  if (f.from) where.push(sql`a.at >= ${f.from}`);
  if (f.to) where.push(sql`a.at < ${f.to}`);
  const before = decodeCursor(f.cursor);
  if (before !== null) where.push(sql`a.id < ${before}`);
  const { rows } = await ctx.db.query<{
    id: number; at: string; user_id: number | null; username: string | null; action: string; entity: string | null;
    entity_id: string | null; place_path: string | null; detail: unknown; ip: string | null;
  }>(
    sql`SELECT a.id, a.at, a.user_id, a.username, a.action, a.entity, a.entity_id, a.place_path, a.detail, a.ip
          FROM audit_log a ${where.length ? sql`WHERE ${join(where, ' AND ')}` : empty} ORDER BY a.id DESC LIMIT ${f.limit + 1}`,
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
