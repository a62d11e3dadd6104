// Starts a server process for a benchmark and reports its peak resident memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The application as `npm start` runs it: compiled to JavaScript (bench/run.ts builds it first)… */
export const APP = 'server/dist/main.js';
// …with the heap cap of its start script (server/package.json, SERVER_HEAP_MB): V8 otherwise
// lets garbage pile up to a fraction of the machine's memory before a full collection.
const APP_FLAGS = [`--max-old-space-size=${process.env.SERVER_HEAP_MB ?? 192}`];

export interface RunningServer {
  url: string;
  pid: number;
  /** VmHWM: the peak RSS of the process so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 120_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

/** Runs an entry point (the built app, or a bare comparison server in TypeScript) with the given environment. */
export async function startServer(entry: string, env: Record<string, string>, healthPath = '/api/health'): Promise<RunningServer> {
  const port = env.PORT;
  // BENCH_CPU_PROF=dir: profile the application server (not the bare one) into dir.
  const profile = process.env.BENCH_CPU_PROF && entry.startsWith('server/') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  if (entry.endsWith('.js') && !fs.existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: run \`npm run build -w server\` (npm run bench does)`);
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : entry === APP ? APP_FLAGS : [];
  const child = spawn(process.execPath, [...profile, ...loader, entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A benchmark that throws must not leave its servers running (they hold the port and the pipe).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url + healthPath, child);
  return {
    url,
    pid: child.pid!,
    peakRssMb: () => peakRssMb(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function signInCookie(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!;
  return cookie.split(';')[0];
}
