// Every module of the server, in the order their routes are registered. A new workflow is one
// folder under modules/ with an index.ts exporting its FangkongModule, added here.
import type { FangkongModule } from '../platform/module.js';
import { accountsModule } from './accounts/index.js';
import { auditModule } from './audit/index.js';
import { registryModule } from './registry/index.js';
import { testingModule } from './testing/index.js';
import { outboxModule } from './outbox/index.js';
import { noticesModule } from './notices/index.js';
import { portalModule } from './portal/index.js';
import { zonesModule } from './zones/index.js';
import { codesModule } from './codes/index.js';
import { gatesModule } from './gates/index.js';

export const MODULES: readonly FangkongModule[] = [accountsModule, registryModule, auditModule, testingModule, outboxModule, noticesModule, portalModule, zonesModule, codesModule, gatesModule];
