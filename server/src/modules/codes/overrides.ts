// Reading a person's colour as staff (every reason in full), an officer's override (a colour
// with a reason and an expiry, audited) and its revocation; the residents' appeals and answers.
import type { Queryable } from '../../db/client.js';
import { sql } from '../../db/sql.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission, within } from '../../platform/scope.js';
import { colourOf, type ColourAnswer } from './colour.js';
import type { Colour } from './rules.js';

/** A resident in my area (the same answer for "absent" and "not yours"), with their path. */
async function residentInScope(q: Queryable, actor: Actor, id: number): Promise<{ id: number; place_path: string }> {
  const { rows } = await q.query<{ id: number; place_path: string }>(
    sql`SELECT id, place_path FROM residents WHERE id = ${id} AND archived_at IS NULL AND ${within(actor.scope, 'place_path')}`,
  );
  if (!rows[0]) throw new AppError('RESIDENT_NOT_FOUND', { field: 'id', params: { id } });
  return rows[0];
}

export async function residentColour(ctx: AppContext, actor: Actor, id: number): Promise<ColourAnswer> {
  requirePermission(actor, 'codes.read');
  await residentInScope(ctx.db, actor, id);
  return (await colourOf(ctx.db, id))!;
}

export interface OverrideInput {
  colour: Colour;
  reason: string;
  /** how long it holds */
  hours: number;
}

export async function insertOverride(q: Queryable, actor: Actor, residentId: number, placePath: string, input: OverrideInput, appealId?: number) {
  // one override in force: a new one replaces the last
  await q.query(sql`UPDATE colour_overrides SET revoked_at = now(), revoked_by = ${actor.id} WHERE resident_id = ${residentId} AND revoked_at IS NULL AND expires_at > now()`);
  const { rows } = await q.query<{ id: number }>(sql`
    INSERT INTO colour_overrides (resident_id, colour, reason, expires_at, by_user)
    VALUES (${residentId}, ${input.colour}, ${input.reason}, now() + make_interval(hours => ${input.hours}), ${actor.id}) RETURNING id`);
  await audit(q, actor, {
    action: 'colour.override',
    entity: 'resident',
    entityId: residentId,
    placePath,
    detail: { colour: input.colour, reason: input.reason, hours: input.hours, overrideId: rows[0].id, appealId: appealId ?? null },
  });
}

/** An officer sets a person's colour for a while, with a reason (audited); it replaces the rules' until it expires or is revoked. */
export async function overrideColour(ctx: AppContext, actor: Actor, id: number, input: OverrideInput): Promise<ColourAnswer> {
  requirePermission(actor, 'codes.override');
  await ctx.db.tx(async (q) => {
    const r = await residentInScope(q, actor, id);
    await insertOverride(q, actor, r.id, r.place_path, input);
  });
  return (await colourOf(ctx.db, id))!;
}

/** Ends the override in force: the rules decide again. */
export async function revokeOverride(ctx: AppContext, actor: Actor, id: number, reason: string): Promise<ColourAnswer> {
  requirePermission(actor, 'codes.override');
  await ctx.db.tx(async (q) => {
    const r = await residentInScope(q, actor, id);
    const { rows } = await q.query<{ id: number }>(sql`
      UPDATE colour_overrides SET revoked_at = now(), revoked_by = ${actor.id}
       WHERE resident_id = ${r.id} AND revoked_at IS NULL AND expires_at > now() RETURNING id`);
    if (!rows[0]) throw new AppError('COLOUR_OVERRIDE_NONE');
    await audit(q, actor, { action: 'colour.revoke', entity: 'resident', entityId: r.id, placePath: r.place_path, detail: { reason, overrideIds: rows.map((x) => x.id) } });
  });
  return (await colourOf(ctx.db, id))!;
}
