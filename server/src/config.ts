// All configuration comes from environment variables, read and validated here once.
import os from 'node:os';
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
  /**
   * the address residents' phones open (printed on household cards and posters: …/self-report);
   * unset → derived for the laptop (publicUrlOf): its network address, never the officer's localhost
   */
  publicUrl: string | undefined;
  /**
   * The proxies whose X-Forwarded-For / -Proto / -Host are believed (Fastify's trustProxy): false
   * (the default) believes nobody, so req.ip is the connecting address; a list of addresses or
   * CIDR ranges (or proxy-addr's names loopback, linklocal, uniquelocal); or a number of hops.
   */
  trustProxy: false | string[] | number;
  /**
   * Whether the session cookie carries Secure: 'auto' when the request arrived over HTTPS (the
   * connection's own TLS, or X-Forwarded-Proto from a trusted proxy), 'always', or 'never'.
   */
  cookieSecure: 'auto' | 'always' | 'never';
  /** Requests per client in each window on the routes that attract abuse (0 = no limit). */
  rateLimits: RateLimits;
  /** Live streams (SSE) one account may hold open at once, per server process. */
  maxStreamsPerUser: number;
  /** Residents' sign-in (the portal): one-time codes by SMS and resident sessions. */
  portal: PortalConfig;
  /** the access log: off, one short line per request, or Fastify's JSON (platform/logging.ts) */
  logRequests: RequestLogMode;
  /** the job runner's (pg-boss) own schema */
  jobsSchema: string;
  /** the outbox's delivery: channels and retries (modules/outbox/deliver.ts, channels/registry.ts) */
  outbox: OutboxConfig;
}

export interface OutboxConfig {
  /** smpp://user:password@host:port of the SMS centre; unset → the development SMS page (nothing is sent) */
  smppUrl: string | undefined;
  /** the sender shown on the phone (a number, or an alphanumeric name where the SMSC allows one) */
  smppSourceAddr: string;
  /** SMS per second this process submits */
  smsRate: number;
  /** the key of the webhook channel's HMAC-SHA256 signature (X-Fangkong-Signature); unset → generated once into dataDir */
  webhookSecret: string | undefined;
  webhookTimeoutMs: number;
  /** Web Push VAPID keys (URL-safe base64); unset → generated once into dataDir/vapid.json */
  vapidPublicKey: string | undefined;
  vapidPrivateKey: string | undefined;
  /** the contact a push service may write to (mailto: or https:) */
  vapidSubject: string;
  /** tries of one message before it is failed for good */
  maxAttempts: number;
  /** seconds before the first retry, doubled at each further one */
  retryDelaySeconds: number;
  /** seconds a claim holds a message (a process that dies while sending gives it back after this) */
  leaseSeconds: number;
}

export interface RateLimits {
  windowSeconds: number;
  /** sign-in attempts per client address (the wrong-password throttle per address and account comes on top) */
  signIn: number;
  /** password changes per account */
  passwordChange: number;
  /** unauthenticated resident forms (self-report) per client address */
  publicForms: number;
  /** file exports (XLSX/CSV downloads) per account */
  exports: number;
}

