// Places (地点): the district hierarchy. Create, rename, move, archive, and counts of
// households and residents under any node, all within the caller's scope.
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { forgetSessions } from '../../platform/auth.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, type Messages } from '../../platform/errors.js';
import { raw, sql } from '../../db/sql.js';
import { pathIds, placeInScope, requirePermission, within, type PlaceRow } from '../../platform/scope.js';

export const PLACE_KINDS = ['district', 'street', 'community', 'compound', 'grid', 'building', 'unit', 'entrance'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Which kinds may sit directly under which. A building may skip the grid level. */
export const ALLOWED_PARENTS: Record<PlaceKind, PlaceKind[]> = {
  district: [],
  street: ['district'],
  community: ['street'],
  compound: ['community'],
  grid: ['compound'],
  building: ['grid', 'compound'],
  unit: ['building'],
  // a compound's gate, or a road checkpoint (卡口) under a street or the district
  entrance: ['compound', 'street', 'district'],
};

export const KIND_LABELS: Record<PlaceKind, Messages> = {
  district: { 'zh-CN': '区', 'en-US': 'district' },
  street: { 'zh-CN': '街道/镇', 'en-US': 'street' },
  community: { 'zh-CN': '社区/村', 'en-US': 'community' },
  compound: { 'zh-CN': '小区', 'en-US': 'compound' },
  grid: { 'zh-CN': '网格', 'en-US': 'grid' },
  building: { 'zh-CN': '楼栋', 'en-US': 'building' },
  unit: { 'zh-CN': '单元', 'en-US': 'unit' },
  entrance: { 'zh-CN': '出入口', 'en-US': 'entrance' },
};

export interface Place {
  id: number;
  parentId: number | null;
  kind: PlaceKind;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  floors: number | null;
}

export interface PlaceWithCounts extends Place {
  households: number;
  residents: number;
  children: number;
}

function present(r: PlaceRow): Place {
  return { id: r.id, parentId: r.parent_id, kind: r.kind as PlaceKind, name: r.name, code: r.code, path: r.path, depth: r.depth, floors: r.floors };
}

/** Places with their counts; one grouped scan per table over the parent's subtree. */
async function withCounts(q: Queryable, places: PlaceRow[]): Promise<PlaceWithCounts[]> {
  if (!places.length) return [];
  const paths = places.map((p) => p.path);
  const count = async (table: 'households' | 'residents') => {
    const extra = table === 'residents' ? 'AND t.archived_at IS NULL' : '';
    const { rows } = await q.query<{ path: string; n: number }>(
      `SELECT p.path, (SELECT count(*) FROM ${table} t WHERE t.place_path LIKE p.path || '%' ${extra}) AS n
         FROM unnest($1::text[]) AS p(path)`,
      [paths],
    );
    return new Map(rows.map((r) => [r.path, r.n]));
  };
  const [households, residents, children] = [await count('households'), await count('residents'), await childCounts(q, places)];
  return places.map((p) => ({
    ...present(p),
    households: households.get(p.path) ?? 0,
    residents: residents.get(p.path) ?? 0,
    children: children.get(p.id) ?? 0,
  }));
}

async function childCounts(q: Queryable, places: PlaceRow[]) {
  const { rows } = await q.query<{ parent_id: number; n: number }>(
    `SELECT parent_id, count(*) AS n FROM places WHERE parent_id = ANY($1::int[]) AND archived_at IS NULL GROUP BY parent_id`,
    [places.map((p) => p.id)],
  );
  return new Map(rows.map((r) => [r.parent_id, r.n]));
}

const COLS = 'id, parent_id, kind, name, code, path, depth, floors, archived_at';

/** The top of what the actor may see: their own place, or every district for the administrator. */
export async function roots(ctx: AppContext, actor: Actor): Promise<PlaceWithCounts[]> {
  requirePermission(actor, 'registry.read');
  const { rows } =
    actor.placeId === null
      ? await ctx.db.query<PlaceRow>(`SELECT ${COLS} FROM places WHERE parent_id IS NULL AND archived_at IS NULL ORDER BY id`)
      : await ctx.db.query<PlaceRow>(`SELECT ${COLS} FROM places WHERE id = $1`, [actor.placeId]);
  return withCounts(ctx.db, rows);
}

export async function getPlace(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'registry.read');
  const row = await placeInScope(ctx.db, actor, id, 'id');
  const [place] = await withCounts(ctx.db, [row]);
  // Breadcrumbs: ancestors the actor may see (from their scope root down).
  const ancestorIds = pathIds(row.path).slice(0, -1);
  const { rows } = await ctx.db.query<PlaceRow>(
    sql`SELECT ${raw(COLS)} FROM places WHERE id = ANY(${ancestorIds}::int[]) AND ${within(actor.scope, 'path')} ORDER BY depth`,
  );
  return { place, ancestors: rows.map(present) };
}

