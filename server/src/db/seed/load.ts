// Writes a generated district into the database: places with their materialised paths,
// households, and residents with encrypted ID numbers, in large batches inside one
// transaction (all or nothing). Ids come from the tables' own sequences, fetched ahead in
// blocks, so residents can name their household without a round trip per row and the
// sequences stay right for everything created later.
//
// Speed: every batch is one statement per table whose parameters are PostgreSQL array
// literals unnested server-side, and the next batch is generated and encrypted while the
// database writes the previous one (two cores: Node and the database both busy).
import type { Queryable } from '../client.js';
import type { AppContext } from '../../platform/context.js';
import { RESIDENT_COLUMNS, residentRow, validateResident } from '../../modules/registry/index.js';
import { generateDistrict, referenceDay, type GenerateOptions, type GenPlace } from './generator.js';

export interface LoadProgress {
  places: number;
  households: number;
  residents: number;
  seconds: number;
}

export interface LoadOptions extends GenerateOptions {
  /** Load only into an empty places table (checked under a lock); otherwise return null. */
  ifEmpty?: boolean;
  /** Residents per statement. */
  batch?: number;
  onProgress?: (p: LoadProgress) => void;
  /** Runs in the same transaction once the district is written (the demo adds its accounts here). */
  after?: (q: Queryable, placeIds: ReadonlyMap<string, number>) => Promise<void>;
}

export interface LoadResult extends LoadProgress {
  /** Generated place key ('d/s1/c1/p1/g2') → database id. */
  placeIds: Map<string, number>;
}

const SQL_TYPES: Record<(typeof RESIDENT_COLUMNS)[number], string> = {
  household_id: 'int',
  place_path: 'text',
  name: 'text',
  id_type: 'text',
  id_cipher: 'bytea',
  id_blind: 'bytea',
  id_masked: 'text',
  sex: 'text',
  birth_date: 'date',
  phone: 'text',
  nationality: 'text',
  language: 'text',
  tenancy: 'text',
  elderly_alone: 'bool',
  mobility_impaired: 'bool',
  pregnant: 'bool',
  due_date: 'date',
  chronic_illness: 'bool',
  infant: 'bool',
  name_search: 'text',
};

const INSERT_PLACES = `INSERT INTO places (id, parent_id, kind, name, code, floors, path, depth) OVERRIDING SYSTEM VALUE
  SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[])`;
const INSERT_HOUSEHOLDS = `INSERT INTO households (id, place_id, place_path, room) OVERRIDING SYSTEM VALUE
  SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[])`;
const INSERT_RESIDENTS = `INSERT INTO residents (${RESIDENT_COLUMNS.join(', ')})
  SELECT * FROM unnest(${RESIDENT_COLUMNS.map((c, i) => `$${i + 1}::${SQL_TYPES[c]}[]`).join(', ')})`;

/**
 * A column of values as a PostgreSQL array literal, sent as one text parameter: the same on
 * both drivers and cheaper than either driver's per-element conversion.
 */
