// What the server writes to its console: the access log in one of three modes, and the boxed
// notices (a one-time password) that must not scroll away unseen.
//
// LOG_REQUESTS=json  Fastify's structured JSON log (pino), two lines per request: for a log
//                    collector (journald, Loki…). The default when stdout is not a terminal
//                    (systemd, docker, a pipe).
// LOG_REQUESTS=short one line per request ("12:04:05 GET /api/residents?q=*** 200 8 ms") and
//                    every other log entry as a line of text: the default on a terminal.
// LOG_REQUESTS=off   no line per request; warnings and errors still print.
// LOG_LEVEL sets the level (info by default) in every mode.
import type { Writable } from 'node:stream';

export type RequestLogMode = 'off' | 'short' | 'json';

export function requestLogMode(raw: string | undefined, terminal: boolean): RequestLogMode {
  if (raw === undefined || raw === '') return terminal ? 'short' : 'json';
  const v = raw.toLowerCase();
  if (v === 'off' || v === 'short' || v === 'json') return v;
  if (['0', 'false', 'no'].includes(v)) return 'off';
  throw new Error(`LOG_REQUESTS must be off, short or json, got "${raw}"`);
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

/** One pino JSON line as a line of text: time, level (when not info), message, the other fields, an error's stack. */
export function textLine(json: string): string {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(json);
  } catch {
    return json.trimEnd();
  }
  const { level, time, msg, err, pid: _pid, hostname: _h, reqId: _r, ...rest } = e;
  const head = [clock(Number(time) || Date.now()), level === 30 ? '' : (LEVELS[Number(level)] ?? String(level)), String(msg ?? '')].filter(Boolean).join(' ');
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String((err as { stack: unknown }).stack)}` : '';
  return `${head}${extra}${stack}`;
}

/** The logger options for Fastify: JSON as it comes, or text lines on `out`. */
export function loggerOptions(level: string, mode: RequestLogMode, out: Writable = process.stdout): object {
  if (mode === 'json') return { level };
  return { level, stream: { write: (line: string) => out.write(`${textLine(line)}\n`) } };
}

/** Display width of a string in a terminal: CJK and full-width forms take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** Lines in a double-ruled box, yellow on a terminal, with a blank line above and below. */
export function box(lines: string[], color = Boolean(process.stdout.isTTY)): string {
  const width = Math.max(...lines.map(displayWidth));
  const paint = (s: string) => (color ? `\x1b[1;33m${s}\x1b[0m` : s);
  const body = lines.map((l) => paint(`║  ${l}${' '.repeat(width - displayWidth(l))}  ║`));
  return ['', paint(`╔${'═'.repeat(width + 4)}╗`), ...body, paint(`╚${'═'.repeat(width + 4)}╝`), ''].join('\n');
}

/** The box that hands over a one-time administrator password (first start and reset-password). */
export function passwordBox(username: string, password: string, why: string): string {
  return box([
    why,
    '',
    `管理员账号 / administrator:        ${username}`,
    `一次性密码 / one-time password:    ${password}`,
    '',
    '首次登录时须改为自己的密码 / you choose your own at the first sign-in.',
    '此密码不会再显示；遗失时在本机运行 / it is not shown again; if lost, run on this machine:',
    `  npm run reset-password -- ${username}`,
  ]);
}
