// npm run bench [-- <name> ...]: every bench/*.bench.ts (or the named ones), each in its own process, on PostgreSQL
// (BENCH_DATABASE_URL, 1,000,000 residents), or with BENCH_DB=pglite on the app's embedded PGlite (10,000; scale skipped);
// then BENCHMARKS.md from bench/results/*.json: <name>.json and <name>-pglite.json, each its own section.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DATABASE } from './lib/district.js';
import type { BenchResult } from './lib/report.js';
import { RESULTS, resultFile, resultTitle } from './lib/report.js';
import { ROOT } from './lib/server.js';

const DIR = import.meta.dirname;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = fs.readdirSync(DIR).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', '')).sort();
const chosen = wanted.length ? wanted : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark named ${name}; have: ${all.join(', ')}`);
    process.exit(2);
  }
}

// The benchmarks measure the server as `npm start` runs it: compiled, without tsx.
console.log(`benchmarks on ${DATABASE}: ${chosen.join(', ')}`);
execFileSync('npm', ['run', 'build', '-w', 'server'], { cwd: ROOT, stdio: 'inherit' });

let failed = 0;
for (const name of chosen) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(DIR, `${name}.bench.ts`)], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${r.status})`);
    failed++;
  }
}
writeReport();
process.exit(failed ? 1 : 0);

function writeReport() {
  if (!fs.existsSync(RESULTS)) return;
  const results: BenchResult[] = fs
    .readdirSync(RESULTS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS, f), 'utf8')) as BenchResult)
    .sort((a, b) => a.bench.localeCompare(b.bench) || Number(a.database === 'PGlite') - Number(b.database === 'PGlite'));
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` from `bench/results/*.json` (each benchmark saves its own when it runs); do not edit by hand.',
    'Each section says when, at which commit and on what machine it was measured.',
    '',
  ];
  for (const r of results) {
    lines.push(`## ${resultTitle(r)}`, '', `${r.database}, ${r.residents.toLocaleString('en')} residents — ${r.ranAt ?? 'date unknown'}, commit ${r.commit ?? 'unknown'}`, '');
    if (r.machine) lines.push(`Machine: ${r.machine}`, '');
    lines.push('| figure | value | limit (measured in the same run) | ratio | target | |', '|---|---|---|---|---|---|');
    for (const f of r.figures) {
      lines.push(
        `| ${f.name} | ${f.value} ${f.unit} | ${f.limit ? `${f.limit.name}: ${f.limit.value} ${f.limit.unit}` : ''} | ${f.ratio?.toFixed(2) ?? ''} | ${f.target ?? ''} | ${f.pass === undefined ? '' : f.pass ? 'pass' : '**miss**'} |`,
      );
    }
    lines.push('', `Peak RSS: ${Object.entries(r.peakRssMb).map(([k, v]) => `${k} ${v} MB`).join(', ')}`, '');
    for (const n of r.notes ?? []) lines.push(`- ${n}`);
    lines.push('');
    const chart = ratioChart(r);
    if (chart) {
      const file = `bench/results/${resultFile(r)}.svg`;
      fs.writeFileSync(path.join(ROOT, file), chart);
      lines.push(`![${resultTitle(r)}](${file})`, '');
    }
  }
  fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
  console.log('\nwrote BENCHMARKS.md');
}

/** A horizontal bar chart of each figure's ratio to its limit, as SVG. */
function ratioChart(r: BenchResult): string | null {
  const rows = r.figures.filter((f) => f.ratio !== undefined);
  if (!rows.length) return null;
  const max = Math.max(1, ...rows.map((f) => f.ratio!));
  const w = 640;
  const barMax = 320;
  const h = 30 + rows.length * 28;
  const bars = rows
    .map((f, i) => {
      const y = 24 + i * 28;
      const bw = Math.max(2, (f.ratio! / max) * barMax);
      const colour = f.pass === false ? '#cf1322' : '#1677ff';
      return `<text x="4" y="${y + 14}" font-size="12">${escape(f.name)}</text><rect x="280" y="${y}" width="${bw}" height="18" fill="${colour}"/><text x="${284 + bw}" y="${y + 14}" font-size="12">${f.ratio!.toFixed(2)}</text>`;
    })
    .join('');
  const one = 280 + barMax / max;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif"><text x="4" y="14" font-size="13" font-weight="bold">${escape(resultTitle(r))}: ratio to limit</text>${bars}<line x1="${one}" x2="${one}" y1="20" y2="${h}" stroke="#888" stroke-dasharray="4"/></svg>`;
}

function escape(s: string) {
  return s.replace(/[<&>]/g, (c) => ({ '<': '&lt;', '&': '&amp;', '>': '&gt;' })[c]!);
}
