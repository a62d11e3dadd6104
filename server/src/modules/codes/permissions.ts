// Permissions of the codes module (personal code colours); a role holds them only under its place.
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

export const CODE_PERMISSIONS = definePermissions('codes', {
  // a person's colour with every reason in full (the gate, the grid worker, the tracer)
  'codes.read': [...OFFICERS, 'grid_worker', 'sampler', 'tracer', 'quarantine_staff', 'gate_staff'],
  // an override with a reason and an expiry, and the answer to an appeal
  'codes.override': OFFICERS,
  // the rules themselves (a new version)
  'codes.rules': ['admin'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof CODE_PERMISSIONS, true> {}
}
