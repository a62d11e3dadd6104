// The outbox's public entry: one durable queue for every message to a person. Other workflows
// queue messages here in their own transaction and never talk to a channel themselves.
import type { FangkongModule } from '../../platform/module.js';
import { OUTBOX_ERRORS } from './errors.js';
import { OUTBOX_PERMISSIONS } from './permissions.js';

export type { ChannelName } from './channels/channel.js';
export { queueForResidents, queueMessages, RESIDENT_ADDRESS, type MessageDraft, type QueuedCount, type ResidentChannel, type ResidentMessages } from './queue.js';

export const outboxModule: FangkongModule = {
  name: 'outbox',
  routes: [],
  placePathTables: [],
  errors: OUTBOX_ERRORS,
  permissions: OUTBOX_PERMISSIONS,
};
