// Writes a synthetic district into the database in large batches. Ids are assigned here
// (OVERRIDING SYSTEM VALUE) so residents can name their household without a round trip.
import type { Queryable } from '../client.js';
import type { AppContext } from '../../platform/context.js';
import { RESIDENT_COLUMNS, residentRow, validateResident } from '../../modules/registry/resident-input.js';
import { generateDistrict, type GenerateOptions, type SyntheticPlace } from './synthetic.js';

export interface LoadResult {
  places: number;
  households: number;
  residents: number;
  seconds: number;
  firstPlaceIds: Map<string, number>;
}

const RESIDENT_BATCH = 1000; // 19 columns × 1000 rows stays under PostgreSQL's 65,535 parameters
const TX_RESIDENTS = 20_000;

async function nextId(q: Queryable, table: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(`SELECT coalesce(max(id), 0) AS n FROM ${table}`);
  return rows[0].n + 1;
}

function values(rowCount: number, columns: number, offset = 0): string {
  const out: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const ps: string[] = [];
    for (let c = 0; c < columns; c++) ps.push(`$${offset + r * columns + c + 1}`);
    out.push(`(${ps.join(',')})`);
  }
  return out.join(',');
}

export async function loadDistrict(
  ctx: AppContext,
  opts: GenerateOptions & { onProgress?: (residents: number) => void },
): Promise<LoadResult> {
  const started = Date.now();
  const { db, vault } = ctx;
  let placeId = await nextId(db, 'places');
  let householdId = await nextId(db, 'households');
  const places = new Map<string, { id: number; path: string; depth: number }>();
  let pendingPlaces: unknown[][] = [];
  let pendingHouseholds: unknown[][] = [];
  let pendingResidents: unknown[][] = [];
  let counts = { places: 0, households: 0, residents: 0 };
  let sinceCommit = 0;

  const flush = async () => {
    await db.tx(async (q) => {
      for (let i = 0; i < pendingPlaces.length; i += 2000) {
        const chunk = pendingPlaces.slice(i, i + 2000);
        await q.query(
          `INSERT INTO places (id, parent_id, kind, name, code, floors, path, depth) OVERRIDING SYSTEM VALUE VALUES ${values(chunk.length, 8)}`,
          chunk.flat(),
        );
      }
      for (let i = 0; i < pendingHouseholds.length; i += 5000) {
        const chunk = pendingHouseholds.slice(i, i + 5000);
        await q.query(`INSERT INTO households (id, place_id, place_path, room) OVERRIDING SYSTEM VALUE VALUES ${values(chunk.length, 4)}`, chunk.flat());
      }
      for (let i = 0; i < pendingResidents.length; i += RESIDENT_BATCH) {
        const chunk = pendingResidents.slice(i, i + RESIDENT_BATCH);
        await q.query(`INSERT INTO residents (${RESIDENT_COLUMNS.join(', ')}) VALUES ${values(chunk.length, RESIDENT_COLUMNS.length)}`, chunk.flat());
      }
    });
    pendingPlaces = [];
    pendingHouseholds = [];
    pendingResidents = [];
    sinceCommit = 0;
    opts.onProgress?.(counts.residents);
  };

  const addPlace = (p: SyntheticPlace) => {
    const parent = p.parentKey ? places.get(p.parentKey)! : null;
    const id = placeId++;
    const path = `${parent?.path ?? '/'}${id}/`;
    const depth = parent ? parent.depth + 1 : 0;
    places.set(p.key, { id, path, depth });
    pendingPlaces.push([id, parent?.id ?? null, p.kind, p.name, p.code ?? null, p.floors ?? null, path, depth]);
    counts.places++;
  };

  for (const item of generateDistrict(opts)) {
    if (item.type === 'place') {
      addPlace(item.place);
      continue;
    }
    const unit = places.get(item.household.unitKey)!;
    const hId = householdId++;
    pendingHouseholds.push([hId, unit.id, unit.path, item.household.room]);
    counts.households++;
    for (const person of item.household.residents) {
      const checked = validateResident(person);
      if ('errors' in checked) throw new Error(`generated an invalid resident ${person.name}: ${checked.errors[0].code}`);
      pendingResidents.push(residentRow(vault, checked.value, hId, unit.path));
      counts.residents++;
      sinceCommit++;
    }
    if (sinceCommit >= TX_RESIDENTS) await flush();
  }
  await flush();
  // Identity columns continue after the ids we assigned.
  for (const table of ['places', 'households']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  // Fresh statistics, or the planner walks a million rows for a phone number.
  await db.exec('ANALYZE places; ANALYZE households; ANALYZE residents;');
  counts = { ...counts };
  return { ...counts, seconds: (Date.now() - started) / 1000, firstPlaceIds: new Map([...places].map(([k, v]) => [k, v.id])) };
}
