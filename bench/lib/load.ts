// Load from this (second) process with autocannon; returns the figures every benchmark prints.
import autocannon from 'autocannon';

export interface LoadFigures {
  requests: number;
  throughput: number; // requests per second
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Send exactly this many requests instead of running for durationSeconds (single-use inputs such as one-time codes). */
  amount?: number;
  headers?: Record<string, string>;
  /** Called per request: returns the path (and optionally method/body, and headers over `headers`) to send. */
  next: () => { path: string; method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> };
}

export async function runLoad(o: LoadOptions): Promise<LoadFigures> {
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSeconds,
    ...(o.amount ? { amount: o.amount } : {}),
    headers: { 'content-type': 'application/json', ...o.headers },
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const n = o.next();
          return { ...req, path: n.path, method: n.method ?? 'GET', body: n.body, ...(n.headers ? { headers: { ...(req.headers as object), ...n.headers } } : {}) };
        },
      },
    ],
  });
  const l = result.latency as unknown as Record<string, number>;
  return {
    requests: result.requests.total,
    throughput: Math.round(result.requests.average),
    p50: l.p50,
    p95: l.p95 ?? l.p97_5,
    p99: l.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Latency percentiles of a list of durations (ms), for benchmarks that time single operations. */
export function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { p50: at(50), p95: at(95), p99: at(99), max: s.at(-1)! };
}