export async function children(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'registry.read');
  await placeInScope(ctx.db, actor, id, 'id');
  const { rows } = await ctx.db.query<PlaceRow>(
    `SELECT ${COLS} FROM places WHERE parent_id = $1 AND archived_at IS NULL ORDER BY kind, length(name), name`,
    [id],
  );
  return withCounts(ctx.db, rows);
}

function assertParentKind(kind: PlaceKind, parent: PlaceRow | null) {
  const parentKind = (parent?.kind ?? 'none') as PlaceKind;
  const ok = parent ? ALLOWED_PARENTS[kind].includes(parentKind) : kind === 'district';
  if (!ok) {
    throw new AppError('PLACE_BAD_PARENT', {
      field: 'parentId',
      params: { kind: KIND_LABELS[kind]['zh-CN'] + ' / ' + kind, parentKind: parent ? `${KIND_LABELS[parentKind]['zh-CN']} / ${parentKind}` : '—' },
    });
  }
}

async function assertNameFree(q: Queryable, parentId: number | null, name: string, exceptId?: number) {
  const { rows } = await q.query(
    `SELECT 1 FROM places WHERE coalesce(parent_id, 0) = coalesce($1::int, 0) AND name = $2 AND archived_at IS NULL AND id <> coalesce($3::int, 0)`,
    [parentId, name, exceptId ?? null],
  );
  if (rows.length) throw new AppError('PLACE_NAME_TAKEN', { field: 'name', params: { name } });
}

export interface NewPlace {
  parentId: number | null;
  kind: PlaceKind;
  name: string;
  code?: string | null;
  floors?: number | null;
}

/** Inserts a place under an already-checked parent, setting its materialised path. */
export async function insertPlace(q: Queryable, parent: Pick<PlaceRow, 'id' | 'path' | 'depth'> | null, p: NewPlace): Promise<PlaceRow> {
  const { rows: ins } = await q.query<{ id: number }>(
    `INSERT INTO places (parent_id, kind, name, code, floors, path, depth) VALUES ($1, $2, $3, $4, $5, '', $6) RETURNING id`,
    [parent?.id ?? null, p.kind, p.name, p.code ?? null, p.floors ?? null, parent ? parent.depth + 1 : 0],
  );
  // The path names the row's own id, known only after the insert.
  const { rows } = await q.query<PlaceRow>(`UPDATE places SET path = $2 || id || '/' WHERE id = $1 RETURNING ${COLS}`, [
    ins[0].id,
    parent?.path ?? '/',
  ]);
  return rows[0];
}

export async function createPlace(ctx: AppContext, actor: Actor, input: NewPlace) {
  const name = input.name.trim();
  if (input.parentId === null) {
    // New districts are the administrator's to create.
    if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
  } else requirePermission(actor, 'places.write');
  return ctx.db.tx(async (q) => {
    const parent = input.parentId === null ? null : await placeInScope(q, actor, input.parentId, 'parentId');
    assertParentKind(input.kind, parent);
    await assertNameFree(q, input.parentId, name);
    const row = await insertPlace(q, parent, { ...input, name });
    await audit(q, actor, { action: 'place.create', entity: 'place', entityId: row.id, placePath: row.path, detail: { kind: row.kind, name } });
    return (await withCounts(q, [row]))[0];
  });
}

