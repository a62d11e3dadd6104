// Permissions of this module and the roles that hold them; a role holds them only under its place (platform/scope.ts).
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

/** Officers manage the staff under them, and grant only roles below their own (canGrant). */
export const ACCOUNTS_PERMISSIONS = definePermissions('accounts', {
  'users.manage': OFFICERS,
  /** clearing an account's sign-in throttle and lock: the administrator, the command center in its area */
  'users.unlock': ['admin', 'command_center'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof ACCOUNTS_PERMISSIONS, true> {}
}
