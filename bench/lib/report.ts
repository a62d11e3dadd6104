// Each benchmark prints its figures and writes them to bench/results/<name>.json; run.ts
// gathers those into BENCHMARKS.md.
import fs from 'node:fs';
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
}

export const RESULTS = path.resolve(import.meta.dirname, '../results');

export function printAndSave(r: BenchResult) {
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, `${r.bench}.json`), JSON.stringify(r, null, 2));
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