class Column {
  private text = '';
  length = 0;
  push(v: unknown) {
    // Built by concatenation: cheaper than an array of parts joined at the end.
    const sep = this.length++ === 0 ? '' : ',';
    if (v === null || v === undefined) this.text += `${sep}NULL`;
    else if (typeof v === 'number') this.text += sep + v;
    else if (typeof v === 'boolean') this.text += sep + (v ? 't' : 'f');
    else if (Buffer.isBuffer(v)) this.text += `${sep}\\\\x${v.toString('hex')}`;
    else {
      const t = String(v);
      this.text += `${sep}"${SPECIAL.test(t) ? t.replace(SPECIALS, '\\$&') : t}"`;
    }
  }
  take(): string {
    const s = `{${this.text}}`;
    this.text = '';
    this.length = 0;
    return s;
  }
}
const SPECIAL = /[\\"]/;
const SPECIALS = /[\\"]/g;

const columns = (n: number) => Array.from({ length: n }, () => new Column());

/**
 * Ids from a table's identity sequence, fetched a block ahead. Blocks shrink towards the end
 * of the load (expected() estimates how many more ids are needed), so few ids go unused.
 */
class IdBlock {
  private ids: number[] = [];
  private next: Promise<number[]> | null = null;
  constructor(
    private q: Queryable,
    private sequence: string,
    private size: number,
    private expected: () => number,
  ) {}
  private fetch(): Promise<number[]> {
    const n = Math.max(16, Math.min(this.size, Math.ceil(this.expected() * 1.1)));
    const p = this.q
      .query<{ id: number }>('SELECT nextval($1::regclass)::int AS id FROM generate_series(1, $2)', [this.sequence, n])
      .then((r) => r.rows.map((x) => x.id).reverse());
    p.catch(() => undefined); // awaited later; never an unhandled rejection meanwhile
    return p;
  }
  /** An id now, or undefined when the caller must await refill(). */
  take(): number | undefined {
    if (!this.next && this.ids.length < Math.min(this.size / 2, this.expected())) this.next = this.fetch();
    return this.ids.pop();
  }
  async refill() {
    this.ids = await (this.next ?? this.fetch());
    this.next = null;
  }
}

async function idFrom(block: IdBlock): Promise<number> {
  let id = block.take();
  while (id === undefined) {
    await block.refill();
    id = block.take();
  }
  return id;
}

export async function loadDistrict(ctx: AppContext, opts: LoadOptions): Promise<LoadResult | null> {
  const started = Date.now();
  const { db, vault } = ctx;
  const batch = opts.batch ?? 5000;
  const today = new Date(referenceDay(opts.today));
  const result = await db.tx(async (q) => {
    if (opts.ifEmpty) {
      // Two servers starting at once on an empty database: only one loads the demo.
      await q.query(`SELECT pg_advisory_xact_lock(hashtext('fangkong.seed'))`);
      if ((await q.query('SELECT 1 FROM places LIMIT 1')).rows.length) return null;
    }
    const seq = async (table: string) => (await q.query<{ s: string }>(`SELECT pg_get_serial_sequence($1, 'id') AS s`, [table])).rows[0].s;
    const counts = { places: 0, households: 0, residents: 0 };
    const left = () => opts.residents - counts.residents;
    // About 2.4 residents a household and one place for every 25–30 residents.
    const placeIds = new IdBlock(q, await seq('places'), 2000, () => left() / 25 + 8);
    const householdIds = new IdBlock(q, await seq('households'), 20_000, () => left() / 2);

    const places = new Map<string, { id: number; path: string; depth: number }>();
    const placeCols = columns(8);
    const householdCols = columns(4);
    const residentCols = columns(RESIDENT_COLUMNS.length);
    let inflight: Promise<void> = Promise.resolve();

    // Sends what has been gathered; the next batch is built while this one is written.
    const flush = async () => {
      await inflight;
      const p = placeCols.map((c) => c.take());
      const h = householdCols.map((c) => c.take());
      const r = residentCols.map((c) => c.take());
      const written = { ...counts };
      inflight = (async () => {
        if (p[0] !== '{}') await q.query(INSERT_PLACES, p);
        if (h[0] !== '{}') await q.query(INSERT_HOUSEHOLDS, h);
        if (r[0] !== '{}') await q.query(INSERT_RESIDENTS, r);
        opts.onProgress?.({ ...written, seconds: (Date.now() - started) / 1000 });
      })();
      inflight.catch(() => undefined);
    };

    const addPlace = async (p: GenPlace) => {
      const parent = p.parentKey === null ? null : places.get(p.parentKey)!;
      const id = await idFrom(placeIds);
      const path = `${parent?.path ?? '/'}${id}/`;
      const depth = parent ? parent.depth + 1 : 0;
      places.set(p.key, { id, path, depth });
      const row = [id, parent?.id ?? null, p.kind, p.name, p.code, p.floors, path, depth];
      for (let i = 0; i < row.length; i++) placeCols[i].push(row[i]);
      counts.places++;
    };

    try {
      for (const item of generateDistrict(opts)) {
        if (item.type === 'place') {
          await addPlace(item.place);
          continue;
        }
        const unit = places.get(item.household.unitKey)!;
        const householdId = householdIds.take() ?? (await idFrom(householdIds));
        for (const [i, v] of [householdId, unit.id, unit.path, item.household.room].entries()) householdCols[i].push(v);
        counts.households++;
        for (const person of item.household.residents) {
          // The generator emits validated shapes (the tests check every one); a sample here
          // catches a regression without paying ~7 µs a resident.
          if (counts.residents % 97 === 0) {
            const checked = validateResident(person, today);
            if ('errors' in checked) {
              throw new Error(
                `generated an invalid resident (${person.name}: ${checked.errors.map((e) => `${e.field} ${e.code}`).join('; ')})`,
              );
            }
          }
          const row = residentRow(vault, person, householdId, unit.path);
          for (let i = 0; i < row.length; i++) residentCols[i].push(row[i]);
          counts.residents++;
        }
        if (residentCols[0].length >= batch) await flush();
        // Let the event loop run now and then, so the batch in flight is sent and answered
        // while this one is generated (awaiting resolved promises alone never yields to I/O).
        else if (counts.households % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await flush();
      await inflight;
    } catch (err) {
      // Let the statement in flight finish before the transaction rolls back.
      await inflight.catch(() => undefined);
      throw err;
    }
    const ids = new Map([...places].map(([k, v]) => [k, v.id]));
    await opts.after?.(q, ids);
    return { ...counts, placeIds: ids };
  });
  if (!result) return null;
  // Fresh statistics, or the planner walks a million rows to find one phone number.
  await db.exec('ANALYZE places; ANALYZE households; ANALYZE residents;');
  return { ...result, seconds: (Date.now() - started) / 1000 };
}
