// The in-app channel: a message to a signed-in person's own pages. It is held in the outbox
// (the page reads it there), so handing it over is delivery; the event bus tells the person's
// live stream (SSE) at once, on every server process (NOTIFY on PostgreSQL).
import type { EventBus } from '../../../platform/events.js';
import { ChannelError, type Channel } from './channel.js';

export const INAPP_TOPIC = 'outbox.inapp';

/** What an SSE stream hears: whom the message is for, and its id to fetch or mark read. */
export interface InappEvent {
  messageId: string;
  residentId?: number;
  userId?: number;
}

export function createInappChannel(events: EventBus): Channel {
  return {
    name: 'inapp',
    ratePerSecond: 2000,
    async send(message) {
      const m = /^(resident|user):([1-9][0-9]{0,9})$/.exec(message.address);
      if (!m) throw new ChannelError(`not an in-app address: ${message.address.slice(0, 40)}`, false, 'BAD_ADDRESS');
      const event: InappEvent = m[1] === 'resident' ? { messageId: message.id, residentId: Number(m[2]) } : { messageId: message.id, userId: Number(m[2]) };
      events.publish(INAPP_TOPIC, { ...event });
      return { delivered: true };
    },
    onReceipt() {},
    async close() {},
  };
}
