// Permissions of the gates module; a role holds them only under its place (platform/scope.ts).
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

export const GATE_PERMISSIONS = definePermissions('gates', {
  // check people at a gate of my area and register visitors there
  'gates.check': ['admin', 'command_center', 'street_officer', 'community_officer', 'grid_worker', 'gate_staff', 'volunteer'],
  // read a gate's log
  'gates.read': [...OFFICERS, 'grid_worker', 'gate_staff', 'tracer'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof GATE_PERMISSIONS, true> {}
}
