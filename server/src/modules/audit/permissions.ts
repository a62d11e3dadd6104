// Permissions of this module and the roles that hold them; a role holds them only under its place (platform/scope.ts).
import { definePermissions } from '../../platform/permissions.js';

/** The audit log is read by the administrator and the command center, within their scope. */
export const AUDIT_PERMISSIONS = definePermissions('audit', {
  'audit.read': ['admin', 'command_center'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof AUDIT_PERMISSIONS, true> {}
}
