// What a module declares to the platform. app.ts registers every module in a loop; nothing
// else in the platform knows a module by name.
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from './context.js';
import type { ErrorCatalog } from './errors.js';
import type { Role } from './permissions.js';

export interface FangkongModule {
  name: string;
  /** Fastify plugins that register the module's routes. */
  routes: FastifyPluginAsync[];
  /**
   * Tables whose `place_path` copies the path of the place a row belongs to, for one-prefix
   * scope checks. Moving a place rewrites them all; a test compares this list with the
   * database catalogue, so a new table with a place path that no module declares fails it.
   */
  placePathTables: readonly string[];
  /** Tables whose place path records where something happened, as it was then (the audit log): not moved. */
  historyPathTables?: readonly string[];
  /** The module's error codes (declared with defineErrors in its errors.ts). */
  errors: ErrorCatalog;
  /** The module's permissions and the roles holding them (definePermissions in its permissions.ts). */
  permissions: Record<string, readonly Role[]>;
  /**
   * Work the module runs beside its routes while the server is up (the outbox's dispatcher), on
   * the job runner: started when the app is ready, stopped by the function it answers on close.
   */
  background?: (ctx: AppContext) => Promise<() => Promise<void>>;
}
