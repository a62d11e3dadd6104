// Gates and checkpoints: places of kind entrance (a compound's gate, or a road checkpoint under a
// street or the district), used by staff of the area they lie in.
import type { Queryable } from '../../db/client.js';
import { sql } from '../../db/sql.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission, within } from '../../platform/scope.js';

export interface Gate {
  id: number;
  name: string;
  path: string;
  /** the place the gate belongs to (a compound, or the street or district of a road checkpoint) */
  parentPath: string;
  parentName: string;
  parentKind: string;
}

/** A gate (a place of kind entrance) in my area, or GATE_NOT_FOUND (the same for "absent" and "not yours"). */
export async function gateInScope(q: Queryable, actor: Actor, id: number, field = 'id'): Promise<Gate> {
  const { rows } = await q.query<Gate>(sql`
    SELECT g.id, g.name, g.path, p.path AS "parentPath", p.name AS "parentName", p.kind AS "parentKind"
      FROM places g JOIN places p ON p.id = g.parent_id
     WHERE g.id = ${id} AND g.kind = 'entrance' AND g.archived_at IS NULL AND ${within(actor.scope, 'g.path')}`);
  if (!rows[0]) throw new AppError('GATE_NOT_FOUND', { field, params: { id } });
  return rows[0];
}

/** The gates of my area (entrances of compounds, road checkpoints). */
export async function listGates(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'gates.check');
  const { rows } = await ctx.db.query<{ id: number; name: string; parent: { id: number; name: string; kind: string } }>(sql`
    SELECT g.id, g.name, json_build_object('id', p.id, 'name', p.name, 'kind', p.kind) AS parent
      FROM places g JOIN places p ON p.id = g.parent_id
     WHERE g.kind = 'entrance' AND g.archived_at IS NULL AND ${within(actor.scope, 'g.path')}
     ORDER BY p.name, g.name LIMIT 500`);
  return { items: rows };
}
