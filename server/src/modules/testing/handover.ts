// Handover (交接): sealed tubes packed into a box (box barcode) at a site, the box handed to
// transport, then received by a lab, which scans what arrived; missing or extra tubes are
// reported at receipt. Each step records who and when, and repeating a step is harmless.
import type { Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { raw, sql } from '../../db/sql.js';
import { reach, requirePermission, type Access } from '../../platform/scope.js';
import { publishTesting } from './events.js';
import { checkBarcode } from './scans.js';

interface BoxRow {
  id: number;
  barcode: string;
  round_id: number;
  site_id: number | null;
  site_path: string | null;
  packed_at: Date;
  packed_by_name: string | null;
  handed_over_at: Date | null;
  handed_over_by_name: string | null;
  carrier: string | null;
  received_at: Date | null;
  received_by_name: string | null;
  lab_name: string | null;
  receipt: { missing: string[]; extra: string[] } | null;
}

export function boxState(b: Pick<BoxRow, 'handed_over_at' | 'received_at'>): 'packed' | 'in_transit' | 'received' {
  return b.received_at ? 'received' : b.handed_over_at ? 'in_transit' : 'packed';
}

const STATE_TEXT = { packed: ['已装箱', 'packed'], in_transit: ['运输中', 'in transit'], received: ['已接收', 'received'] } as const;

/** A box under the box rule for this access (SCOPE_RULES.box, by its site), else BOX_NOT_FOUND. */
async function boxByBarcode(q: Queryable, actor: Actor, barcode: string, access: Access, lock = false): Promise<BoxRow> {
  const { rows } = await q.query<BoxRow>(
    sql`SELECT b.id, b.barcode, b.round_id, b.site_id, s.place_path AS site_path, b.packed_at, pu.display_name AS packed_by_name,
            b.handed_over_at, hu.display_name AS handed_over_by_name, b.carrier, b.received_at, ru.display_name AS received_by_name,
            b.lab_name, b.receipt
     FROM boxes b LEFT JOIN sites s ON s.id = b.site_id LEFT JOIN users pu ON pu.id = b.packed_by
     LEFT JOIN users hu ON hu.id = b.handed_over_by LEFT JOIN users ru ON ru.id = b.received_by
     WHERE b.barcode = ${barcode} AND ${reach(actor.scope, 'box', access, "coalesce(s.place_path, '/')")} ${raw(lock ? 'FOR UPDATE OF b' : '')}`,
  );
  if (!rows[0]) throw new AppError('BOX_NOT_FOUND', { field: 'barcode', params: { barcode } });
  return rows[0];
}

function stateError(b: BoxRow, action: [string, string]) {
  const [zh, en] = STATE_TEXT[boxState(b)];
  return new AppError('BOX_STATE', {
    field: 'barcode',
    messages: {
      'zh-CN': `转运箱 ${b.barcode} 当前为“${zh}”，不能${action[0]}`,
      'en-US': `Box ${b.barcode} is ${en} and cannot be ${action[1]}`,
    },
  });
}

/** Packs sealed tubes into a box (created on first use). Tubes already in this box are fine. */
export async function packBox(ctx: AppContext, actor: Actor, input: { barcode: string; tubes: string[] }) {
  requirePermission(actor, 'testing.sample');
  const barcode = checkBarcode(input.barcode, 'barcode');
  const tubes = [...new Set(input.tubes.map((t, i) => checkBarcode(t, `tubes[${i}]`)))];
  const result = await ctx.db.tx(async (q) => {
    const found = await q.query<{ id: number; barcode: string; round_id: number; site_id: number; site_path: string; sealed: boolean; box: string | null }>(
      sql`SELECT t.id, t.barcode, t.round_id, t.site_id, s.place_path AS site_path, t.sealed_at IS NOT NULL AS sealed, b.barcode AS box
       FROM tubes t JOIN sites s ON s.id = t.site_id LEFT JOIN boxes b ON b.id = t.box_id
       WHERE t.barcode = ANY(${tubes}::text[]) AND ${reach(actor.scope, 'tube', 'write', 's.place_path')} FOR UPDATE OF t`,
    );
    const byCode = new Map(found.rows.map((t) => [t.barcode, t]));
    tubes.forEach((code) => {
      const t = byCode.get(code);
      const field = `tubes[${input.tubes.findIndex((x) => x.trim() === code)}]`;
      if (!t) throw new AppError('TUBE_NOT_FOUND', { field, params: { barcode: code } });
      if (!t.sealed) throw new AppError('TUBE_NOT_SEALED', { field, params: { barcode: code } });
      if (t.box && t.box !== barcode) throw new AppError('TUBE_IN_OTHER_BOX', { field, params: { barcode: code, box: t.box } });
    });
    const first = found.rows[0];
    await q.query(
      `INSERT INTO boxes (round_id, barcode, site_id, packed_by) VALUES ($1, $2, $3, $4) ON CONFLICT (barcode) DO NOTHING`,
      [first.round_id, barcode, first.site_id, actor.id],
    );
    const box = await boxByBarcode(q, actor, barcode, 'write', true);
    if (boxState(box) !== 'packed') throw stateError(box, ['再装管', 'packed']);
    const stray = found.rows.find((t) => t.round_id !== box.round_id);
    if (stray) throw new AppError('TUBE_OTHER_ROUND', { field: 'tubes', params: { barcode: stray.barcode } });
    await q.query(`UPDATE tubes SET box_id = $1 WHERE id = ANY($2::int[])`, [box.id, found.rows.map((t) => t.id)]);
    await audit(q, actor, { action: 'box.pack', entity: 'box', entityId: box.id, placePath: box.site_path, detail: { barcode, tubes: tubes.length } });
    return box.round_id;
  });
  publishTesting(ctx, { kind: 'boxes', rounds: [result] });
  return getBox(ctx, actor, barcode);
}

export async function handOver(ctx: AppContext, actor: Actor, barcode: string, input: { carrier: string }) {
  requirePermission(actor, 'testing.sample');
  const code = checkBarcode(barcode, 'barcode');
  const round = await ctx.db.tx(async (q) => {
    const box = await boxByBarcode(q, actor, code, 'write', true);
    if (box.handed_over_at) return box.round_id; // a retry
    const n = await q.query<{ n: number }>('SELECT count(*) AS n FROM tubes WHERE box_id = $1', [box.id]);
    if (!n.rows[0].n) throw stateError(box, ['交接（箱内没有试管）', 'handed over (it holds no tubes)']);
    await q.query(`UPDATE boxes SET handed_over_at = now(), handed_over_by = $2, carrier = $3 WHERE id = $1`, [box.id, actor.id, input.carrier.trim()]);
    await audit(q, actor, { action: 'box.hand_over', entity: 'box', entityId: box.id, placePath: box.site_path, detail: { carrier: input.carrier } });
    return box.round_id;
  });
  publishTesting(ctx, { kind: 'boxes', rounds: [round] });
  return getBox(ctx, actor, code);
}

/** The lab receives a box and scans the tubes it finds; the difference is the receipt report. */
export async function receive(ctx: AppContext, actor: Actor, barcode: string, input: { labName: string; tubes: string[] }) {
  requirePermission(actor, 'testing.lab');
  const code = checkBarcode(barcode, 'barcode');
  const scanned = [...new Set(input.tubes.map((t, i) => checkBarcode(t, `tubes[${i}]`)))];
  const round = await ctx.db.tx(async (q) => {
    const box = await boxByBarcode(q, actor, code, 'write', true);
    if (box.received_at) return box.round_id;
    if (!box.handed_over_at) throw stateError(box, ['接收（尚未交接）', 'received (not handed over yet)']);
    const inBox = (await q.query<{ barcode: string }>('SELECT barcode FROM tubes WHERE box_id = $1', [box.id])).rows.map((r) => r.barcode);
    const expected = new Set(inBox);
    const got = new Set(scanned);
    const receipt = { missing: inBox.filter((b) => !got.has(b)).sort(), extra: scanned.filter((b) => !expected.has(b)).sort() };
    await q.query(`UPDATE boxes SET received_at = now(), received_by = $2, lab_name = $3, receipt = $4 WHERE id = $1`, [
      box.id,
      actor.id,
      input.labName.trim(),
      JSON.stringify(receipt),
    ]);
    await audit(q, actor, { action: 'box.receive', entity: 'box', entityId: box.id, placePath: box.site_path, detail: { lab: input.labName, ...receipt } });
    return box.round_id;
  });
  publishTesting(ctx, { kind: 'boxes', rounds: [round] });
  return getBox(ctx, actor, code);
}

export async function getBox(ctx: AppContext, actor: Actor, barcode: string) {
  requirePermission(actor, 'testing.read');
  const box = await boxByBarcode(ctx.db, actor, checkBarcode(barcode, 'barcode'), 'read');
  const tubes = await ctx.db.query<{ barcode: string; people: number; pool_size: number; result: string | null }>(
    'SELECT barcode, people, pool_size, result FROM tubes WHERE box_id = $1 ORDER BY barcode',
    [box.id],
  );
  return presentBox(box, tubes.rows);
}

function presentBox(box: BoxRow, tubes: { barcode: string; people: number; pool_size: number; result: string | null }[]) {
  return {
    barcode: box.barcode,
    roundId: box.round_id,
    state: boxState(box),
    packedAt: box.packed_at.toISOString(),
    packedBy: box.packed_by_name,
    handedOverAt: box.handed_over_at?.toISOString() ?? null,
    handedOverBy: box.handed_over_by_name,
    carrier: box.carrier,
    receivedAt: box.received_at?.toISOString() ?? null,
    receivedBy: box.received_by_name,
    labName: box.lab_name,
    receipt: box.receipt,
    tubes: tubes.map((t) => ({ barcode: t.barcode, people: t.people, poolSize: t.pool_size, result: t.result })),
  };
}

/** Boxes of a campaign's round, newest first, with their tube counts. */
export async function listBoxes(ctx: AppContext, actor: Actor, roundId: number) {
  requirePermission(actor, 'testing.read');
  const { rows } = await ctx.db.query<BoxRow & { tubes: number; people: number }>(
    sql`SELECT b.id, b.barcode, b.round_id, b.site_id, s.place_path AS site_path, b.packed_at, pu.display_name AS packed_by_name,
            b.handed_over_at, hu.display_name AS handed_over_by_name, b.carrier, b.received_at, ru.display_name AS received_by_name,
            b.lab_name, b.receipt,
            (SELECT count(*) FROM tubes t WHERE t.box_id = b.id) AS tubes,
            (SELECT coalesce(sum(t.people), 0) FROM tubes t WHERE t.box_id = b.id) AS people
     FROM boxes b LEFT JOIN sites s ON s.id = b.site_id LEFT JOIN users pu ON pu.id = b.packed_by
     LEFT JOIN users hu ON hu.id = b.handed_over_by LEFT JOIN users ru ON ru.id = b.received_by
     WHERE b.round_id = ${roundId} AND ${reach(actor.scope, 'box', 'read', "coalesce(s.place_path, '/')")}
     ORDER BY b.packed_at DESC LIMIT 500`,
  );
  return {
    items: rows.map((b) => ({ ...presentBox(b, []), tubeCount: b.tubes, people: b.people, tubes: undefined })),
  };
}
