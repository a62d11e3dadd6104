// Resolves a row's street / community / compound / grid / building / unit under the place the
// file is imported into (a community, or a whole street or district): existing places by
// name, or places to create (in the commit) when the user chose to create them.
import type { Queryable } from '../../../db/client.js';
import { AppError, fieldInvalid } from '../../../platform/errors.js';
import { sql } from '../../../db/sql.js';
import { beneath, type PlaceRow } from '../../../platform/scope.js';
import type { PlaceKind } from '../places.js';
import type { Location } from './row-input.js';

const KIND_ZH: Record<PlaceKind, string> = { district: '区', street: '街道', community: '社区', compound: '小区', grid: '网格', building: '楼栋', unit: '单元', entrance: '出入口' };
const LEVEL: Record<PlaceKind, number> = { district: 0, street: 1, community: 2, compound: 3, grid: 4, building: 5, unit: 6, entrance: 9 };

interface Node {
  id: number | null; // null: to be created
  kind: PlaceKind;
  path: string | null;
  depth: number;
  /** a place to create: the first rows of the file that name it, and how many do */
  rows?: number[];
  rowCount?: number;
}

/** A place the commit will create, as the dry run lists it (the first PLANNED_LISTED of them). */
export interface PlannedPlace {
  kind: 'street' | 'community' | 'compound' | 'grid' | 'building' | 'unit';
  name: string;
  /** the names from the place imported into down to this one, e.g. ['幸福里小区', '9号楼'] */
  names: string[];
  /** the first rows (spreadsheet numbering) that create it */
  rows: number[];
  rowCount: number;
}

export const PLANNED_LISTED = 200;
const PLANNED_ROWS = 5;

// Key of a place: the root 'c', then SEP + kind + ':' + name per level. SEP cannot occur in a name typed into a spreadsheet.
const SEP = '\u001f';

export class PlaceResolver {
  private nodes = new Map<string, Node>();
  /** compound key + building segment → keys of existing buildings under the compound's grids */
  private viaGrid = new Map<string, string[]>();
  /** parent key + SEP + name → kind: names are unique among siblings whatever their kind */
  private siblings = new Map<string, PlaceKind>();
  private planned = 0;
  private memo = new Map<string, string | AppError>();
  private created = 0;

  private constructor(
    private community: PlaceRow,
    /** names of the root and its ancestors, by kind: a row naming them must agree */
    private above: Map<string, string>,
    private create: boolean,
  ) {}

  static async load(q: Queryable, community: PlaceRow, create: boolean): Promise<PlaceResolver> {
    const ids = community.path.split('/').filter(Boolean).map(Number);
    const { rows: chain } = await q.query<PlaceRow>('SELECT kind, name FROM places WHERE id = ANY($1::int[])', [ids]);
    const r = new PlaceResolver(community, new Map(chain.map((p) => [p.kind, p.name])), create);
    const { rows } = await q.query<PlaceRow>(
      sql`SELECT id, parent_id, kind, name, path, depth FROM places
           WHERE ${beneath(community, 'path')} AND archived_at IS NULL AND id <> ${community.id} ORDER BY depth`,
    );
    const keyOf = new Map<number, string>([[community.id, 'c']]);
    const kindOf = new Map<number, string>();
    for (const p of rows) {
      kindOf.set(p.id, p.kind);
      const parentKey = keyOf.get(p.parent_id!);
      if (!parentKey) continue;
      const key = `${parentKey}${SEP}${p.kind}:${p.name}`;
      keyOf.set(p.id, key);
      r.nodes.set(key, { id: p.id, kind: p.kind as PlaceKind, path: p.path, depth: p.depth });
      r.siblings.set(`${parentKey}${SEP}${p.name}`, p.kind as PlaceKind);
      if (p.kind === 'building' && kindOf.get(p.parent_id!) === 'grid') {
        // Most ledgers have no grid column; their buildings are found through the compound's grids.
        const short = `${parentKey.slice(0, parentKey.lastIndexOf(SEP))}${SEP}building:${p.name}`;
        r.viaGrid.set(short, [...(r.viaGrid.get(short) ?? []), key]);
      }
    }
    return r;
  }

  /** The path of an existing place named by a resolved key (null while it is still to be created). */
  pathOf(key: string): string | null {
    return this.nodes.get(key)?.path ?? null;
  }

  get placesToCreate() {
    return this.planned;
  }

