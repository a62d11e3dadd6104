// The zones module's public entry: risk zones declared on places under policies that are data,
// their history, and the daily step-down check on the job runner. Other workflows ask what holds
// at a home with zoneAt (the residents' app, later the colour rules and supplies).
import type { FangkongModule } from '../../platform/module.js';
import { ZONE_ERRORS } from './errors.js';
import { ZONE_PERMISSIONS } from './permissions.js';
import { zoneRoutes } from './routes.js';
import { listZonesForStepDown } from './zones.js';

export { LEVEL_RANK, levelRankSql, MOVEMENTS, SUPPLIES, ZONE_LEVELS, type Policy, type ZoneLevel } from './policies.js';
export { zoneAt, type ZoneAt } from './zones.js';

const STEP_DOWN_QUEUE = 'zones-step-down';

export const zonesModule: FangkongModule = {
  name: 'zones',
  routes: [zoneRoutes],
  placePathTables: ['zones'],
  errors: ZONE_ERRORS,
  permissions: ZONE_PERMISSIONS,
  async background(ctx) {
    // each morning (08:30 Beijing time) the zones that meet their rule are listed for the command center
    await ctx.jobs.queue(STEP_DOWN_QUEUE, { expireInSeconds: 600 });
    await ctx.jobs.work(STEP_DOWN_QUEUE, async () => {
      await listZonesForStepDown(ctx);
    });
    await ctx.jobs.schedule(STEP_DOWN_QUEUE, '30 0 * * *');
    return async () => {};
  },
};
