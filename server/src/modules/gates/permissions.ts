// Permissions of the gates module; a role holds them only under its place (platform/scope.ts).
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

export const GATE_PERMISSIONS = definePermissions('gates', {
  // check people at a gate of my area and register visitors there (gates hang off a compound or a
  // street: staff scoped there, not a grid worker, whose grid lies inside the compound)
  'gates.check': [...OFFICERS, 'gate_staff', 'volunteer'],
  // read a gate's log
  'gates.read': [...OFFICERS, 'gate_staff', 'tracer'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof GATE_PERMISSIONS, true> {}
}
