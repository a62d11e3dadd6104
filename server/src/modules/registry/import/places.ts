// Resolves a row's street / community / compound / grid / building / unit under the place the
// file is imported into (a community, or a whole street or district): existing places by
// name, or places to create (in the commit) when the user chose to create them.
import type { Queryable } from '../../../db/client.js';
import { AppError } from '../../../platform/errors.js';
import type { PlaceRow } from '../../../platform/scope.js';
import { insertPlace, type PlaceKind } from '../places.js';
import type { Location } from './row-input.js';

const LEVEL: Record<PlaceKind, number> = { district: 0, street: 1, community: 2, compound: 3, grid: 4, building: 5, unit: 6, entrance: 9 };

interface Node {
  id: number | null; // null: to be created
  kind: PlaceKind;
  path: string | null;
  depth: number;
}

export class PlaceResolver {
  private nodes = new Map<string, Node>(); // key: parent key + '>' + name
  private planned = 0;

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
      `SELECT id, parent_id, kind, name, path, depth FROM places WHERE path LIKE $1 || '%' AND archived_at IS NULL AND id <> $2 ORDER BY depth`,
      [community.path, community.id],
    );
    const keyOf = new Map<number, string>([[community.id, 'c']]);
    for (const p of rows) {
      const parentKey = keyOf.get(p.parent_id!);
      if (!parentKey) continue;
      const key = `${parentKey}>${p.kind}:${p.name}`;
      keyOf.set(p.id, key);
      r.nodes.set(key, { id: p.id, kind: p.kind as PlaceKind, path: p.path, depth: p.depth });
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

  /** The chain of keys for a row's location, checking or planning each level. Throws AppError naming the column. */
  resolve(loc: Location): string {
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
      const next = `${key}>${kind}:${name}`;
      if (!this.nodes.has(next)) {
        if (!this.create) throw new AppError('IMPORT_UNKNOWN_PLACE', { field: kind, params: { name } });
        this.nodes.set(next, { id: null, kind, path: null, depth: 0 });
        this.planned++;
      }
      key = next;
    }
    return key;
  }

  /** In the commit transaction: the place id of a resolved key, creating missing places on the way. */
  async placeOf(q: Queryable, key: string): Promise<{ id: number; path: string; created: number }> {
    const parts = key.split('>');
    let parent: { id: number; path: string; depth: number } = { id: this.community.id, path: this.community.path, depth: this.community.depth };
    let created = 0;
    for (let i = 1; i < parts.length; i++) {
      const k = parts.slice(0, i + 1).join('>');
      const node = this.nodes.get(k)!;
      if (node.id === null) {
        const name = parts[i].slice(parts[i].indexOf(':') + 1);
        const row = await insertPlace(q, parent, { parentId: parent.id, kind: node.kind, name });
        Object.assign(node, { id: row.id, path: row.path, depth: row.depth });
        created++;
      }
      parent = { id: node.id!, path: node.path!, depth: node.depth };
    }
    return { id: parent.id, path: parent.path, created };
  }
}
