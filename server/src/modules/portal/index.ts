// The residents' portal's public entry: residents sign in (SMS code or household card), read their
// code, results and notices, report antigen results and act for their household; staff rotate a
// household's codes. The portal's live stream hears the outbox's in-app channel on the event bus
// (INAPP_TOPIC: { messageId, residentId } for each message it delivers).
import type { FangkongModule } from '../../platform/module.js';
import { PORTAL_ERRORS } from './errors.js';
import { portalRoutes } from './routes.js';

export { RESIDENT_COOKIE } from './session.js';

export const portalModule: FangkongModule = {
  name: 'portal',
  routes: [portalRoutes],
  placePathTables: [],
  errors: PORTAL_ERRORS,
  permissions: {},
};
