// The dry run: every row judged, every rejection written to the report, and every good row
// classified against the registry (new, changed, unchanged) without writing anything.
import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { Queryable } from '../../../db/client.js';
import type { Actor, AppContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { sql } from '../../../db/sql.js';
import { within, type Scope } from '../../../platform/scope.js';
import type { JobState } from './jobs.js';
import { PlaceResolver } from './places.js';
import { rowError, scan, type GoodRow, type RowError } from './scan.js';

/** How many errors the job itself carries; the report file has them all. */
export const KEPT_ERRORS = 200;

interface Stored {
  blind: string; // hex
  in_scope: boolean;
  place_path: string;
  room: string | null;
  name: string;
  sex: string | null;
  birth_date: string | null;
  phone: string | null;
  nationality: string;
  language: string;
  tenancy: string;
  elderly_alone: boolean;
  mobility_impaired: boolean;
  pregnant: boolean;
  due_date: string | null;
  chronic_illness: boolean;
  infant: boolean;
  archived: boolean;
}

export type RowClass = 'create' | 'update' | 'same' | 'foreign';

/** Which rows of a batch are new, changed or identical to what is stored; rows owned by another area are 'foreign'. */
export async function classify(q: Queryable, scope: Scope, rows: GoodRow[], placePathOf: (key: string) => string | null): Promise<RowClass[]> {
  // "= ANY(an array built in the query)" probes the unique index (a bitmap scan) whatever the
  // planner thinks of the table's size; a join on unnest made it hash the whole table. IDs
  // travel as hex, which PGlite converts far faster than bytea.
  const { rows: found } = await q.query<Stored>(
    sql`SELECT encode(r.id_blind, 'hex') AS blind, ${within(scope, 'r.place_path')} AS in_scope, r.place_path, h.room, r.name, r.sex, r.birth_date,
            r.phone, r.nationality, r.language, r.tenancy, r.elderly_alone, r.mobility_impaired, r.pregnant, r.due_date, r.chronic_illness,
            r.infant, r.archived_at IS NOT NULL AS archived
       FROM residents r LEFT JOIN households h ON h.id = r.household_id
      WHERE r.id_blind = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${rows.map((r) => r.blind.toString('hex'))}::text[]) AS x))`,
  );
  const byBlind = new Map(found.map((f) => [f.blind, f]));
  return rows.map((r) => {
    const f = byBlind.get(r.blind.toString('hex'));
    if (!f) return 'create';
    if (!f.in_scope) return 'foreign';
    const v = r.values;
    const same =
      !f.archived && f.place_path === placePathOf(r.placeKey) && f.room === r.room && f.name === v.name && f.sex === v.sex &&
      f.birth_date === v.birthDate && f.phone === v.phone && f.nationality === v.nationality && f.language === v.language &&
      f.tenancy === v.tenancy && f.elderly_alone === v.elderlyAlone && f.mobility_impaired === v.mobilityImpaired &&
      f.pregnant === v.pregnant && f.due_date === v.dueDate && f.chronic_illness === v.chronicIllness && f.infant === v.infant;
    return same ? 'same' : 'update';
  });
}

export async function dryRun(ctx: AppContext, actor: Actor, state: JobState) {
  const { job } = state;
  const resolver = await PlaceResolver.load(ctx.db, state.community, state.unknownPlaces === 'create');
  const report = stringify({ header: true, columns: ['row', 'column', 'code', 'zh-CN', 'en-US'] });
  const out = fs.createWriteStream(state.reportFile);
  out.write('\ufeff'); // Excel reads a UTF-8 CSV correctly only with the BOM
  report.pipe(out);
  const rejected = new Set<number>();
  const reject = (e: RowError) => {
    rejected.add(e.row);
    job.errorCount++;
    if (job.errors.length < KEPT_ERRORS) job.errors.push(e);
    report.write([e.row, e.column, e.code, e.message['zh-CN'], e.message['en-US']]);
  };
  try {
    await scan(ctx, state, resolver, job.progress, reject, async (rows) => {
      const kinds = await classify(ctx.db, actor.scope, rows, (k) => resolver.pathOf(k));
      kinds.forEach((k, i) => {
        // Registered in another area: refused without saying where (the uploader may not see it).
        if (k === 'foreign') reject(rowError(rows[i].row, new AppError('RESIDENT_DUPLICATE_ID', { field: 'idNumber' })));
        else if (k === 'create') job.summary.toCreate++;
        else if (k === 'update') job.summary.toUpdate++;
        else job.summary.unchanged++;
      });
    });
  } finally {
    report.end();
    await once(out, 'finish');
  }
  // Foreign IDs are found a batch late; keep the report's first rows in row order.
  job.errors.sort((a, b) => a.row - b.row);
  job.summary.rows = job.progress.rowsRead;
  job.summary.rejected = rejected.size;
  job.summary.valid = job.summary.rows - rejected.size;
  job.summary.placesToCreate = resolver.placesToCreate;
  job.placesToCreate = resolver.plannedPlaces();
}
