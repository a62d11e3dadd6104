// Roles (角色) and what each may do. Every staff account also has a place scope; what a
// role may do applies only under that place (see scope.ts).

export const ROLES = [
  'admin', // 系统管理员: whole installation
  'command_center', // 指挥部
  'street_officer', // 街道/镇
  'community_officer', // 社区书记/主任
  'grid_worker', // 网格员
  'sampler', // 采样人员
  'lab_operator', // 检测机构
  'tracer', // 流调人员
  'quarantine_staff', // 隔离点工作人员
  'volunteer', // 志愿者
  'gate_staff', // 卡口/门岗
] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'registry.read'
  | 'registry.write'
  | 'registry.import'
  | 'registry.export'
  | 'registry.reveal'
  | 'places.write'
  | 'users.manage'
  | 'audit.read'
  | 'testing.read' // campaigns, schedules, coverage, the live board
  | 'testing.manage' // plan campaigns, sites, lanes, schedules; exemptions
  | 'testing.sample' // scan at a lane, seal tubes, pack and hand over boxes
  | 'testing.lab' // receive boxes, report results
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

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[permission].includes(role);
}

/** Every permission there is (the enum of GET /api/auth/me's permissions). */
export const PERMISSIONS = Object.keys(GRANTS) as Permission[];

/** Every permission a role has: what the console shows and hides by (GET /api/auth/me). */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(GRANTS) as Permission[]).filter((p) => GRANTS[p].includes(role));
}

/** A manager may grant only roles below their own (an officer never creates a peer or a superior). */
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

export function canGrant(granter: Role, role: Role): boolean {
  return can(granter, 'users.manage') && RANK[role] < RANK[granter];
}

export const ROLE_LABELS: Record<Role, { 'zh-CN': string; 'en-US': string }> = {
  admin: { 'zh-CN': '系统管理员', 'en-US': 'Administrator' },
  command_center: { 'zh-CN': '指挥部', 'en-US': 'Command center' },
  street_officer: { 'zh-CN': '街道/镇干部', 'en-US': 'Street officer' },
  community_officer: { 'zh-CN': '社区干部', 'en-US': 'Community officer' },
  grid_worker: { 'zh-CN': '网格员', 'en-US': 'Grid worker' },
  sampler: { 'zh-CN': '采样人员', 'en-US': 'Sampler' },
  lab_operator: { 'zh-CN': '检测机构', 'en-US': 'Lab operator' },
  tracer: { 'zh-CN': '流调人员', 'en-US': 'Tracer' },
  quarantine_staff: { 'zh-CN': '隔离点工作人员', 'en-US': 'Quarantine staff' },
  volunteer: { 'zh-CN': '志愿者', 'en-US': 'Volunteer' },
  gate_staff: { 'zh-CN': '卡口/门岗', 'en-US': 'Gate staff' },
};
