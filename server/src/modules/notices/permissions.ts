// Permissions of the notices module; a role holds them only under its place (platform/scope.ts).
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

export const NOTICE_PERMISSIONS = definePermissions('notices', {
  'notices.send': OFFICERS, // write to the residents of a place or a list, resend the failed
  'notices.read': [...OFFICERS, 'grid_worker'], // the notices of my area and their delivery reports (counts, no names)
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof NOTICE_PERMISSIONS, true> {}
}