  /** Every place to create, parents first, with the rows that name it. */
  plannedPlaces(limit = PLANNED_LISTED): PlannedPlace[] {
    const out: PlannedPlace[] = [];
    for (const [key, node] of this.nodes) {
      if (node.id !== null || !node.rows) continue;
      const names = key.split(SEP).slice(1).map((seg) => seg.slice(seg.indexOf(':') + 1));
      out.push({ kind: node.kind as PlannedPlace['kind'], name: names.at(-1)!, names, rows: node.rows, rowCount: node.rowCount! });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The key of a row's location, checking or planning each level. Throws AppError naming the column. */
  resolve(loc: Location, row?: number): string {
    // Rows of one household or unit repeat the same location: judge it once.
    const id = [loc.street, loc.community, loc.compound, loc.grid, loc.building, loc.unit].join(SEP);
    const known = this.memo.get(id);
    if (known instanceof AppError) throw known;
    let key = known;
    if (key === undefined) {
      try {
        key = this.walk(loc);
        this.memo.set(id, key);
      } catch (e) {
        if (e instanceof AppError) this.memo.set(id, e);
        throw e;
      }
    }
    if (row !== undefined) this.notePlanned(key, row);
    return key;
  }

  /** Records the row against every place still to be created on its key's way down. */
  private notePlanned(key: string, row: number) {
    for (let k = key; k !== 'c'; k = k.slice(0, k.lastIndexOf(SEP))) {
      const node = this.nodes.get(k);
      if (!node || node.id !== null) break; // an existing place: its ancestors exist too
      node.rowCount = (node.rowCount ?? 0) + 1;
      node.rows ??= [];
      if (node.rows.length < PLANNED_ROWS) node.rows.push(row);
    }
  }

  private walk(loc: Location): string {
    let key = 'c';
    const levels: PlaceKind[] = ['street', 'community', 'compound', 'grid', 'building', 'unit'];
    for (const kind of levels) {
      const name = loc[kind as keyof Location];
      const fixed = this.above.get(kind);
      if (fixed !== undefined || LEVEL[kind] <= LEVEL[this.community.kind as PlaceKind]) {
        // At or above the import's root: the row may repeat the name, but must agree.
        if (name && name !== fixed) throw new AppError('IMPORT_UNKNOWN_PLACE', { field: kind, params: { name } });
        continue;
      }
      if (!name) {
        if (kind === 'street' || kind === 'community') throw new AppError('FIELD_REQUIRED', { field: kind });
        continue;
      }
      let next = `${key}${SEP}${kind}:${name}`;
      if (kind === 'building' && !loc.grid && !this.nodes.has(next)) {
        const found = this.viaGrid.get(next) ?? [];
        if (found.length > 1) {
          // TODO(errors.ts): IMPORT_AMBIGUOUS_PLACE
          throw fieldInvalid('grid', {
            'zh-CN': `“${name}”在本小区的多个网格中都有，请填写网格`,
            'en-US': `"${name}" exists in several grids of this compound; fill in the grid`,
          });
        }
        if (found.length === 1) next = found[0];
      }
      if (!this.nodes.has(next)) {
        if (!this.create) throw new AppError('IMPORT_UNKNOWN_PLACE', { field: kind, params: { name } });
        const other = this.siblings.get(`${key}${SEP}${name}`);
        if (other) {
          // Creating it would break the sibling-name rule and fail the whole commit.
          throw fieldInvalid(kind, { 'zh-CN': `同一上级下已有名为“${name}”的${KIND_ZH[other]}`, 'en-US': `a ${other} named "${name}" already exists at this level` });
        }
        this.siblings.set(`${key}${SEP}${name}`, kind);
        this.nodes.set(next, { id: null, kind, path: null, depth: 0 });
        this.planned++;
      }
      key = next;
    }
    return key;
  }

  /** A resolved key's place, once it exists (after ensure() in the commit). */
  placeAt(key: string): { id: number; path: string; depth: number } {
    if (key === 'c') return this.community;
    const node = this.nodes.get(key);
    if (!node || node.id === null) throw new Error(`place ${key} not created yet`);
    return { id: node.id, path: node.path!, depth: node.depth };
  }

  get placesCreated() {
    return this.created;
  }

  /** In the commit transaction: creates the places these keys name that do not exist yet, and their missing ancestors. */
  async ensure(q: Queryable, keys: Iterable<string>): Promise<void> {
    const missing: { key: string; level: number }[] = [];
    const queued = new Set<string>();
    for (const key of keys) {
      for (let k = key; k !== 'c' && !queued.has(k) && this.nodes.get(k)!.id === null; k = k.slice(0, k.lastIndexOf(SEP))) {
        queued.add(k);
        missing.push({ key: k, level: k.split(SEP).length });
      }
    }
    if (!missing.length) return;
    missing.sort((a, b) => a.level - b.level); // parents first
    // Ids are drawn from the column's sequence up front, so every path (which names the id) is
    // known and all levels go in one INSERT; foreign keys are checked at the end of the statement.
    const { rows: ids } = await q.query<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('places', 'id'))::int AS id FROM generate_series(1, $1::int)`,
      [missing.length],
    );
    const rows = missing.map(({ key }, i) => {
      const cut = key.lastIndexOf(SEP);
      const parent = this.placeAt(key.slice(0, cut));
      const node = this.nodes.get(key)!;
      Object.assign(node, { id: ids[i].id, path: `${parent.path}${ids[i].id}/`, depth: parent.depth + 1 });
      return { id: node.id!, parentId: parent.id, kind: node.kind, name: key.slice(key.indexOf(':', cut) + 1), path: node.path!, depth: node.depth };
    });
    await q.query(
      `INSERT INTO places (id, parent_id, kind, name, path, depth) OVERRIDING SYSTEM VALUE
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[])`,
      [rows.map((r) => r.id), rows.map((r) => r.parentId), rows.map((r) => r.kind), rows.map((r) => r.name), rows.map((r) => r.path), rows.map((r) => r.depth)],
    );
    this.created += rows.length;
  }
}
