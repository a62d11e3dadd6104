// Permissions of this module and the roles that hold them; a role holds them only under its place (platform/scope.ts).
import { definePermissions, OFFICERS } from '../../platform/permissions.js';

/** A lab operator or volunteer reads campaigns and tubes, but no names: those answers also ask registry.read. */
export const TESTING_PERMISSIONS = definePermissions('testing', {
  'testing.read': [...OFFICERS, 'grid_worker', 'sampler', 'lab_operator', 'volunteer'], // campaigns, schedules, coverage, the live board
  'testing.manage': OFFICERS, // plan campaigns, sites, lanes, schedules; exemptions
  'testing.sample': [...OFFICERS, 'sampler'], // scan at a lane, seal tubes, pack and hand over boxes
  'testing.lab': ['admin', 'command_center', 'lab_operator'], // receive boxes, report results
  'testing.area': ['admin', 'command_center', 'street_officer'], // the area board in the menu: district- and street-wide roles (its route answers anyone with testing.read, for their own area)
  'antigen.distribute': [...OFFICERS, 'grid_worker', 'volunteer'],
  'antigen.report': [...OFFICERS, 'grid_worker'],
});

declare module '../../platform/permissions.js' {
  interface ModulePermissions extends Record<keyof typeof TESTING_PERMISSIONS, true> {}
}
