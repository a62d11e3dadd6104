// What each role may do in the console (mirrors server/src/platform/permissions.ts; the
// server enforces it, the console only hides what would be refused).
import type { Role } from '../api/types';

export type Permission =
  | 'registry.read'
  | 'registry.write'
  | 'registry.import'
  | 'registry.export'
  | 'registry.reveal'
  | 'places.write'
  | 'users.manage'
  | 'audit.read'
  | 'testing.read'
  | 'testing.manage'
  | 'testing.sample'
  | 'testing.lab'
  | 'antigen.distribute'
  | 'antigen.report';

const OFFICERS: Role[] = ['admin', 'command_center', 'street_officer', 'community_officer'];

const GRANTS: Record<Permission, Role[]> = {
  'registry.read': [...OFFICERS, 'grid_worker', 'sampler', 'tracer', 'quarantine_staff', 'gate_staff'],
  'registry.write': [...OFFICERS, 'grid_worker'],
  'registry.import': OFFICERS,
  'registry.export': [...OFFICERS, 'grid_worker'],
  'registry.reveal': [...OFFICERS, 'grid_worker', 'tracer'],
  'places.write': OFFICERS,
  'users.manage': OFFICERS,
  'audit.read': ['admin', 'command_center'],
  'testing.read': [...OFFICERS, 'grid_worker', 'sampler', 'lab_operator', 'volunteer'],
  'testing.manage': OFFICERS,
  'testing.sample': [...OFFICERS, 'sampler'],
  'testing.lab': ['admin', 'command_center', 'lab_operator'],
  'antigen.distribute': [...OFFICERS, 'grid_worker', 'volunteer'],
  'antigen.report': [...OFFICERS, 'grid_worker'],
};

export function can(role: Role | undefined, p: Permission): boolean {
  return !!role && GRANTS[p].includes(role);
}

const RANK: Record<Role, number> = {
  admin: 4,
  command_center: 3,
  street_officer: 2,
  community_officer: 1,
  grid_worker: 0,
  sampler: 0,
  lab_operator: 0,
  tracer: 0,
  quarantine_staff: 0,
  volunteer: 0,
  gate_staff: 0,
};

/** A manager may grant only roles below their own. */
export function canGrant(granter: Role, role: Role): boolean {
  return can(granter, 'users.manage') && RANK[role] < RANK[granter];
}
