// Testing events for the live board. Scans arrive many times a second per campaign; the
// board needs at most a refresh a second, so publishing is coalesced per campaign.
import type { AppContext } from '../../platform/context.js';

export const TOPIC = 'testing';

export interface TestingEvent {
  kind: 'scans' | 'results' | 'boxes' | 'plan';
  campaigns?: number[];
  rounds?: number[];
}

const pending = new WeakMap<object, Map<number, NodeJS.Timeout>>();
const COALESCE_MS = 1000;

export function publishTesting(ctx: AppContext, e: TestingEvent) {
  ctx.events.publish(TOPIC, e as unknown as Record<string, unknown>);
}

/** A scan happened in this campaign: tell the board within a second, once. */
export function scanHappened(ctx: AppContext, campaignId: number) {
  let timers = pending.get(ctx.events);
  if (!timers) pending.set(ctx.events, (timers = new Map()));
  if (timers.has(campaignId)) return;
  const t = setTimeout(() => {
    timers.delete(campaignId);
    publishTesting(ctx, { kind: 'scans', campaigns: [campaignId] });
  }, COALESCE_MS);
  t.unref();
  timers.set(campaignId, t);
}
