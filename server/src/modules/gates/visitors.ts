// Visitors (访客登记) at a gate: name, document, phone, whom they visit and why; a pass for the
// day at that gate's compound. The document is kept as residents' are (encrypted, blind index,
// mask); a document that is a registered resident's links the visitor to them, so their own
// colour decides at the gate. The pass is a signed code (FKV1.<id>.<MAC>): unforgeable, and it
// carries nothing about the person.
import crypto from 'node:crypto';
import { sql } from '../../db/sql.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import type { IdVault } from '../../platform/crypto.js';
import { idempotentRequest, once } from '../../platform/idempotency.js';
import { maskDocument, parseDocument, parseMobile, type IdType } from '../../platform/ids.js';
import { requirePermission } from '../../platform/scope.js';
import { shanghaiDate } from '../../platform/time.js';
import { gateInScope } from './gate.js';

const PASS_PREFIX = 'FKV1';
const macOf = (vault: IdVault, id: string) => vault.codeMac(`visitor:${id}`).subarray(0, 12).toString('base64url');

export function visitorPass(vault: IdVault, visitorId: number): string {
  const id = visitorId.toString(36);
  return `${PASS_PREFIX}.${id}.${macOf(vault, id)}`;
}

/** The visitor id in a genuine pass, or null. */
export function readVisitorPass(vault: IdVault, code: string): number | null {
  const m = /^FKV1\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{16})$/.exec(code.trim());
  if (!m) return null;
  const expected = Buffer.from(macOf(vault, m[1]), 'base64url');
  const given = Buffer.from(m[2], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const id = parseInt(m[1], 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export interface VisitorInput {
  key: string;
  name: string;
  idType?: IdType;
  idNumber: string;
  phone: string;
  visiting: string;
  purpose: string;
}

export interface VisitorPass {
  id: number;
  name: string;
  idMasked: string;
  visiting: string;
  validOn: string;
  pass: string;
  gate: { id: number; name: string; parent: string };
}

/** Registers a visitor at a gate and answers their pass for today (idempotent by key). */
export async function registerVisitor(ctx: AppContext, actor: Actor, gateId: number, input: VisitorInput): Promise<VisitorPass & { replay: boolean }> {
  requirePermission(actor, 'gates.check');
  const idType = input.idType ?? 'mainland_id';
  const doc = parseDocument(idType, input.idNumber, 'idNumber');
  const phone = parseMobile(input.phone, 'phone');
  const req = idempotentRequest(ctx.vault, actor, `gate.visitor:${gateId}`, input);
  const { value, replay } = await ctx.db.tx(async (q) => {
    const gate = await gateInScope(q, actor, gateId);
    return once(q, req, async () => {
      const blind = ctx.vault.blindIndex(idType, doc.number);
      const masked = maskDocument(idType, doc.number);
      const validOn = shanghaiDate();
      const { rows } = await q.query<{ id: number }>(sql`
        INSERT INTO visitors (gate_id, place_path, name, id_type, id_cipher, id_blind, id_masked, phone, visiting, purpose, resident_id, valid_on, registered_by)
        VALUES (${gate.id}, ${gate.path}, ${input.name.trim()}, ${idType}, ${ctx.vault.encrypt(doc.number)}, ${blind}, ${masked}, ${phone},
                ${input.visiting.trim()}, ${input.purpose.trim()},
                (SELECT id FROM residents WHERE id_blind = ${blind} AND archived_at IS NULL), ${validOn}::date, ${actor.id})
        RETURNING id::int`);
      const id = rows[0].id;
      await audit(q, actor, { action: 'gate.register_visitor', entity: 'visitor', entityId: id, placePath: gate.path, detail: { gateId: gate.id, visiting: input.visiting.trim(), purpose: input.purpose.trim() } });
      return { id, name: input.name.trim(), idMasked: masked, visiting: input.visiting.trim(), validOn, pass: visitorPass(ctx.vault, id), gate: { id: gate.id, name: gate.name, parent: gate.parentName } };
    });
  });
  return { ...value, replay };
}
