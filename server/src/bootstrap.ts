// Opens the database, migrates it, and assembles the application context.
import { loadConfig, type Config } from './config.js';
import { openDb, type Db } from './db/client.js';
import { migrate } from './db/migrate.js';
import type { AppContext } from './platform/context.js';
import { createIdVault, loadMasterKey } from './platform/crypto.js';
import { createEventBus } from './platform/events.js';
import { createJobs } from './platform/jobs.js';
import { MODULES } from './modules/index.js';
import { backfillNameSearch } from './modules/registry/index.js';
import { prepareSpool } from './platform/spool.js';

export async function openContext(config: Config = loadConfig(), db?: Db): Promise<AppContext> {
  const database = db ?? (await openDb({ url: config.databaseUrl, poolSize: config.dbPoolSize, dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite` }));
  await migrate(database);
  await backfillNameSearch(database); // names written before migration 0006 get their pinyin once
  const vault = createIdVault(loadMasterKey(config.idEncryptionKey, config.dataDir));
  const spoolDir = prepareSpool(config.dataDir);
  const jobs = createJobs(database, {
    databaseUrl: config.databaseUrl,
    schema: config.jobsSchema,
    onError: (err) => console.error(`job runner / 任务: ${err.message}`),
  });
  return { db: database, vault, config, events: createEventBus(database, config.listenDatabaseUrl), jobs, modules: MODULES, spoolDir };
}
