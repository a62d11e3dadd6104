// Households (户) and residents (居民): create, edit, search, read, reveal — always within
// the caller's place scope. A resident outside the scope is indistinguishable from one
// that does not exist.
import { residentCode } from '../../platform/codes.js';
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { ID_TYPES, maskPhone, narrowMask, type IdType } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/paging.js';
import { empty, join, raw, sql, type Sql } from '../../db/sql.js';
import { pathIds, placeInScope, requirePermission, seesIdFacts, within, withinPlace } from '../../platform/scope.js';
import { residentNameMatch } from './name-search.js';
import { RESIDENT_COLUMNS, residentRow, validateResident, type ResidentInput, type ResidentValues } from './resident-input.js';

export const CARE_FLAGS = ['elderlyAlone', 'mobilityImpaired', 'pregnant', 'chronicIllness', 'infant'] as const;
export type CareFlag = (typeof CARE_FLAGS)[number];
const FLAG_COLUMNS: Record<CareFlag, string> = {
  elderlyAlone: 'elderly_alone',
  mobilityImpaired: 'mobility_impaired',
  pregnant: 'pregnant',
  chronicIllness: 'chronic_illness',
  infant: 'infant',
};

interface ResidentRow {
  id: number;
  household_id: number | null;
  place_path: string;
  name: string;
  id_type: IdType;
  id_masked: string;
  sex: 'male' | 'female' | null;
  birth_date: string | null;
  phone: string | null;
  nationality: string;
  language: string;
  tenancy: string;
  elderly_alone: boolean;
  mobility_impaired: boolean;
  pregnant: boolean;
  due_date: string | null;
  chronic_illness: boolean;
  infant: boolean;
  room: string | null;
  created_at: string;
  updated_at: string;
}

export interface Resident {
  id: number;
  householdId: number | null;
  name: string;
  idType: IdType;
  idMasked: string;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  age: number | null;
  phone: string | null;
  nationality: string;
  language: string;
  tenancy: string;
  elderlyAlone: boolean;
  mobilityImpaired: boolean;
  pregnant: boolean;
  dueDate: string | null;
  chronicIllness: boolean;
  infant: boolean;
  address: string;
  placeId: number | null;
  placePath: string;
  gridId: number | null;
  gridName: string | null;
  createdAt: string;
  updatedAt: string;
}

const SELECT = `SELECT r.id, r.household_id, r.place_path, r.name, r.id_type, r.id_masked, r.sex, r.birth_date, r.phone,
  r.nationality, r.language, r.tenancy, r.elderly_alone, r.mobility_impaired, r.pregnant, r.due_date, r.chronic_illness,
  r.infant, h.room, r.created_at, r.updated_at
  FROM residents r LEFT JOIN households h ON h.id = r.household_id`;

export function ageOn(birthDate: string | null, today = new Date()): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age--;
  return age;
}

type PlaceNames = Map<number, { kind: string; name: string }>;

