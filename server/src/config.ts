// All configuration comes from environment variables, read and validated here once.
import path from 'node:path';
import { requestLogMode, type RequestLogMode } from './platform/logging.js';

/** Bounds on a spreadsheet upload (ledger import, lab results): what it may expand to and hold. */
export interface ImportLimits {
  /** spreadsheet rows, counted as Excel numbers them (blank rows included) */
  maxRows: number;
  maxColumns: number;
  /** characters in one cell (Excel's own limit is 32,767) */
  maxCellChars: number;
  /** one CSV record in characters, one XLSX row in XML bytes */
  maxRowBytes: number;
  /** what all the parts of an XLSX inflate to, together */
  maxXlsxBytes: number;
  /** what xl/sharedStrings.xml inflates to: exceljs holds all of it in memory */
  maxSharedStringsBytes: number;
  /** entries in the XLSX zip */
  maxXlsxParts: number;
}

export interface Config {
  port: number;
  host: string;
  /** postgres://… → PostgreSQL; unset → embedded PGlite in dataDir */
  databaseUrl: string | undefined;
  /** connections this process opens to PostgreSQL (one of them holds LISTEN for live updates) */
  dbPoolSize: number;
  /** where the live-update LISTEN connects; unset → a connection of the pool (set it behind PgBouncer in transaction mode) */
  listenDatabaseUrl: string | undefined;
  dataDir: string;
  /** base64 32-byte master key for ID-number encryption; unset → generated once into dataDir */
  idEncryptionKey: string | undefined;
  adminPassword: string | undefined;
  /**
   * load the demo district (and its accounts with the published password) into an empty database
   * on start: by default only on the embedded PGlite; on DATABASE_URL only when LOAD_DEMO=true
   */
  loadDemo: boolean;
  demoResidents: number;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  importLimits: ImportLimits;
  /** sign-in failures one client may make for one account before it has to wait */
  loginFreeAttempts: number;
  /** the first wait after them, doubled at each further failure up to the maximum */
  loginDelaySeconds: number;
  loginMaxDelaySeconds: number;
  logLevel: string;
  webDist: string;
  secureCookies: boolean;
  /** the access log: off, one short line per request, or Fastify's JSON (platform/logging.ts) */
  logRequests: RequestLogMode;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function bool(name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env = process.env): Config {
  const root = path.resolve(import.meta.dirname, '../..');
  return {
    port: int('PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dbPoolSize: Math.max(2, int('DB_POOL_SIZE', 10)),
    listenDatabaseUrl: env.LISTEN_DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(root, 'data')),
    idEncryptionKey: env.ID_ENCRYPTION_KEY || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    loadDemo: bool('LOAD_DEMO', !env.DATABASE_URL, env),
    demoResidents: int('DEMO_RESIDENTS', 5000),
    sessionTtlHours: int('SESSION_TTL_HOURS', 12),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024),
    uploadLimitBytes: int('UPLOAD_LIMIT_BYTES', 200 * 1024 * 1024),
    importLimits: {
      maxRows: int('IMPORT_MAX_ROWS', 2_000_000),
      maxColumns: int('IMPORT_MAX_COLUMNS', 200),
      maxCellChars: int('IMPORT_MAX_CELL_CHARS', 32_767),
      maxRowBytes: int('IMPORT_MAX_ROW_BYTES', 1024 * 1024),
      maxXlsxBytes: int('IMPORT_MAX_XLSX_BYTES', 1024 * 1024 * 1024),
      maxSharedStringsBytes: int('IMPORT_MAX_SHARED_STRINGS_BYTES', 48 * 1024 * 1024),
      maxXlsxParts: int('IMPORT_MAX_XLSX_PARTS', 1000),
    },
    loginFreeAttempts: Math.max(1, int('LOGIN_FREE_ATTEMPTS', 5)),
    loginDelaySeconds: Math.max(1, int('LOGIN_DELAY_SECONDS', 30)),
    loginMaxDelaySeconds: Math.max(1, int('LOGIN_MAX_DELAY_SECONDS', 900)),
    logLevel: env.LOG_LEVEL ?? 'info',
    webDist: path.resolve(env.WEB_DIST ?? path.join(root, 'web/dist')),
    secureCookies: bool('SECURE_COOKIES', false),
    logRequests: requestLogMode(env.LOG_REQUESTS, Boolean(process.stdout.isTTY)),
  };
}
