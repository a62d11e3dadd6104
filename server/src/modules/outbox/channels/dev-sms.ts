// The development SMS channel: with no SMS centre configured (a laptop), an SMS is kept for the
// administrator's development SMS page (/dev-sms) instead of sent, so sign-in by SMS code works
// out of the box. Nothing leaves the machine: the outbox marks these 'dev', never sent.
import type { Channel } from './channel.js';

export function createDevSmsChannel(): Channel {
  return {
    name: 'sms',
    ratePerSecond: 1000,
    async send() {
      return { devOnly: true };
    },
    onReceipt() {
      // no peer, no receipts
    },
    async close() {},
  };
}
