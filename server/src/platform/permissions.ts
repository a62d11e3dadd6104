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

/** Roles that run a place: the administrator, the command center, street and community officers. */
export const OFFICERS: Role[] = ['admin', 'command_center', 'street_officer', 'community_officer'];

/**
 * The permissions modules define. Each module's permissions.ts declares its grants with
 * definePermissions and merges their names into this interface.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModulePermissions {}
export type Permission = keyof ModulePermissions & string;

const GRANTS = new Map<string, { module: string; roles: readonly Role[] }>();

/** A module declares its permissions and the roles that hold them (once, at load). */
export function definePermissions<const T extends Record<string, readonly Role[]>>(module: string, grants: T): T {
  for (const [permission, roles] of Object.entries(grants)) {
    const taken = GRANTS.get(permission);
    if (taken && taken.module !== module) throw new Error(`permission ${permission} is declared by ${taken.module} and ${module}`);
    GRANTS.set(permission, { module, roles });
  }
  return grants;
}

export function can(role: Role, permission: Permission): boolean {
  const g = GRANTS.get(permission);
  if (!g) throw new Error(`permission ${permission} is used, but the module declaring it was not loaded`);
  return g.roles.includes(role);
}

/** Every permission a role has: what the console shows and hides by (GET /api/auth/me). */
export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS].filter(([, g]) => g.roles.includes(role)).map(([p]) => p as Permission);
}

/** Every declared permission with its module and roles (a test and the README's table read it). */
export function permissionCatalog() {
  return [...GRANTS].map(([permission, g]) => ({ permission, ...g }));
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