export async function updatePlace(ctx: AppContext, actor: Actor, id: number, patch: { name?: string; code?: string | null; floors?: number | null }) {
  requirePermission(actor, 'places.write');
  return ctx.db.tx(async (q) => {
    const place = await placeInScope(q, actor, id, 'id');
    if (place.id === actor.placeId) throw new AppError('FORBIDDEN');
    const name = patch.name?.trim();
    if (name && name !== place.name) await assertNameFree(q, place.parent_id, name, id);
    const { rows } = await q.query<PlaceRow>(
      `UPDATE places SET name = coalesce($2, name), code = CASE WHEN $3::boolean THEN $4 ELSE code END,
         floors = CASE WHEN $5::boolean THEN $6::int ELSE floors END, updated_at = now()
       WHERE id = $1 RETURNING ${COLS}`,
      [id, name ?? null, patch.code !== undefined, patch.code ?? null, patch.floors !== undefined, patch.floors ?? null],
    );
    await audit(q, actor, { action: 'place.rename', entity: 'place', entityId: id, placePath: place.path, detail: { from: place.name, ...patch } });
    return (await withCounts(q, rows))[0];
  });
}

/** Moves a place (and everything under it) to a new parent: the paths of places and of every table a module declares follow. */
export async function movePlace(ctx: AppContext, actor: Actor, id: number, parentId: number) {
  requirePermission(actor, 'places.write');
  return ctx.db.tx(async (q) => {
    const place = await placeInScope(q, actor, id, 'id');
    if (place.id === actor.placeId) throw new AppError('FORBIDDEN');
    const parent = await placeInScope(q, actor, parentId, 'parentId');
    if (parent.path.startsWith(place.path)) throw new AppError('PLACE_MOVE_CYCLE', { field: 'parentId' });
    assertParentKind(place.kind as PlaceKind, parent);
    await assertNameFree(q, parent.id, place.name, id);
    const newPath = `${parent.path}${place.id}/`;
    const depthDelta = parent.depth + 1 - place.depth;
    const oldLen = place.path.length;
    await q.query(`UPDATE places SET parent_id = $2, updated_at = now() WHERE id = $1`, [id, parent.id]);
    await q.query(
      `UPDATE places SET path = $2 || substr(path, $3 + 1), depth = depth + $4 WHERE path LIKE $1 || '%'`,
      [place.path, newPath, oldLen, depthDelta],
    );
    for (const table of ctx.modules.flatMap((m) => m.placePathTables)) {
      await q.query(`UPDATE ${table} SET place_path = $2 || substr(place_path, $3 + 1) WHERE place_path LIKE $1 || '%'`, [
        place.path,
        newPath,
        oldLen,
      ]);
    }
    await audit(q, actor, {
      action: 'place.move',
      entity: 'place',
      entityId: id,
      placePath: newPath,
      detail: { fromParentId: place.parent_id, toParentId: parent.id },
    });
    const { rows } = await q.query<PlaceRow>(`SELECT ${COLS} FROM places WHERE id = $1`, [id]);
    return (await withCounts(q, rows))[0];
  }).finally(() => forgetSessions(ctx)); // staff scoped under the moved place have new scope paths
}

/** Archives an empty place and its empty sub-places; a place with residents must be emptied first. */
export async function archivePlace(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'places.write');
  return ctx.db.tx(async (q) => {
    const place = await placeInScope(q, actor, id, 'id');
    if (place.id === actor.placeId) throw new AppError('FORBIDDEN');
    const { rows } = await q.query<{ n: number }>(
      `SELECT count(*) AS n FROM residents WHERE place_path LIKE $1 || '%' AND archived_at IS NULL`,
      [place.path],
    );
    if (rows[0].n > 0) throw new AppError('PLACE_NOT_EMPTY', { params: { count: rows[0].n } });
    await q.query(`UPDATE places SET archived_at = now(), updated_at = now() WHERE path LIKE $1 || '%' AND archived_at IS NULL`, [place.path]);
    await audit(q, actor, { action: 'place.archive', entity: 'place', entityId: id, placePath: place.path, detail: { name: place.name } });
    return { ok: true };
  });
}
