// A person's code colour, read from the facts at each look: it is never stored, so a fact that
// changes a colour (a positive imported, a zone declared, a rule edited) shows at the very next
// scan, at every gate, with nothing to propagate. One statement reads the facts of many people
// (each fact from an index); the rules in force (rules.ts) turn them into a colour and reasons.
//
// Red if any red rule fires, else yellow if any yellow one does, else green; an officer's
// override in force replaces the result (its reason shown, the rules' reasons still listed for
// staff). Every reason names its rule (and version) and the fact behind it.
import type { Queryable } from '../../db/client.js';
import { raw, sql } from '../../db/sql.js';
import { levelRankSql } from '../zones/index.js';
import { rulesInForce, type Colour, type ColourRule, type RuleKey, type Words } from './rules.js';

export interface Fact {
  /** when the fact happened (the result, the report, the declaration, when the test fell due) */
  at: string;
  /** what it is, for staff: a tube's barcode, a zone's place and policy, the last test */
  detail: Record<string, string | number | null>;
}

export interface Reason {
  rule: RuleKey;
  version: number;
  colour: 'red' | 'yellow';
  name: Words;
  plain: Words;
  fact: Fact;
}

export interface Override {
  id: number;
  colour: Colour;
  reason: string;
  expiresAt: string;
  by: string | null;
  at: string;
}

export interface ColourAnswer {
  residentId: number;
  colour: Colour;
  /** the colour the rules give (the same as colour unless overridden) */
  ruled: Colour;
  reasons: Reason[];
  override: Override | null;
}

interface FactsRow {
  id: number;
  positive_at: string | null;
  positive_tube: string | null;
  antigen_at: string | null;
  zone_id: number | null;
  zone_level: string | null;
  zone_place: string | null;
  zone_policy: string | null;
  zone_declared_at: string | null;
  test_every_days: number | null;
  last_sample_at: string | null;
  due_at: string | null;
  override: Override | null;
}

const iso = (t: string | Date | null) => (t === null ? null : new Date(t).toISOString());

const days = (rules: Map<RuleKey, ColourRule>, key: RuleKey, fallback: number) => Number(rules.get(key)?.params.days ?? fallback);

/** The facts of each person asked about, one statement. */
async function factsOf(q: Queryable, residentIds: readonly number[], rules: Map<RuleKey, ColourRule>): Promise<FactsRow[]> {
  const graceHours = Number(rules.get('test_overdue')?.params.hours ?? 24);
  const { rows } = await q.query<FactsRow>(sql`
    SELECT r.id, pos.at AS positive_at, pos.barcode AS positive_tube, ag.at AS antigen_at,
           zn.id AS zone_id, zn.level AS zone_level, zn.place AS zone_place, zn.policy AS zone_policy,
           zn.declared_at AS zone_declared_at, zn.test_every_days, ls.at AS last_sample_at,
           CASE WHEN zn.test_every_days IS NOT NULL
                THEN greatest(coalesce(ls.at, zn.declared_at), zn.declared_at) + make_interval(days => zn.test_every_days) END AS due_at,
           ov.override
      FROM residents r
      -- a single tube (a retest, a 1-in-1 sample) found positive in the rule's days
      LEFT JOIN LATERAL (
        SELECT t.result_at AS at, t.barcode FROM samples s JOIN tubes t ON t.id = s.tube_id
         WHERE s.resident_id = r.id AND t.pool_size = 1 AND t.result = 'positive'
           AND t.result_at > now() - make_interval(days => ${days(rules, 'positive', 14)})
         ORDER BY t.result_at DESC LIMIT 1) pos ON true
      -- an antigen positive in the rule's days that no negative PCR sampled after it has answered
      LEFT JOIN LATERAL (
        SELECT a.tested_at AS at FROM antigen_reports a
         WHERE a.resident_id = r.id AND a.result = 'positive' AND a.tested_at > now() - make_interval(days => ${days(rules, 'antigen_positive', 3)})
           AND NOT EXISTS (SELECT 1 FROM samples s JOIN tubes t ON t.id = s.tube_id
                            WHERE s.resident_id = r.id AND s.sampled_at > a.tested_at AND t.result = 'negative')
         ORDER BY a.tested_at DESC LIMIT 1) ag ON true
      -- the strictest zone over the home
      LEFT JOIN LATERAL (
        SELECT z.id, p.level, pl.name AS place, p.names ->> 'zh-CN' AS policy, z.declared_at, p.test_every_days
          FROM zones z JOIN zone_policies p ON p.id = z.policy_id JOIN places pl ON pl.id = z.place_id
         WHERE z.ended_at IS NULL AND r.place_path LIKE z.place_path || '%'
         ORDER BY ${raw(levelRankSql('p.level'))} DESC, length(z.place_path) DESC LIMIT 1) zn ON true
      -- the last time they were sampled
      LEFT JOIN LATERAL (SELECT s.sampled_at AS at FROM samples s WHERE s.resident_id = r.id ORDER BY s.sampled_at DESC LIMIT 1) ls ON true
      -- an override in force
      LEFT JOIN LATERAL (
        SELECT json_build_object('id', o.id, 'colour', o.colour, 'reason', o.reason, 'expiresAt', o.expires_at, 'by', u.display_name, 'at', o.at) AS override
          FROM colour_overrides o LEFT JOIN users u ON u.id = o.by_user
         WHERE o.resident_id = r.id AND o.revoked_at IS NULL AND o.expires_at > now()
         ORDER BY o.at DESC LIMIT 1) ov ON true
     WHERE r.id = ANY(${[...residentIds]}::int[])`);
  // the grace is the rule's, applied here so the statement stays the same for every edit
  for (const row of rows) {
    if (row.due_at && Date.now() < new Date(row.due_at).getTime() + graceHours * 3_600_000) row.due_at = null;
  }
  return rows;
}