/** Names of every place on the given paths, in one query, for addresses and grid names. */
export async function placeNames(q: Queryable, paths: string[]): Promise<PlaceNames> {
  const ids = [...new Set(paths.flatMap(pathIds))];
  if (!ids.length) return new Map();
  const { rows } = await q.query<{ id: number; kind: string; name: string }>(
    'SELECT id, kind, name FROM places WHERE id = ANY($1::int[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { kind: r.kind, name: r.name }]));
}

/** The kinds of place an address names, from the compound down. */
const ADDRESS_KINDS = ['compound', 'building', 'unit'];

/** SQL naming the compound, building and unit on a path, in that order: addressOf without the room, for a list that should not wait on a second query. */
export function addressPlacesSql(pathColumn: string): string {
  return `(SELECT string_agg(ap.name, ' ' ORDER BY ap.depth) FROM places ap
           WHERE ap.id = ANY(string_to_array(btrim(${pathColumn}, '/'), '/')::int[]) AND ap.kind IN (${ADDRESS_KINDS.map((k) => `'${k}'`).join(', ')}))`;
}

/** '幸福里小区 3号楼 2单元 502' — from the compound down. */
export function addressOf(path: string, room: string | null, names: PlaceNames): string {
  const parts = pathIds(path)
    .map((id) => names.get(id))
    .filter((p) => p && ADDRESS_KINDS.includes(p.kind))
    .map((p) => p!.name);
  if (room) parts.push(room);
  return parts.join(' ');
}

function present(r: ResidentRow, names: PlaceNames, fullPhone: boolean, idFacts: boolean): Resident {
  const ids = pathIds(r.place_path);
  const gridId = ids.find((id) => names.get(id)?.kind === 'grid') ?? null;
  return {
    id: r.id,
    householdId: r.household_id,
    name: r.name,
    idType: r.id_type,
    idMasked: idFacts ? r.id_masked : narrowMask(r.id_masked),
    sex: r.sex,
    birthDate: idFacts ? r.birth_date : null, // an age only: with the date, the mask gives back the number
    age: ageOn(r.birth_date),
    phone: fullPhone ? r.phone : maskPhone(r.phone),
    nationality: r.nationality,
    language: r.language,
    tenancy: r.tenancy,
    elderlyAlone: r.elderly_alone,
    mobilityImpaired: r.mobility_impaired,
    pregnant: r.pregnant,
    dueDate: r.due_date,
    chronicIllness: r.chronic_illness,
    infant: r.infant,
    address: addressOf(r.place_path, r.room, names),
    placeId: ids.at(-1) ?? null,
    placePath: r.place_path,
    gridId,
    gridName: gridId ? names.get(gridId)!.name : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

async function presentAll(q: Queryable, actor: Actor, rows: ResidentRow[], fullPhone: boolean) {
  const names = await placeNames(q, rows.map((r) => r.place_path));
  const idFacts = seesIdFacts(actor);
  return rows.map((r) => present(r, names, fullPhone, idFacts));
}

// ---------------------------------------------------------------- search

export interface ResidentFilter {
  q?: string;
  name?: string;
  phone?: string;
  idNumber?: string;
  placeId?: number;
  tenancy?: string;
  flags?: CareFlag[];
}

/** Blind indexes of a typed ID number under every document type it could be. */
function blindCandidates(ctx: AppContext, typed: string): Buffer[] {
  const n = typed.replace(/\s+/g, '').toUpperCase();
  return ID_TYPES.map((t) => ctx.vault.blindIndex(t, n));
}

/** Builds the WHERE clause of a scoped resident search. Shared by the list and the export. */
export async function residentWhere(ctx: AppContext, actor: Actor, f: ResidentFilter): Promise<Sql> {
  const place = f.placeId ? await placeInScope(ctx.db, actor, f.placeId) : null;
  const where = [withinPlace(actor.scope, place, 'r.place_path'), sql`r.archived_at IS NULL`];
  const q = f.q?.trim();
  if (q) {
    const digits = q.replace(/[\s-]/g, '');
    if (/^1\d{10}$/.test(digits)) where.push(sql`r.phone = ${digits}`);
    else if (/^[A-Za-z0-9]{8,18}$/.test(digits) && /\d{6}/.test(digits)) where.push(sql`r.id_blind = ANY(${blindCandidates(ctx, digits)}::bytea[])`);
    else where.push(residentNameMatch(q));
  }
  if (f.name?.trim()) where.push(residentNameMatch(f.name));
  if (f.phone?.trim()) where.push(sql`r.phone = ${f.phone.replace(/[\s-]/g, '')}`);
  if (f.idNumber?.trim()) where.push(sql`r.id_blind = ANY(${blindCandidates(ctx, f.idNumber)}::bytea[])`);
  if (f.tenancy) where.push(sql`r.tenancy = ${f.tenancy}`);
  for (const flag of f.flags ?? []) where.push(raw(`r.${FLAG_COLUMNS[flag]}`));
  return join(where, ' AND ');
}

export async function searchResidents(ctx: AppContext, actor: Actor, f: ResidentFilter & { cursor?: string; limit: number }) {
  requirePermission(actor, 'registry.read');
  const where = await residentWhere(ctx, actor, f);
  const after = decodeCursor(f.cursor);
  const { rows } = await ctx.db.query<ResidentRow>(
    sql`${raw(SELECT)} WHERE ${where} ${after === null ? empty : sql`AND r.id > ${after}`} ORDER BY r.id LIMIT ${f.limit + 1}`,
  );
  const page = rows.slice(0, f.limit);
  // how many the search finds, on its first page only and counted no further than the cap: the
  // officer sees "600 residents" (or "10,000+") without a full count behind every page turn
  let total: number | null = null;
  if (after === null) {
    total = rows.length <= f.limit ? rows.length : (await ctx.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM residents r WHERE ${where} LIMIT ${TOTAL_CAP + 1}) t`)).rows[0].n;
  }
  return {
    items: await presentAll(ctx.db, actor, page, false),
    nextCursor: rows.length > f.limit ? encodeCursor(page.at(-1)!.id) : null,
    total: total === null ? null : Math.min(total, TOTAL_CAP),
    totalCapped: total !== null && total > TOTAL_CAP,
  };
}

/** A search's total is counted up to this many; past it the console says "10,000+". */
export const TOTAL_CAP = 10_000;

// ---------------------------------------------------------------- one resident

async function residentRowInScope(q: Queryable, actor: Actor, id: number): Promise<ResidentRow> {
  const { rows } = await q.query<ResidentRow>(sql`${raw(SELECT)} WHERE r.id = ${id} AND ${within(actor.scope, 'r.place_path')} AND r.archived_at IS NULL`);
  if (!rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { field: 'id', params: { id } });
  return rows[0];
}

/** The full record: a read that is audit-logged. */
export async function readResident(ctx: AppContext, actor: Actor, id: number): Promise<Resident> {
  requirePermission(actor, 'registry.read');
  return ctx.db.tx(async (q) => {
    const row = await residentRowInScope(q, actor, id);
    await audit(q, actor, { action: 'resident.read', entity: 'resident', entityId: id, placePath: row.place_path });
    return (await presentAll(q, actor, [row], true))[0];
  });
}

export async function revealId(ctx: AppContext, actor: Actor, id: number): Promise<string> {
  requirePermission(actor, 'registry.reveal');
  return ctx.db.tx(async (q) => {
    const row = await residentRowInScope(q, actor, id);
    const { rows } = await q.query<{ id_cipher: Uint8Array }>('SELECT id_cipher FROM residents WHERE id = $1', [id]);
    await audit(q, actor, { action: 'resident.reveal_id', entity: 'resident', entityId: id, placePath: row.place_path });
    return ctx.vault.decrypt(rows[0].id_cipher);
  });
}

async function householdInScope(q: Queryable, actor: Actor, id: number, field = 'householdId') {
  const { rows } = await q.query<{ id: number; place_id: number; place_path: string; room: string }>(
    sql`SELECT id, place_id, place_path, room FROM households WHERE id = ${id} AND ${within(actor.scope, 'place_path')}`,
  );
  if (!rows[0]) throw new AppError('HOUSEHOLD_NOT_FOUND', { field, params: { id } });
  return rows[0];
}

function throwIfInvalid(result: ReturnType<typeof validateResident>): ResidentValues {
  if ('errors' in result) throw result.errors[0];
  return result.value;
}

async function assertIdFree(q: Queryable, ctx: AppContext, v: ResidentValues, exceptId?: number) {
  const { rows } = await q.query<{ id: number }>('SELECT id FROM residents WHERE id_blind = $1', [ctx.vault.blindIndex(v.idType, v.idNumber)]);
  if (rows[0] && rows[0].id !== exceptId) throw new AppError('RESIDENT_DUPLICATE_ID', { field: 'idNumber' });
}

export async function createResident(ctx: AppContext, actor: Actor, input: ResidentInput & { householdId: number }) {
  requirePermission(actor, 'registry.write');
  const values = throwIfInvalid(validateResident(input));
  return ctx.db.tx(async (q) => {
    const household = await householdInScope(q, actor, input.householdId);
    await assertIdFree(q, ctx, values);
    const row = residentRow(ctx.vault, values, household.id, household.place_path);
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO residents (${RESIDENT_COLUMNS.join(', ')}) VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      row,
    );
    await audit(q, actor, { action: 'resident.create', entity: 'resident', entityId: rows[0].id, placePath: household.place_path });
    return (await presentAll(q, actor, [await residentRowInScope(q, actor, rows[0].id)], true))[0];
  });
}

export async function updateResident(ctx: AppContext, actor: Actor, id: number, patch: ResidentInput & { householdId?: number }) {
  requirePermission(actor, 'registry.write');
  return ctx.db.tx(async (q) => {
    const current = await residentRowInScope(q, actor, id);
    const { rows: cipher } = await q.query<{ id_cipher: Uint8Array }>('SELECT id_cipher FROM residents WHERE id = $1', [id]);
    // Validate the record as it will be after the patch, so cross-field rules still hold.
    const merged: ResidentInput = {
      name: current.name,
      idType: current.id_type,
      idNumber: ctx.vault.decrypt(cipher[0].id_cipher),
      phone: current.phone,
      nationality: current.nationality,
      language: current.language,
      tenancy: current.tenancy,
      elderlyAlone: current.elderly_alone,
      mobilityImpaired: current.mobility_impaired,
      pregnant: current.pregnant,
      dueDate: current.due_date,
      chronicIllness: current.chronic_illness,
      infant: current.infant,
      ...(current.id_type === 'mainland_id' ? {} : { sex: current.sex, birthDate: current.birth_date }),
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    const values = throwIfInvalid(validateResident(merged));
    await assertIdFree(q, ctx, values, id);
    const household = patch.householdId ? await householdInScope(q, actor, patch.householdId) : null;
    const row = residentRow(ctx.vault, values, household?.id ?? current.household_id, household?.place_path ?? current.place_path);
    await q.query(
      `UPDATE residents SET (${RESIDENT_COLUMNS.join(', ')}, updated_at) = (${row.map((_, i) => `$${i + 2}`).join(', ')}, now()) WHERE id = $1`,
      [id, ...row],
    );
    const changed = Object.keys(patch).filter((k) => k !== 'idNumber');
    await audit(q, actor, {
      action: 'resident.update',
      entity: 'resident',
      entityId: id,
      placePath: household?.place_path ?? current.place_path,
      // Field names only: the audit log must not become a second copy of personal data.
      detail: { fields: patch.idNumber !== undefined ? [...changed, 'idNumber'] : changed },
    });
    return (await presentAll(q, actor, [await residentRowInScope(q, actor, id)], true))[0];
  });
}

/** Archives a resident who moved away; the record stays for the audit trail. */
export async function archiveResident(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'registry.write');
  return ctx.db.tx(async (q) => {
    const row = await residentRowInScope(q, actor, id);
    await q.query('UPDATE residents SET archived_at = now(), updated_at = now() WHERE id = $1', [id]);
    await audit(q, actor, { action: 'resident.archive', entity: 'resident', entityId: id, placePath: row.place_path });
    return { ok: true };
  });
}

// ---------------------------------------------------------------- households

export interface Household {
  id: number;
  placeId: number;
  room: string;
  address: string;
  residentCount: number;
}

async function presentHouseholds(q: Queryable, rows: { id: number; place_id: number; place_path: string; room: string; n: number }[]) {
  const names = await placeNames(q, rows.map((r) => r.place_path));
  return rows.map((r) => ({ id: r.id, placeId: r.place_id, room: r.room, address: addressOf(r.place_path, r.room, names), residentCount: r.n }));
}

const HOUSEHOLD_SELECT = `SELECT h.id, h.place_id, h.place_path, h.room,
  (SELECT count(*) FROM residents r WHERE r.household_id = h.id AND r.archived_at IS NULL) AS n FROM households h`;

export async function listHouseholds(ctx: AppContext, actor: Actor, f: { placeId?: number; cursor?: string; limit: number }) {
  requirePermission(actor, 'registry.read');
  const place = f.placeId ? await placeInScope(ctx.db, actor, f.placeId) : null;
  const after = decodeCursor(f.cursor) ?? 0;
  const { rows } = await ctx.db.query<{ id: number; place_id: number; place_path: string; room: string; n: number }>(
    sql`${raw(HOUSEHOLD_SELECT)} WHERE ${withinPlace(actor.scope, place, 'h.place_path')}
          AND h.id > ${after} ORDER BY h.id LIMIT ${f.limit + 1}`,
  );
  const page = rows.slice(0, f.limit);
  return { items: await presentHouseholds(ctx.db, page), nextCursor: rows.length > f.limit ? encodeCursor(page.at(-1)!.id) : null };
}

export async function getHousehold(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'registry.read');
  return ctx.db.tx(async (q) => {
    await householdInScope(q, actor, id, 'id');
    const { rows } = await q.query<{ id: number; place_id: number; place_path: string; room: string; n: number }>(
      `${HOUSEHOLD_SELECT} WHERE h.id = $1`,
      [id],
    );
    const members = (await q.query<ResidentRow>(`${SELECT} WHERE r.household_id = $1 AND r.archived_at IS NULL ORDER BY r.birth_date NULLS LAST, r.id`, [id])).rows;
    await audit(q, actor, { action: 'household.read', entity: 'household', entityId: id, placePath: rows[0].place_path });
    return { household: (await presentHouseholds(q, rows))[0], residents: await presentAll(q, actor, members, true) };
  });
}

export async function createHousehold(ctx: AppContext, actor: Actor, input: { placeId: number; room: string }) {
  requirePermission(actor, 'registry.write');
  const room = input.room.trim();
  return ctx.db.tx(async (q) => {
    const place = await placeInScope(q, actor, input.placeId);
    if (place.kind !== 'unit' && place.kind !== 'building') throw new AppError('HOUSEHOLD_PLACE_KIND', { field: 'placeId' });
    const exists = await q.query('SELECT 1 FROM households WHERE place_id = $1 AND room = $2', [place.id, room]);
    if (exists.rows.length) throw new AppError('HOUSEHOLD_EXISTS', { field: 'room', params: { room } });
    const { rows } = await q.query<{ id: number }>(
      'INSERT INTO households (place_id, place_path, room) VALUES ($1, $2, $3) RETURNING id',
      [place.id, place.path, room],
    );
    await audit(q, actor, { action: 'household.create', entity: 'household', entityId: rows[0].id, placePath: place.path });
    const created = await q.query<{ id: number; place_id: number; place_path: string; room: string; n: number }>(`${HOUSEHOLD_SELECT} WHERE h.id = $1`, [rows[0].id]);
    return (await presentHouseholds(q, created.rows))[0];
  });
}

// ---------------------------------------------------------------- personal codes

/**
 * A household card (户卡): every member's personal code on one page, for door-to-door teams
 * to scan. Printing codes is logged like a full read.
 */
export async function householdCard(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'registry.read');
  return ctx.db.tx(async (q) => {
    const h = await householdInScope(q, actor, id, 'id');
    const members = await q.query<{ id: number; name: string; id_masked: string }>(
      `SELECT id, name, id_masked FROM residents WHERE household_id = $1 AND archived_at IS NULL ORDER BY birth_date NULLS LAST, id`,
      [id],
    );
    const v = await q.query<{ code_version: number }>('SELECT code_version FROM households WHERE id = $1', [id]);
    const version = v.rows[0]?.code_version ?? 0;
    await audit(q, actor, { action: 'household.print_codes', entity: 'household', entityId: id, placePath: h.place_path, detail: { version } });
    const [household] = await presentHouseholds(q, [{ ...h, n: members.rows.length }]);
    return {
      household,
      members: members.rows.map((m) => ({ id: m.id, name: m.name, idMasked: seesIdFacts(actor) ? m.id_masked : narrowMask(m.id_masked), code: residentCode(ctx.vault, m.id, version) })),
    };
  });
}

/** One resident's personal code, for their own page or a replacement card. */
export async function personalCode(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'registry.read');
  const row = await residentRowInScope(ctx.db, actor, id);
  const version = await codeVersionOf(ctx.db, row.id);
  return { residentId: row.id, name: row.name, idMasked: seesIdFacts(actor) ? row.id_masked : narrowMask(row.id_masked), code: residentCode(ctx.vault, row.id, version) };
}

/** The current version of a resident's personal code: their household's (0 without a household). */
export async function codeVersionOf(q: Queryable, residentId: number): Promise<number> {
  const { rows } = await q.query<{ v: number }>(
    'SELECT coalesce(h.code_version, 0) AS v FROM residents r LEFT JOIN households h ON h.id = r.household_id WHERE r.id = $1',
    [residentId],
  );
  return rows[0]?.v ?? 0;
}
