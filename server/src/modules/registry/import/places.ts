// Resolves a row's compound / grid / building / unit under the chosen community: existing
// places by name, or places to create (in the commit) when the user chose to create them.
import type { Queryable } from '../../../db/client.js';
import { AppError } from '../../../platform/errors.js';
import type { PlaceRow } from '../../../platform/scope.js';
import { insertPlace, type PlaceKind } from '../places.js';
import type { Location } from './row-input.js';

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
    private street: PlaceRow | null,
    private create: boolean,
  ) {}

  static async load(q: Queryable, community: PlaceRow, create: boolean): Promise<PlaceResolver> {
    const street = community.parent_id
      ? (await q.query<PlaceRow>('SELECT * FROM places WHERE id = $1', [community.parent_id])).rows[0]
      : null;
    const r = new PlaceResolver(community, street, create);
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

  get placesToCreate() {
    return this.planned;
  }

  /** The chain of keys for a row's location, checking or planning each level. Throws AppError naming the column. */
  resolve(loc: Location): string {
    if (loc.street && this.street && loc.street !== this.street.name) {
      throw new AppError('IMPORT_UNKNOWN_PLACE', { field: 'street', params: { name: loc.street } });
    }
    if (loc.community && loc.community !== this.community.name) {
      throw new AppError('IMPORT_UNKNOWN_PLACE', { field: 'community', params: { name: loc.community } });
    }
    let key = 'c';
    const levels: [PlaceKind, keyof Location][] = [
      ['compound', 'compound'],
      ['grid', 'grid'],
      ['building', 'building'],
      ['unit', 'unit'],
    ];
    for (const [kind, column] of levels) {
      const name = loc[column];
      if (!name) continue;
      const next = `${key}>${kind}:${name}`;
      if (!this.nodes.has(next)) {
        if (!this.create) throw new AppError('IMPORT_UNKNOWN_PLACE', { field: column, params: { name } });
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
