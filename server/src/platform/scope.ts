// The place-scope rule: a staff member sees only what lies under their place. Every query
// that reads people or places takes the actor's scope path into its WHERE clause; these
// helpers are the only way routes turn an id into a row.
import type { Queryable } from '../db/client.js';
import type { Actor } from './context.js';
import { AppError } from './errors.js';
import { can, type Permission } from './permissions.js';

export function inScope(actor: Actor, path: string): boolean {
  return path.startsWith(actor.scopePath);
}

/** Throws FORBIDDEN unless the actor's role has the permission. */
export function requirePermission(actor: Actor, permission: Permission) {
  if (!can(actor.role, permission)) throw new AppError('FORBIDDEN');
}

export interface PlaceRow {
  id: number;
  parent_id: number | null;
  kind: string;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  floors: number | null;
  archived_at: string | null;
}

/** Loads a live place the actor may see, or throws PLACE_NOT_FOUND (same answer for "absent" and "not yours"). */
export async function placeInScope(q: Queryable, actor: Actor, id: number, field = 'placeId'): Promise<PlaceRow> {
  const { rows } = await q.query<PlaceRow>(
    `SELECT id, parent_id, kind, name, code, path, depth, floors, archived_at FROM places
     WHERE id = $1 AND archived_at IS NULL AND path LIKE $2 || '%'`,
    [id, actor.scopePath],
  );
  if (!rows[0]) throw new AppError('PLACE_NOT_FOUND', { field, params: { id } });
  return rows[0];
}

/** Ids from a path '/1/5/23/' → [1, 5, 23]. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}
