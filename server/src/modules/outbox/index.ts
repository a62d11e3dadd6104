// The outbox's public entry: one durable queue for every message to a person. Other workflows
// queue messages here in their own transaction (then call notifyQueued after it commits) and
// never talk to a channel themselves; the dispatcher (deliver.ts) runs with the server.
import type { FangkongModule } from '../../platform/module.js';
import { createChannelRegistry } from './channels/registry.js';
import { createDispatcher, runDispatcher } from './deliver.js';
import { OUTBOX_ERRORS } from './errors.js';
import { OUTBOX_PERMISSIONS } from './permissions.js';
import { outboxRoutes } from './routes.js';

export type { Channel, ChannelName, DeliveryReceipt, OutboundMessage, SendOutcome } from './channels/channel.js';
export { ChannelError } from './channels/channel.js';
export { INAPP_TOPIC, type InappEvent } from './channels/inapp.js';
export { createDispatcher, notifyQueued, QUEUED_TOPIC, type Dispatcher, type DispatcherOptions } from './deliver.js';
export { queueForResidents, queueMessages, RESIDENT_ADDRESS, type MessageDraft, type QueuedCount, type ResidentChannel, type ResidentMessages } from './queue.js';

export const outboxModule: FangkongModule = {
  name: 'outbox',
  routes: [outboxRoutes],
  placePathTables: [],
  errors: OUTBOX_ERRORS,
  permissions: OUTBOX_PERMISSIONS,
  async background(ctx) {
    const registry = createChannelRegistry(ctx.config, ctx.events);
    const { maxAttempts, retryDelaySeconds, leaseSeconds } = ctx.config.outbox;
    const dispatcher = createDispatcher(ctx.db, registry.channels, { maxAttempts, retryDelaySeconds, leaseSeconds });
    const stop = await runDispatcher(dispatcher, ctx.events, ctx.jobs);
    return async () => {
      await stop();
      await registry.close();
    };
  },
};
