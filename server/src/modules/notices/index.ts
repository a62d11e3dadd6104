// The notices module's public entry: notices to the residents of a place or of a round's list,
// in each resident's language, through the outbox; their delivery reports and resends.
import type { FangkongModule } from '../../platform/module.js';
import { NOTICE_ERRORS } from './errors.js';
import { NOTICE_PERMISSIONS } from './permissions.js';
import { noticeRoutes } from './routes.js';

export { NOTICE_CHANNELS, slotText } from './notices.js';
export { NOTICE_LANGUAGES } from './templates.js';
export { markPostedRead, NOTICE_POSTED_TOPIC, POSTED_NOTICE_ID, postedNoticesOf, type NoticePosted } from './posted.js';

export const noticesModule: FangkongModule = {
  name: 'notices',
  routes: [noticeRoutes],
  placePathTables: ['notices'],
  errors: NOTICE_ERRORS,
  permissions: NOTICE_PERMISSIONS,
};
