// Permissions of this module and the roles that hold them; a role holds them only under its place (platform/scope.ts).
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

/** Reading people's records is registry.read; every answer that carries names, phones or addresses asks for it. */
export const REGISTRY_PERMISSIONS = definePermissions('registry', {
  'registry.read': [...OFFICERS, 'grid_worker', 'sampler', 'tracer', 'quarantine_staff', 'gate_staff'],
  'registry.write': [...OFFICERS, 'grid_worker'],
  'registry.import': OFFICERS,
  'registry.export': [...OFFICERS, 'grid_worker'],
  'registry.reveal': [...OFFICERS, 'grid_worker', 'tracer'],
  'places.write': OFFICERS,
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof REGISTRY_PERMISSIONS, true> {}
}