function reasonsFrom(row: FactsRow, rules: Map<RuleKey, ColourRule>): Reason[] {
  const out: Reason[] = [];
  const fire = (key: RuleKey, fact: Fact | null) => {
    const rule = rules.get(key);
    if (!rule?.enabled || !fact) return;
    out.push({ rule: key, version: rule.version, colour: rule.colour, name: rule.names, plain: rule.plain, fact });
  };
  fire('positive', row.positive_at ? { at: iso(row.positive_at)!, detail: { tube: row.positive_tube } } : null);
  fire('antigen_positive', row.antigen_at ? { at: iso(row.antigen_at)!, detail: {} } : null);
  const zoneFact = row.zone_id ? { at: iso(row.zone_declared_at)!, detail: { zoneId: row.zone_id, place: row.zone_place, policy: row.zone_policy, level: row.zone_level } } : null;
  const inLevels = (key: RuleKey) => (rules.get(key)?.params.levels ?? []).includes(row.zone_level ?? '');
  fire('strict_zone', zoneFact && inLevels('strict_zone') ? zoneFact : null);
  fire('controlled_zone', zoneFact && inLevels('controlled_zone') ? zoneFact : null);
  fire('test_overdue', row.due_at ? { at: iso(row.due_at)!, detail: { lastSampledAt: iso(row.last_sample_at), everyDays: row.test_every_days, place: row.zone_place } } : null);
  // the strongest first
  return out.sort((a, b) => (a.colour === b.colour ? 0 : a.colour === 'red' ? -1 : 1));
}

const ruledColour = (reasons: Reason[]): Colour => (reasons.some((r) => r.colour === 'red') ? 'red' : reasons.length ? 'yellow' : 'green');

/** The colours of the people asked about (those not found are left out), in one statement. */
export async function coloursOf(q: Queryable, residentIds: readonly number[]): Promise<Map<number, ColourAnswer>> {
  const out = new Map<number, ColourAnswer>();
  if (residentIds.length === 0) return out;
  const rules = await rulesInForce(q);
  for (const row of await factsOf(q, residentIds, rules)) {
    const reasons = reasonsFrom(row, rules);
    const ruled = ruledColour(reasons);
    out.set(row.id, { residentId: row.id, colour: row.override?.colour ?? ruled, ruled, reasons, override: row.override });
  }
  return out;
}

export async function colourOf(q: Queryable, residentId: number): Promise<ColourAnswer | null> {
  return (await coloursOf(q, [residentId])).get(residentId) ?? null;
}
