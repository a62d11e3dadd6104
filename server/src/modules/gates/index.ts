// The gates module's public entry: checks at compound gates and road checkpoints (PASS or STOP
// with the reason, from the colour at that moment), their log, and visitors' passes.
import type { FangkongModule } from '../../platform/module.js';
import { GATE_ERRORS } from './errors.js';
import { GATE_PERMISSIONS } from './permissions.js';
import { gateRoutes } from './routes.js';

export const gatesModule: FangkongModule = {
  name: 'gates',
  routes: [gateRoutes],
  placePathTables: ['gate_checks', 'visitors'],
  errors: GATE_ERRORS,
  permissions: GATE_PERMISSIONS,
};
