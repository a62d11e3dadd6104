// Appeals (申诉): a resident (or the household member acting for them) disagrees with their
// colour and says why in the app; an officer of their area answers — kept, or changed (an
// override with the answer as its reason). One appeal waits per person at a time.
import { raw, sql } from '../../db/sql.js';
import { audit, type AuditActor } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission, within } from '../../platform/scope.js';
import { colourOf } from './colour.js';
import { insertOverride } from './overrides.js';
import type { Colour } from './rules.js';

export interface Appeal {
  id: number;
  resident: { id: number; name: string };
  colour: string;
  text: string;
  at: string;
  answeredAt: string | null;
  answeredBy: string | null;
  outcome: 'changed' | 'kept' | null;
  answer: string | null;
}

const APPEAL_SELECT = `
  SELECT a.id::int, json_build_object('id', r.id, 'name', r.name) AS resident, a.colour, a.text, a.at,
         a.answered_at AS "answeredAt", u.display_name AS "answeredBy", a.outcome, a.answer
    FROM colour_appeals a JOIN residents r ON r.id = a.resident_id LEFT JOIN users u ON u.id = a.answered_by`;

export interface AppellantRef {
  /** whose colour (the person acted for) */
  residentId: number;
  /** who wrote it */
  byResident: number;
  audit: AuditActor;
}

/** A resident's appeal against their colour as it is now. */
export async function submitAppeal(ctx: AppContext, who: AppellantRef, text: string): Promise<Appeal> {
  const id = await ctx.db.tx(async (q) => {
    // one at a time per person: the person's row locked, so two taps make one appeal
    const { rows: person } = await q.query<{ place_path: string }>(sql`SELECT place_path FROM residents WHERE id = ${who.residentId} FOR UPDATE`);
    const { rows: open } = await q.query(sql`SELECT 1 FROM colour_appeals WHERE resident_id = ${who.residentId} AND answered_at IS NULL`);
    if (open.length) throw new AppError('APPEAL_OPEN', { field: 'text' });
    const colour = (await colourOf(q, who.residentId))?.colour ?? 'green';
    const { rows } = await q.query<{ id: number }>(sql`
      INSERT INTO colour_appeals (resident_id, place_path, by_resident, colour, text)
      VALUES (${who.residentId}, ${person[0].place_path}, ${who.byResident}, ${colour}, ${text}) RETURNING id::int`);
    await audit(q, who.audit, { action: 'colour.appeal', entity: 'resident', entityId: who.residentId, placePath: person[0].place_path, detail: { appealId: rows[0].id, colour, byResident: who.byResident } });
    return rows[0].id;
  });
  return (await ctx.db.query<Appeal>(sql`${raw(APPEAL_SELECT)} WHERE a.id = ${id}`)).rows[0];
}

/** A person's appeals, newest first (the residents' app). */
export async function appealsOf(ctx: AppContext, residentId: number): Promise<{ items: Appeal[] }> {
  const { rows } = await ctx.db.query<Appeal>(sql`${raw(APPEAL_SELECT)} WHERE a.resident_id = ${residentId} ORDER BY a.at DESC LIMIT 20`);
  return { items: rows };
}

/** The appeals of my area, waiting ones (oldest first) or all (newest first). */
export async function listAppeals(ctx: AppContext, actor: Actor, query: { open?: boolean }): Promise<{ items: Appeal[] }> {
  requirePermission(actor, 'codes.override');
  const open = query.open ?? true;
  const { rows } = await ctx.db.query<Appeal>(sql`${raw(APPEAL_SELECT)}
    WHERE ${within(actor.scope, 'a.place_path')} ${open ? sql`AND a.answered_at IS NULL ORDER BY a.at` : sql`ORDER BY a.at DESC`} LIMIT 200`);
  return { items: rows };
}

export interface AnswerInput {
  outcome: 'changed' | 'kept';
  answer: string;
  /** with outcome changed: the colour it becomes, and for how long */
  colour?: Colour;
  hours?: number;
}

export async function answerAppeal(ctx: AppContext, actor: Actor, id: number, input: AnswerInput): Promise<Appeal> {
  requirePermission(actor, 'codes.override');
  await ctx.db.tx(async (q) => {
    const { rows } = await q.query<{ resident_id: number; place_path: string; answered_at: string | null }>(
      sql`SELECT resident_id, place_path, answered_at FROM colour_appeals WHERE id = ${id} AND ${within(actor.scope, 'place_path')} FOR UPDATE`,
    );
    const appeal = rows[0];
    if (!appeal) throw new AppError('APPEAL_NOT_FOUND', { params: { id } });
    if (appeal.answered_at) throw new AppError('APPEAL_ANSWERED', { params: { at: new Date(appeal.answered_at).toISOString() } });
    if (input.outcome === 'changed') {
      await insertOverride(q, actor, appeal.resident_id, appeal.place_path, { colour: input.colour ?? 'green', reason: input.answer, hours: input.hours ?? 24 }, id);
    }
    await q.query(sql`UPDATE colour_appeals SET answered_at = now(), answered_by = ${actor.id}, outcome = ${input.outcome}, answer = ${input.answer} WHERE id = ${id}`);
    await audit(q, actor, { action: 'colour.answer_appeal', entity: 'resident', entityId: appeal.resident_id, placePath: appeal.place_path, detail: { appealId: id, outcome: input.outcome } });
  });
  return (await ctx.db.query<Appeal>(sql`${raw(APPEAL_SELECT)} WHERE a.id = ${id}`)).rows[0];
}
