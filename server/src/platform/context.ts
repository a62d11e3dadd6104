// What every service needs: the database, the ID vault, the configuration, and who is asking.
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { IdVault } from './crypto.js';
import type { EventBus } from './events.js';
import type { Jobs } from './jobs.js';
import type { Locale } from './errors.js';
import type { Role } from './permissions.js';
import type { Scope } from './scope.js';
import type { FangkongModule } from './module.js';

export interface AppContext {
  db: Db;
  vault: IdVault;
  config: Config;
  events: EventBus;
  /** the job runner (platform/jobs.ts): started with the app's background work, stopped on close */
  jobs: Jobs;
  /** This process's folder for uploads and spreadsheet spool files (platform/spool.ts) */
  spoolDir: string;
  /** The modules this server runs (modules/index.ts): their routes, place-path tables, errors and permissions. */
  modules: readonly FangkongModule[];
}

/** The signed-in staff member. scope is their area: the materialised path of their place ('/' = all), minted at sign-in. */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  placeId: number | null;
  scope: Scope;
  locale: Locale;
  /** the account signed in with a one-time password it has not changed yet (platform/auth.ts lets it reach only a few routes) */
  mustChangePassword?: boolean;
  ip?: string;
  userAgent?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: Actor | null;
  }
  interface FastifyInstance {
    ctx: AppContext;
  }
}
