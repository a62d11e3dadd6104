// npm run generate -- --residents 100000 [--seed 42] [--csv file.csv] [--database-url postgres://…]
// Writes a synthetic district into the database (migrating it first), or only to a CSV import file.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openContext } from '../../bootstrap.js';
import { writeDistrictCsv } from './csv.js';
import { loadDistrict } from './load.js';

const { values: args } = parseArgs({
  options: {
    residents: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
    csv: { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const residents = Number(args.residents);
const seed = Number(args.seed);
if (!Number.isInteger(residents) || residents < 1) throw new Error('--residents must be a positive integer');

if (args.csv) {
  const started = Date.now();
  const n = await writeDistrictCsv(args.csv, { residents, seed });
  const s = (Date.now() - started) / 1000;
  console.log(`wrote ${n} residents to ${args.csv} in ${s.toFixed(1)} s (${Math.round(n / s)} rows/s)`);
} else {
  const config = loadConfig();
  if (args['database-url']) config.databaseUrl = args['database-url'];
  const ctx = await openContext(config);
  let last = Date.now();
  const r = await loadDistrict(ctx, {
    residents,
    seed,
    onProgress: (n) => {
      if (Date.now() - last > 2000) {
        last = Date.now();
        console.log(`  ${n.toLocaleString('en')} / ${residents.toLocaleString('en')} residents`);
      }
    },
  });
  console.log(
    `loaded ${r.residents} residents, ${r.households} households, ${r.places} places into ${ctx.db.kind} in ${r.seconds.toFixed(1)} s (${Math.round(r.residents / r.seconds)} residents/s)`,
  );
  await ctx.db.close();
}
