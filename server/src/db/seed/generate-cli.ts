// npm run generate -- --residents 100000 [--seed 42] [--today 2026-11-24] [--csv file.csv] [--database-url postgres://… | --data-dir ./data]
// Writes a synthetic district into the configured database (migrating it first; it must hold
// no places yet), and/or as a CSV ledger. With only --csv, no database is touched.
// --data-dir: the embedded PGlite that a server started with DATA_DIR=<that folder> opens.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openContext } from '../../bootstrap.js';
import { writeDistrictCsv } from './csv.js';
import { loadDistrict } from './load.js';
import { planDistrict } from './generator.js';

const { values: args } = parseArgs({
  options: {
    residents: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
    today: { type: 'string' },
    csv: { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    batch: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (args.help) {
  console.log('npm run generate -- --residents N [--seed S] [--today YYYY-MM-DD] [--csv file.csv] [--database-url postgres://… | --data-dir folder]');
  process.exit(0);
}
const residents = Number(args.residents);
const seed = Number(args.seed);
if (!Number.isInteger(residents) || residents < 1) fail('--residents must be a positive integer');
if (!Number.isInteger(seed)) fail('--seed must be an integer');
if (args['database-url'] && args['data-dir']) fail('--database-url and --data-dir name two databases: give one');
if (args.today && Number.isNaN(Date.parse(args.today))) fail('--today must be a date YYYY-MM-DD');
const today = args.today ?? new Date().toISOString().slice(0, 10);
const gen = { residents, seed, today };
const n = (x: number) => x.toLocaleString('en');
const plan = planDistrict(residents);
console.log(`district 河西区: ${n(residents)} residents, ${plan.streets} streets, ${plan.communities} communities (seed ${seed}, as of ${today})`);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (args.csv) {
  const started = Date.now();
  const rows = await writeDistrictCsv(args.csv, gen, (r) => {
    if (r % 100_000 === 0) console.log(`  ${n(r)} rows`);
  });
  const s = (Date.now() - started) / 1000;
  console.log(`wrote ${n(rows)} residents to ${args.csv} in ${s.toFixed(1)} s (${n(Math.round(rows / s))} rows/s)`);
}

if (!args.csv || args['database-url'] || args['data-dir']) {
  const config = loadConfig();
  if (args['database-url']) config.databaseUrl = args['database-url'];
  if (args['data-dir']) {
    // PGlite even when DATABASE_URL is set: the folder is the database asked for.
    config.databaseUrl = undefined;
    config.dataDir = path.resolve(args['data-dir']);
  }
  const ctx = await openContext(config);
  try {
    let last = 0;
    const r = await loadDistrict(ctx, {
      ...gen,
      ifEmpty: true,
      batch: args.batch ? Number(args.batch) : undefined,
      onProgress: (p) => {
        if (p.seconds - last >= 2) {
          last = p.seconds;
          console.log(`  ${n(p.residents)} / ${n(residents)} residents, ${p.seconds.toFixed(1)} s (${n(Math.round(p.residents / p.seconds))}/s)`);
        }
      },
    });
    if (!r) fail('the database already holds places; generate into an empty database');
    console.log(
      `loaded ${n(r.residents)} residents, ${n(r.households)} households and ${n(r.places)} places into ${ctx.db.kind} ` +
        `in ${r.seconds.toFixed(1)} s (${n(Math.round(r.residents / r.seconds))} residents/s, including ANALYZE)`,
    );
  } finally {
    await ctx.db.close();
  }
}
