// Each benchmark prints its figures and writes them to bench/results/<name>.json (on PGlite
// <name>-pglite.json); run.ts gathers those into BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  name: string; // what was measured
  value: number;
  unit: string;
  /** the named limit it is compared with, measured in the same run or fixed by an issue */
  limit?: { name: string; value: number; unit: string };
  /** value ÷ limit, in the direction where bigger is better unless lowerIsBetter */
  ratio?: number;
  target?: string; // e.g. '≥ 0.5' or '< 50 ms'
  pass?: boolean;
  lowerIsBetter?: boolean;
}

export interface BenchResult {
  bench: string;
  database: string;
  residents: number;
  figures: Figure[];
  peakRssMb: Record<string, number>;
  notes?: string[];
  /** filled in by printAndSave: when, at which commit and on what machine this ran */
  ranAt?: string;
  commit?: string;
  machine?: string;
}

export const RESULTS = path.resolve(import.meta.dirname, '../results');

// PostgreSQL's results keep the benchmark's bare name (the files and sections they had before PGlite mode).
/** The result's file name in bench/results, without .json or .svg. */
export function resultFile(r: BenchResult): string {
  return r.database === 'PGlite' ? `${r.bench}-pglite` : r.bench;
}
/** The result's section title in BENCHMARKS.md. */
export function resultTitle(r: BenchResult): string {
  return r.database === 'PGlite' ? `${r.bench} on PGlite` : r.bench;
}

function commitOf(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: RESULTS }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'bench/lib', 'bench/*.ts'], { cwd: path.resolve(RESULTS, '../..') }).toString().trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
}

/** Prints the figures and saves them (committed: BENCHMARKS.md is written from every saved result). */
export function printAndSave(r: BenchResult) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const saved: BenchResult = { ...r, ranAt: new Date().toISOString(), commit: commitOf(), machine: machine() };
  fs.writeFileSync(path.join(RESULTS, `${resultFile(r)}.json`), JSON.stringify(saved, null, 2) + '\n');
  console.log(`\n== ${r.bench} (${r.database}, ${r.residents.toLocaleString('en')} residents)`);
  for (const f of r.figures) {
    const limit = f.limit ? `  vs ${f.limit.name} ${f.limit.value} ${f.limit.unit}` : '';
    const ratio = f.ratio !== undefined ? `  ratio ${f.ratio.toFixed(2)}` : '';
    const target = f.target ? `  target ${f.target} ${f.pass ? 'PASS' : 'MISS'}` : '';
    console.log(`  ${f.name}: ${f.value} ${f.unit}${limit}${ratio}${target}`);
  }
  for (const [proc, mb] of Object.entries(r.peakRssMb)) console.log(`  peak RSS ${proc}: ${mb} MB${mb >= 300 ? '  (over 300 MB!)' : ''}`);
  for (const n of r.notes ?? []) console.log(`  note: ${n}`);
}
