// Notice templates: which variables a text may hold, and how it is filled for one resident IN
// SQL (over `r`, a residents row, and `n`, the names of its building and community), so a notice
// to a district is rendered by the database, never in a loop over a million people.
import { join, raw, sql, type Sql } from '../../db/sql.js';
import { beneath, type PlaceRow } from '../../platform/scope.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';

export const NOTICE_LANGUAGES = ['zh-CN', 'en-US', 'ko-KR'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** Filled per resident, in SQL. */
const RESIDENT_VARIABLES = ['name', 'building', 'community'] as const;
/** Filled per notice: only slot notices know them. */
const SLOT_VARIABLES = ['slot', 'site'] as const;

export type Texts = { 'zh-CN': string } & Partial<Record<NoticeLanguage, string>>;

interface SlotContext {
  slot: string;
  site: string;
}

/**
 * Checks the templates (only known variables; an empty translation is left out) and fills the
 * per-notice variables. The answer is what is stored and rendered per resident.
 */
export function prepareTexts(texts: Texts, slot: SlotContext | null): Texts {
  const allowed: readonly string[] = slot ? [...RESIDENT_VARIABLES, ...SLOT_VARIABLES] : RESIDENT_VARIABLES;
  const out: Partial<Record<NoticeLanguage, string>> = {};
  for (const lang of NOTICE_LANGUAGES) {
    const text = texts[lang]?.trim();
    if (!text) {
      if (lang === 'zh-CN') throw fieldInvalid('texts.zh-CN', { 'zh-CN': '中文内容不能为空', 'en-US': 'the Chinese text is required' });
      continue;
    }
    for (const m of text.matchAll(/\{(\w*)\}/g)) {
      if (!allowed.includes(m[1])) {
        throw new AppError('NOTICE_VARIABLE', { field: `texts.${lang}`, params: { variable: m[1], allowed: allowed.map((v) => `{${v}}`).join(' ') } });
      }
    }
    out[lang] = slot ? text.replaceAll('{slot}', slot.slot).replaceAll('{site}', slot.site) : text;
  }
  return out as Texts;
}

/** SQL: the template in the resident's language (`r.language`), falling back to Chinese. */
export function templateFor(texts: Texts): Sql {
  const others = NOTICE_LANGUAGES.filter((l) => l !== 'zh-CN' && texts[l]);
  if (!others.length) return sql`${texts['zh-CN']}::text`;
  return sql`CASE ${join(others.map((l) => sql`WHEN r.language = ${l} THEN ${texts[l]!}::text`), ' ')} ELSE ${texts['zh-CN']}::text END`;
}

/** SQL: a template filled for the resident `r` with the names `n` of their building and community. */
export function fill(template: Sql): Sql {
  // an empty result (a template that is only a variable with no value) would break the outbox's length check
  return sql`left(coalesce(nullif(replace(replace(replace(${template}, '{name}', r.name), '{building}', coalesce(n.building, '')), '{community}', coalesce(n.community, '')), ''), '-'), 2000)`;
}

/** SQL: the template stored with a notice (`nt.texts`) in the resident's language, falling back to Chinese. */
export const storedTemplate = sql`coalesce(nt.texts ->> r.language, nt.texts ->> 'zh-CN')`;

/** SQL: the name of the place of `kind` on the path in `pathColumn` (a building, a community). */
export const ancestorName = (kind: string, pathColumn: string) =>
  sql`(SELECT a.name FROM places a WHERE a.kind = ${kind} AND a.id = ANY (string_to_array(trim(both '/' from ${raw(pathColumn)}), '/')::int[]) LIMIT 1)`;

/**
 * SQL: per place under `place`, the names of the building and community it is in. Residents are
 * hash-joined to it by their place path: a few thousand places, not a lookup per resident.
 */
export function placeNamesSql(place: Pick<PlaceRow, 'path'>): Sql {
  return sql`SELECT p.path, ${ancestorName('building', 'p.path')} AS building, ${ancestorName('community', 'p.path')} AS community
             FROM places p WHERE ${beneath(place, 'p.path')}`;
}
