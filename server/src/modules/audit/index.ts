// The audit module's public entry: reading the audit log (writing it is platform/audit.ts, in each change's transaction).
import type { FangkongModule } from '../../platform/module.js';
import { AUDIT_ERRORS } from './errors.js';
import { AUDIT_PERMISSIONS } from './permissions.js';
import { auditRoutes } from './routes.js';

export const auditModule: FangkongModule = {
  name: 'audit',
  routes: [auditRoutes],
  placePathTables: [],
  historyPathTables: ['audit_log'], // the path where the event happened, as it was then
  errors: AUDIT_ERRORS,
  permissions: AUDIT_PERMISSIONS,
};