export interface PortalConfig {
  /** seconds before the same number may ask for another code (OTP_RESEND_SECONDS) */
  otpResendSeconds: number;
  /** codes one number may ask for in an hour (OTP_PER_NUMBER_PER_HOUR; 0 = no limit) */
  otpPerNumberPerHour: number;
  /** codes one client address may ask for in an hour, whatever the numbers (OTP_PER_IP_PER_HOUR; 0 = no limit) */
  otpPerIpPerHour: number;
  /** how long a resident stays signed in (RESIDENT_SESSION_TTL_HOURS) */
  sessionTtlHours: number;
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

/** TRUST_PROXY: unset/false → trust nobody; a number → that many hops; else a comma-separated list of addresses/CIDRs. */
export function parseTrustProxy(raw: string | undefined): false | string[] | number {
  const v = (raw ?? '').trim();
  if (v === '' || ['0', 'false', 'no', 'none'].includes(v.toLowerCase())) return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (['true', 'yes', '*'].includes(v.toLowerCase())) {
    // Believing every sender is the flaw this setting exists to close: name the proxies instead.
    throw new Error('TRUST_PROXY must name the proxies (addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8) or a hop count, not "true"');
  }
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function cookieSecure(raw: string | undefined): Config['cookieSecure'] {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (['1', 'true', 'yes', 'always'].includes(v)) return 'always';
  if (['0', 'false', 'no', 'never'].includes(v)) return 'never';
  throw new Error(`COOKIE_SECURE must be auto, true or false, got "${raw}"`);
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
    publicUrl: baseUrl('PUBLIC_URL', env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    cookieSecure: cookieSecure(env.COOKIE_SECURE),
    rateLimits: {
      windowSeconds: Math.max(1, int('RATE_LIMIT_WINDOW_SECONDS', 60)),
      signIn: int('RATE_LIMIT_SIGN_IN', 20),
      passwordChange: int('RATE_LIMIT_PASSWORD', 10),
      publicForms: int('RATE_LIMIT_PUBLIC', 60),
      exports: int('RATE_LIMIT_EXPORTS', 20),
    },
    maxStreamsPerUser: Math.max(1, int('STREAMS_PER_USER', 5)),
    portal: {
      otpResendSeconds: int('OTP_RESEND_SECONDS', 60),
      otpPerNumberPerHour: int('OTP_PER_NUMBER_PER_HOUR', 5),
      otpPerIpPerHour: int('OTP_PER_IP_PER_HOUR', 20),
      sessionTtlHours: Math.max(1, int('RESIDENT_SESSION_TTL_HOURS', 720)),
    },
    logRequests: requestLogMode(env.LOG_REQUESTS, Boolean(process.stdout.isTTY)),
    jobsSchema: env.JOBS_SCHEMA || 'pgboss',
    outbox: {
      smppUrl: env.SMPP_URL || undefined,
      smppSourceAddr: env.SMPP_SOURCE_ADDR || '10690000',
      smsRate: Math.max(1, int('SMS_RATE', 100)),
      webhookSecret: env.WEBHOOK_SECRET || undefined,
      webhookTimeoutMs: Math.max(100, int('WEBHOOK_TIMEOUT_MS', 10_000)),
      vapidPublicKey: env.VAPID_PUBLIC_KEY || undefined,
      vapidPrivateKey: env.VAPID_PRIVATE_KEY || undefined,
      vapidSubject: env.VAPID_SUBJECT || 'mailto:admin@fangkong.invalid',
      maxAttempts: Math.max(1, int('OUTBOX_MAX_ATTEMPTS', 6)),
      retryDelaySeconds: Math.max(1, int('OUTBOX_RETRY_SECONDS', 30)),
      leaseSeconds: Math.max(5, int('OUTBOX_LEASE_SECONDS', 120)),
    },
  };
}

/** An http(s) base address without a trailing slash, query or fragment. */
function baseUrl(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) address such as https://fangkong.example.org, got "${raw}"`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username || u.password) {
    throw new Error(`${name} must be an http(s) address without query, fragment or credentials, got "${raw}"`);
  }
  return u.href.replace(/\/+$/, '');
}

/**
 * The public base address: PUBLIC_URL when set; else, for a laptop on the community's network,
 * the first IPv4 address of its network cards (what a resident's phone on the same Wi-Fi can open)
 * when listening on all of them, the address it listens on otherwise, localhost as the last resort.
 */
export function publicUrlOf(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, interfaces = os.networkInterfaces()): { url: string; configured: boolean } {
  if (config.publicUrl) return { url: config.publicUrl, configured: true };
  const all = config.host === '0.0.0.0' || config.host === '::' || config.host === '';
  const loopback = /^(127\.|localhost$|::1$)/.test(config.host);
  let host = all || loopback ? undefined : config.host.includes(':') ? `[${config.host}]` : config.host;
  if (all) {
    host = Object.values(interfaces)
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  }
  return { url: `http://${host ?? 'localhost'}${config.port === 80 ? '' : `:${config.port}`}`, configured: false };
}
