// Who may read what the outbox holds.
import { definePermissions } from '../../platform/permissions.js';

export const OUTBOX_PERMISSIONS = definePermissions('outbox', {
  /** the development SMS page: what would have been sent by SMS when no SMS centre is configured */
  'outbox.devSms': ['admin'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof OUTBOX_PERMISSIONS, true> {}
}
