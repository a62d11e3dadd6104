// Permissions of the zones module; a role holds them only under its place (platform/scope.ts).
// Declaring, stepping down and lifting a zone is the command center's and the street's decision
// (writes bound tighter than reads); communities, grid workers and gates read what is in force.
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

export const ZONE_PERMISSIONS = definePermissions('zones', {
  'zones.declare': ['admin', 'command_center', 'street_officer'], // declare, re-apply, step down, lift
  'zones.read': [...OFFICERS, 'grid_worker', 'gate_staff', 'volunteer'], // zones in force and their history
  'zones.policies': ['admin'], // edit a policy (a new version)
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof ZONE_PERMISSIONS, true> {}
}
