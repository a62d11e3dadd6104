// The accounts module's public entry: sign-in, sessions, passwords and staff accounts.
import type { FangkongModule } from '../../platform/module.js';
import { ACCOUNTS_ERRORS } from './errors.js';
import { ACCOUNTS_PERMISSIONS } from './permissions.js';
import { accountRoutes } from './routes.js';

export { ensureAdmin, resetAdminPassword } from './service.js';
export { hashPassword, isCommonPassword } from './passwords.js';

export const accountsModule: FangkongModule = {
  name: 'accounts',
  routes: [accountRoutes],
  placePathTables: [],
  errors: ACCOUNTS_ERRORS,
  permissions: ACCOUNTS_PERMISSIONS,
};
