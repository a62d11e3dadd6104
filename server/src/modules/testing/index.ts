// The testing module's public entry: mass-testing campaigns, lanes, tubes, results, coverage and antigen kits.
import type { FangkongModule } from '../../platform/module.js';
import { antigenRoutes } from './antigen-routes.js';
import { TESTING_ERRORS } from './errors.js';
import { labRoutes } from './lab-routes.js';
import { TESTING_PERMISSIONS } from './permissions.js';
import { testingRoutes } from './routes.js';

export { createCampaign, createSite, invalidateLaneCache } from './campaigns.js';
export { planRound } from './schedule/service.js';
export { recordScanBatch, sealTube } from './scans.js';
export { handOver, packBox, receive } from './handover.js';
export { recordResults, testsOf, RESULTS, type Result } from './results.js';
export { antigenReportsOf, residentReportAntigen } from './antigen.js';
export { warmOpenCampaigns } from './coverage-base.js';
export { buildingSlots, roundListSql, type BuildingSlot, type RoundList } from './notice-lists.js';

export const testingModule: FangkongModule = {
  name: 'testing',
  routes: [testingRoutes, labRoutes, antigenRoutes],
  placePathTables: ['campaigns', 'campaign_places', 'sites', 'schedule_slots', 'samples', 'recalls', 'antigen_distributions', 'antigen_reports'],
  errors: TESTING_ERRORS,
  permissions: TESTING_PERMISSIONS,
};
