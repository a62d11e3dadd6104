// The place-scope rule, in one place. A staff member works in an area: the materialised path
// of their place ('/1/5/23/'; '/' for the administrator). Every row that belongs somewhere
// carries the path of its place, and every read puts the rule into its own WHERE clause with
// the fragments below — never a filter after the query, so a LIMIT or a count cannot leak.
//
// Two reaches, and reads and writes are different rights:
// - within: the row lies in the actor's area (a grid worker and their grid's residents);
// - overlapping: the row's place also contains the actor's area (a community officer sees the
//   street-wide campaign that covers their community). Only reads may use it, and only for the
//   kinds of object SCOPE_RULES lets; a write to an object that merely overlaps is refused.
import { raw, type Sql } from 'sql-template-tag';
import { sql } from '../db/sql.js';
import type { Queryable } from '../db/client.js';
import type { Actor } from './context.js';
import { AppError } from './errors.js';
import { can, type Permission } from './permissions.js';

declare const scopeBrand: unique symbol;

/** An actor's area. Only sign-in mints one (mintScope, called by auth.ts), so a query that demands a Scope
 * cannot be handed a path typed by hand. */
export interface Scope {
  readonly path: string;
  readonly [scopeBrand]: true;
}

/** For auth.ts (sessions) and the demo seed's own actor; a lint rule keeps it out of every other file. */
export function mintScope(path: string): Scope {
  if (!/^\/(\d+\/)*$/.test(path)) throw new Error(`not a place path: ${path}`);
  return { path } as Scope;
}

export type Reach = 'within' | 'overlapping';
export type Access = 'read' | 'write';

/**
 * What reach each kind of object allows, for reading and for writing. A kind not listed is
 * read and written within the area only. The one place that says a write may reach further.
 */
export const SCOPE_RULES = {
  /** A campaign (and its rounds, schedule and coverage) covering a street is read by the communities in it; only the street and above change it. */
  campaign: { read: 'overlapping', write: 'within' },
  /** A site on a compound square serves the grids around it; grid staff see it, officers over it run it. */
  site: { read: 'overlapping', write: 'within' },
  /** A schedule slot for a building is read by the grid worker whose grid is in it; the planners change it. */
  slot: { read: 'overlapping', write: 'within' },
  /** Tubes and boxes belong to the site that sampled them: staff whose area holds the site seal, pack, hand over
   * and report them. A tube is also read by those whose residents it holds (tubeReach in testing/scans.ts): a
   * grid worker under a compound site sees the tubes of their own people, not a tube of another grid's. */
  tube: { read: 'within', write: 'within' },
  box: { read: 'overlapping', write: 'within' },
  /** A zone on a compound is read by the grid workers and gates inside it (what holds where they work); only those over the place declare, step down or lift it. */
  zone: { read: 'overlapping', write: 'within' },
  /** A sampler works at a lane of a site in their area. */
  lane: { read: 'overlapping', write: 'within' },
} as const satisfies Record<string, Record<Access, Reach>>;
export type ScopedKind = keyof typeof SCOPE_RULES;

/** SQL: the place path in `column` lies within the area. */
export function within(scope: Scope, column: string): Sql {
  return sql`${raw(column)} LIKE ${scope.path} || '%'`;
}

/** SQL: the place path in `column` lies within the area or contains it. */
export function overlapping(scope: Scope, column: string): Sql {
  return sql`(${raw(column)} LIKE ${scope.path} || '%' OR ${scope.path}::text LIKE ${raw(column)} || '%')`;
}

/** SQL: narrows a read to a place already loaded in scope (placeInScope); never a scope by itself. */
export function beneath(place: Pick<PlaceRow, 'path'>, column: string): Sql {
  return sql`${raw(column)} LIKE ${place.path} || '%'`;
}

/** SQL: within the area and under the place asked about (the part of it in my area); the whole area when none is asked. */
export function withinPlace(scope: Scope, place: Pick<PlaceRow, 'path'> | null, column: string): Sql {
  return place ? sql`${within(scope, column)} AND ${beneath(place, column)}` : within(scope, column);
}

/** SQL: the scope predicate a kind of object allows for this access (SCOPE_RULES). */
export function reach(scope: Scope, kind: ScopedKind, access: Access, column: string): Sql {
  return SCOPE_RULES[kind][access] === 'overlapping' ? overlapping(scope, column) : within(scope, column);
}

/** The same rule for a path already read (an object loaded under the read rule, now about to be written). */
export function reaches(scope: Scope, kind: ScopedKind, access: Access, path: string): boolean {
  const inside = path.startsWith(scope.path);
  return SCOPE_RULES[kind][access] === 'overlapping' ? inside || scope.path.startsWith(path) : inside;
}

/** Throws FORBIDDEN unless the actor's role has the permission. */
export function requirePermission(actor: Actor, permission: Permission) {
  if (!can(actor.role, permission)) throw new AppError('FORBIDDEN');
}

/** Whether an answer may carry people's names, phones, addresses and masked IDs: only for roles that read the registry
 * (a lab operator sees tubes and results; a volunteer counts, a grid worker knocks). */
export function seesPeople(actor: Actor): boolean {
  return can(actor.role, 'registry.read');
}

/**
 * Whether answers may carry the facts an ID number is made of: the full birth date and the
 * four-character mask (registry.reveal). Everyone else gets an age and narrowMask's form, so
 * no combination of fields in an answer gives back an ID number the caller may not reveal.
 */
export function seesIdFacts(actor: Actor): boolean {
  return can(actor.role, 'registry.reveal');
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
    sql`SELECT id, parent_id, kind, name, code, path, depth, floors, archived_at FROM places
         WHERE id = ${id} AND archived_at IS NULL AND ${within(actor.scope, 'path')}`,
  );
  if (!rows[0]) throw new AppError('PLACE_NOT_FOUND', { field, params: { id } });
  return rows[0];
}

/** Ids from a path '/1/5/23/' → [1, 5, 23]. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}
