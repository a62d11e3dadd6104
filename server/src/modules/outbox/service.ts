// Reading the outbox: the development SMS page (the administrator's tool on a laptop with no
// SMS centre) and the Web Push public key.
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission } from '../../platform/scope.js';
import { empty, sql } from '../../db/sql.js';
import { loadVapidKeys } from './channels/push.js';

export interface DevSmsQuery {
  to?: string;
  page: number;
  limit: number;
}

/** SMS the development channel kept ('dev'): newest first, the full number (it is the administrator's own tool). */
export async function listDevSms(ctx: AppContext, actor: Actor, q: DevSmsQuery) {
  requirePermission(actor, 'outbox.devSms');
  // With a real SMS centre there is no development SMS page.
  if (ctx.config.outbox.smppUrl) throw new AppError('ROUTE_NOT_FOUND');
  const to = q.to?.replace(/[\s-]/g, '');
  const { rows } = await ctx.db.query<{ id: string; address: string; body: string; source: string; queued_at: string }>(sql`
    SELECT id, address, body, source, queued_at FROM messages
    WHERE status = 'dev' AND channel = 'sms' ${to ? sql`AND address LIKE ${`%${to}%`}` : empty}
    ORDER BY queued_at DESC, id
    LIMIT ${q.limit + 1} OFFSET ${(q.page - 1) * q.limit}`);
  return {
    items: rows.slice(0, q.limit).map((r) => ({ id: r.id, at: new Date(r.queued_at).toISOString(), to: r.address, text: r.body, source: r.source })),
    page: q.page,
    hasMore: rows.length > q.limit,
  };
}

export function vapidPublicKey(ctx: AppContext): string {
  return loadVapidKeys(ctx.config.dataDir, ctx.config.outbox.vapidPublicKey, ctx.config.outbox.vapidPrivateKey).publicKey;
}
