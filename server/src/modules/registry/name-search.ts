// How a resident's name is found (migration 0006): by any part of the name, by its full pinyin
// and by its pinyin initials, as an officer types them on a phone. name_search holds the
// searchable words; residentNameMatch turns what was typed into a condition one of the two GIN
// indexes answers.
import { pinyin } from 'pinyin-pro';
import type { Queryable } from '../../db/client.js';
import { raw, sql, type Sql } from '../../db/sql.js';

const HAN = /\p{Script=Han}/u;
const PINYIN = { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'removed' } as const;

/** '张芊芊' → '张芊芊 zhangqianqian zqq'; 'Anna Schmidt' → 'anna schmidt'. */
export function nameSearchText(name: string): string {
  const words = [name.trim().toLowerCase().replace(/\s+/g, ' ')];
  if (HAN.test(name)) {
    const syllables = pinyin(name, PINYIN);
    if (syllables.length) {
      words.push(syllables.join(''));
      words.push(syllables.map((s) => s[0]).join(''));
    }
  }
  return words.join(' ');
}

/** What was typed, as the search compares it: lower case, inner spaces kept, pinyin tone marks and ü as a phone keyboard types them. */
function normalise(typed: string): string {
  return typed.trim().toLowerCase().replace(/\s+/g, ' ').replace(/'/g, '').replace(/[üǖǘǚǜ]/g, 'v').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * The condition for a typed name: a substring of the name, of its pinyin or of its initials.
 * One or two characters → an exact lookup of that piece in name_grams (GIN); three or more →
 * LIKE '%…%' on name_search through the trigram index (GIN, pg_trgm). Both leave the rest of
 * the WHERE (scope, archived) to the planner, with no function of the column the indexes lack.
 */
export function residentNameMatch(typed: string, column = 'r.name_search'): Sql {
  const t = normalise(typed);
  const col = raw(column);
  if ([...t].length <= 2) return sql`name_grams(${col}) @> ARRAY[${t}]::text[]`;
  return sql`${col} LIKE ${`%${t.replace(/[%_\\]/g, '\\$&')}%`}`;
}

/** Fills name_search for rows written before migration 0006 (or by a writer that left it empty), in batches. */
export async function backfillNameSearch(db: Queryable, batch = 5000): Promise<number> {
  let done = 0;
  for (;;) {
    const { rows } = await db.query<{ id: number; name: string }>('SELECT id, name FROM residents WHERE name_search IS NULL LIMIT $1', [batch]);
    if (!rows.length) return done;
    await db.query('UPDATE residents r SET name_search = u.s FROM unnest($1::int[], $2::text[]) AS u(id, s) WHERE r.id = u.id', [
      rows.map((r) => r.id),
      rows.map((r) => nameSearchText(r.name)),
    ]);
    done += rows.length;
  }
}
