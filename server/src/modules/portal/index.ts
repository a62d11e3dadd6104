// The residents' portal's public entry: residents sign in (SMS code or household card), read their
// code, results and notices, report antigen results and act for their household; staff rotate a
// household's codes. The in-app channel tells the portal's live stream about a delivered message
// by publishing on the event bus: topic MESSAGE_TOPIC (the outbox's INAPP_TOPIC, 'outbox.inapp'),
// data { messageId: string, residentId: number } (the stream sends the resident's own as `event: notice`).
import type { FangkongModule } from '../../platform/module.js';
import { PORTAL_ERRORS } from './errors.js';
import { portalRoutes } from './routes.js';

export { MESSAGE_TOPIC } from './routes.js';
export { RESIDENT_COOKIE } from './session.js';

export const portalModule: FangkongModule = {
  name: 'portal',
  routes: [portalRoutes],
  placePathTables: [],
  errors: PORTAL_ERRORS,
  permissions: {},
};
