// Colour rules as data (colour_rules, migration 0017): the latest version of each rule applies.
// The engine (colour.ts) knows how to test each key's fact; the row says whether the rule is on,
// the colour it gives, its parameters, and the words it is explained in. An administrator's
// edit is a new version of that rule, effective at the next look at anyone's colour.
import type { Queryable } from '../../db/client.js';
import { sql } from '../../db/sql.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { requirePermission } from '../../platform/scope.js';
import { ZONE_LEVELS } from '../zones/index.js';

export const RULE_KEYS = ['positive', 'antigen_positive', 'strict_zone', 'controlled_zone', 'test_overdue'] as const;
export type RuleKey = (typeof RULE_KEYS)[number];
export type Colour = 'green' | 'yellow' | 'red';

export interface Words {
  'zh-CN': string;
  'en-US'?: string;
  'ko-KR'?: string;
}

export interface RuleParams {
  /** positive, antigen_positive: how long the fact counts */
  days?: number;
  /** test_overdue: the grace after a test falls due */
  hours?: number;
  /** strict_zone, controlled_zone: the zone levels the rule fires for */
  levels?: string[];
}

export interface ColourRule {
  key: RuleKey;
  version: number;
  enabled: boolean;
  colour: 'red' | 'yellow';
  params: RuleParams;
  names: Words;
  plain: Words;
}

/** What each rule's parameters must be (the engine reads them in SQL, so they are checked here). */
const PARAMS: Record<RuleKey, (p: RuleParams) => string | null> = {
  positive: (p) => (Number.isInteger(p.days) && p.days! >= 1 && p.days! <= 60 ? null : 'days: 1–60'),
  antigen_positive: (p) => (Number.isInteger(p.days) && p.days! >= 1 && p.days! <= 14 ? null : 'days: 1–14'),
  strict_zone: (p) => levelsProblem(p.levels),
  controlled_zone: (p) => levelsProblem(p.levels),
  test_overdue: (p) => (Number.isInteger(p.hours) && p.hours! >= 0 && p.hours! <= 168 ? null : 'hours: 0–168'),
};
function levelsProblem(levels: string[] | undefined) {
  return Array.isArray(levels) && levels.length > 0 && levels.every((l) => (ZONE_LEVELS as readonly string[]).includes(l)) ? null : `levels: some of ${ZONE_LEVELS.join(', ')}`;
}

/** The rules in force: the latest version of each. */
export async function rulesInForce(q: Queryable): Promise<Map<RuleKey, ColourRule>> {
  const { rows } = await q.query<ColourRule>(
    `SELECT DISTINCT ON (key) key, version, enabled, colour, params, names, plain FROM colour_rules ORDER BY key, version DESC`,
  );
  return new Map(rows.map((r) => [r.key, r]));
}

export async function listRules(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'codes.read');
  const rules = await rulesInForce(ctx.db);
  return { items: RULE_KEYS.filter((k) => rules.has(k)).map((k) => rules.get(k)!) };
}

export type RuleEdit = Omit<ColourRule, 'key' | 'version'>;

/** An administrator's edit: the next version of the rule. */
export async function updateRule(ctx: AppContext, actor: Actor, key: RuleKey, edit: RuleEdit): Promise<ColourRule> {
  requirePermission(actor, 'codes.rules');
  const problem = PARAMS[key](edit.params);
  if (problem) throw fieldInvalid('params', { 'zh-CN': `规则 ${key} 的参数应为 ${problem}`, 'en-US': `rule ${key} takes ${problem}` });
  return ctx.db.tx(async (q) => {
    const { rows: prior } = await q.query<{ version: number }>(sql`SELECT version FROM colour_rules WHERE key = ${key} ORDER BY version DESC LIMIT 1 FOR UPDATE`);
    if (!prior[0]) throw new AppError('COLOUR_RULE_NOT_FOUND', { params: { key } });
    const version = prior[0].version + 1;
    await q.query(sql`
      INSERT INTO colour_rules (key, version, enabled, colour, params, names, plain, created_by)
      VALUES (${key}, ${version}, ${edit.enabled}, ${edit.colour}, ${JSON.stringify(edit.params)}::jsonb,
              ${JSON.stringify(edit.names)}::jsonb, ${JSON.stringify(edit.plain)}::jsonb, ${actor.id})`);
    await audit(q, actor, { action: 'colour_rule.update', entity: 'colour_rule', entityId: key, detail: { version, ...edit } });
    return (await rulesInForce(q)).get(key)!;
  });
}
