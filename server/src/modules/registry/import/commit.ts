// The commit: the file read again and written in one transaction — missing places, then
// households, then residents, a thousand rows per statement. Any error rolls it all back.
import type { Queryable } from '../../../db/client.js';
import { audit } from '../../../platform/audit.js';
import type { Actor, AppContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { join, raw, sql } from '../../../db/sql.js';
import { within, type Scope } from '../../../platform/scope.js';
import { RESIDENT_COLUMNS, residentRow } from '../resident-input.js';
import type { JobState } from './jobs.js';
import { PlaceResolver } from './places.js';
import { scan, type GoodRow } from './scan.js';

// Column types for unnest(): one array parameter per column keeps the statement small and
// its plan cheap, where a VALUES list would need 19 parameters per row. Binary columns travel
// as hex text: PGlite encodes a bytea parameter one byte at a time in JavaScript.
const PG_TYPE: Record<(typeof RESIDENT_COLUMNS)[number], string> = {
  household_id: 'int', place_path: 'text', name: 'text', id_type: 'text', id_cipher: 'bytea', id_blind: 'bytea', id_masked: 'text',
  sex: 'text', birth_date: 'date', phone: 'text', nationality: 'text', language: 'text', tenancy: 'text', elderly_alone: 'boolean',
  mobility_impaired: 'boolean', pregnant: 'boolean', due_date: 'date', chronic_illness: 'boolean', infant: 'boolean', name_search: 'text',
};
// Compared to decide "unchanged": everything but the ciphertext, which differs on every encryption.
const COMPARED = RESIDENT_COLUMNS.filter((c) => c !== 'id_cipher' && c !== 'id_blind');
// Unchanged rows are left alone (updated_at stays); a resident of another area is never overwritten.
const BINARY = RESIDENT_COLUMNS.map((c) => PG_TYPE[c] === 'bytea');
function upsert(columns: unknown[][], scope: Scope) {
  const arrays = join(RESIDENT_COLUMNS.map((c, i) => sql`${columns[i]}::${raw(BINARY[i] ? 'text' : PG_TYPE[c])}[]`));
  return sql`
  INSERT INTO residents (${raw(RESIDENT_COLUMNS.join(', '))})
  SELECT ${raw(RESIDENT_COLUMNS.map((c, i) => (BINARY[i] ? `decode(u.${c}, 'hex')` : `u.${c}`)).join(', '))}
    FROM unnest(${arrays}) AS u(${raw(RESIDENT_COLUMNS.join(', '))})
  ON CONFLICT (id_blind) DO UPDATE SET ${raw(RESIDENT_COLUMNS.filter((c) => c !== 'id_blind').map((c) => `${c} = EXCLUDED.${c}`).join(', '))},
    archived_at = NULL, updated_at = now()
  WHERE ${within(scope, 'residents.place_path')}
    AND ((${raw(COMPARED.map((c) => `residents.${c}`).join(', '))}, residents.archived_at IS NULL)
         IS DISTINCT FROM (${raw(COMPARED.map((c) => `EXCLUDED.${c}`).join(', '))}, true))
  RETURNING (xmax = 0) AS inserted`;
}

interface Written {
  created: number;
  updated: number;
  /** rows that would overwrite a resident of another area (registered since the dry run) */
  foreign: number;
}

/** Writes one batch of good rows inside the commit's transaction. */
async function writeBatch(q: Queryable, ctx: AppContext, scope: Scope, resolver: PlaceResolver, rows: GoodRow[]): Promise<Written> {
  await resolver.ensure(q, new Set(rows.map((r) => r.placeKey)));
  const placeOf = (r: GoodRow) => resolver.placeAt(r.placeKey);

  const pairs = [...new Map(rows.map((r) => [`${placeOf(r).id}|${r.room}`, r])).values()];
  const placeIds = pairs.map((r) => placeOf(r).id);
  const rooms = pairs.map((r) => r.room);
  // New households come back from the insert, existing ones from an index probe each (OFFSET 0
  // keeps the lateral subquery a per-row probe, not a hash of the whole table): one round trip.
  const { rows: hh } = await q.query<{ id: number; place_id: number; room: string }>(
    `WITH k AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) AS k(place_id, place_path, room)),
          ins AS (INSERT INTO households (place_id, place_path, room) SELECT * FROM k ON CONFLICT (place_id, room) DO NOTHING RETURNING id, place_id, room)
     SELECT id, place_id, room FROM ins
     UNION ALL
     SELECT h.id, h.place_id, h.room FROM k CROSS JOIN LATERAL (SELECT * FROM households h WHERE h.place_id = k.place_id AND h.room = k.room OFFSET 0) h`,
    [placeIds, pairs.map((r) => placeOf(r).path), rooms],
  );
  if (hh.length < pairs.length) {
    // Inserted by another transaction during this statement (PostgreSQL): visible to a new one.
    const { rows: more } = await q.query<{ id: number; place_id: number; room: string }>(
      `SELECT h.id, h.place_id, h.room FROM unnest($1::int[], $2::text[]) AS k(place_id, room)
         CROSS JOIN LATERAL (SELECT * FROM households h WHERE h.place_id = k.place_id AND h.room = k.room OFFSET 0) h`,
      [placeIds, rooms],
    );
    hh.push(...more);
  }
  const householdOf = new Map(hh.map((h) => [`${h.place_id}|${h.room}`, h.id]));

  const columns: unknown[][] = RESIDENT_COLUMNS.map(() => []);
  for (const r of rows) {
    const place = placeOf(r);
    residentRow(ctx.vault, r.values, householdOf.get(`${place.id}|${r.room}`)!, place.path).forEach((v, i) =>
      columns[i].push(BINARY[i] ? (v as Buffer).toString('hex') : v),
    );
  }
  const { rows: written } = await q.query<{ inserted: boolean }>(upsert(columns, scope));
  const created = written.filter((w) => w.inserted).length;
  let foreign = 0;
  if (written.length < rows.length && scope.path !== '/') {
    // Skipped rows are the unchanged ones, or residents registered elsewhere since the dry run.
    const { rows: n } = await q.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM residents
           WHERE id_blind = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${rows.map((r) => r.blind.toString('hex'))}::text[]) AS x))
             AND NOT ${within(scope, 'place_path')}`,
    );
    foreign = n[0].n;
  }
  return { created, updated: written.length - created, foreign };
}

export async function commit(ctx: AppContext, actor: Actor, state: JobState) {
  const { job } = state;
  await ctx.db.tx(async (q) => {
    const resolver = await PlaceResolver.load(q, state.community, state.unknownPlaces === 'create');
    let late = 0; // rows that passed the dry run but fail now: the registry changed in between
    await scan(ctx, state, resolver, job.progress, () => late++, async (rows) => {
      const w = await writeBatch(q, ctx, actor.scope, resolver, rows);
      job.summary.created += w.created;
      job.summary.updated += w.updated;
      late += w.foreign;
      job.progress.rowsWritten += rows.length;
    });
    if (late > 0) throw new AppError('IMPORT_HAS_ERRORS', { params: { count: late } });
    job.summary.placesCreated = resolver.placesCreated;
    job.summary.unchanged = job.progress.rowsWritten - job.summary.created - job.summary.updated;
    await audit(q, actor, {
      action: 'import.commit',
      entity: 'place',
      entityId: state.community.id,
      placePath: state.community.path,
      detail: {
        fileName: job.fileName,
        rows: job.summary.rows,
        created: job.summary.created,
        updated: job.summary.updated,
        unchanged: job.summary.unchanged,
        placesCreated: job.summary.placesCreated,
      },
    });
  });
}
