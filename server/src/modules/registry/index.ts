// The registry module's public entry: places, households, residents and their import. Other
// modules use people and places only through what is exported here.
import type { FangkongModule } from '../../platform/module.js';
import { REGISTRY_ERRORS } from './errors.js';
import { REGISTRY_PERMISSIONS } from './permissions.js';
import { registryRoutes } from './routes.js';

export { addressOf, addressPlacesSql, ageOn, codeVersionOf, placeNames } from './residents.js';
export { backfillNameSearch, nameSearchText, residentNameMatch } from './name-search.js';
export { RESIDENT_COLUMNS, residentRow, validateResident, type ResidentValues, type Tenancy } from './resident-input.js';
export { ID_TYPE_LABELS, LEDGER_COLUMNS, TENANCY_LABELS, type ResidentField } from './columns.js';
export { readRows, type FileKind } from './import/rows.js';
export { receiveUpload } from './import/routes.js';
export { importFile } from './import/run.js';

export const registryModule: FangkongModule = {
  name: 'registry',
  routes: [registryRoutes],
  placePathTables: ['households', 'residents'],
  errors: REGISTRY_ERRORS,
  permissions: REGISTRY_PERMISSIONS,
};
