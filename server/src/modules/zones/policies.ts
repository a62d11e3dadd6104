// Zone policies as data (zone_policies, migration 0016): what residents may do, how supplies
// reach them, how often they are tested, when the zone may step down and to what. An edit is a
// new version of the same key; zones keep the version they were declared with until an officer
// re-applies the policy, so changing a preset never silently changes a zone in force.
import type { Queryable } from '../../db/client.js';
import { raw, sql } from '../../db/sql.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission } from '../../platform/scope.js';

export const ZONE_LEVELS = ['sealed', 'controlled', 'prevention', 'high', 'medium', 'low'] as const;
export type ZoneLevel = (typeof ZONE_LEVELS)[number];
export const MOVEMENTS = ['stay_home', 'stay_in_compound', 'no_gatherings', 'free'] as const;
export const SUPPLIES = ['door', 'pickup', 'shops'] as const;

/** How strict a level is (the strictest zone over a home is the one that holds there): higher is stricter. */
export const LEVEL_RANK: Record<ZoneLevel, number> = { sealed: 3, high: 3, controlled: 2, medium: 2, prevention: 1, low: 1 };

/** SQL over a level column: its rank, for ORDER BY (the same order as LEVEL_RANK). */
export const levelRankSql = (column: string) =>
  `CASE ${column} WHEN 'sealed' THEN 3 WHEN 'high' THEN 3 WHEN 'controlled' THEN 2 WHEN 'medium' THEN 2 ELSE 1 END`;

export interface PolicyNames {
  'zh-CN': string;
  'en-US'?: string;
  'ko-KR'?: string;
}

export interface PolicyRules {
  level: ZoneLevel;
  names: PolicyNames;
  movement: (typeof MOVEMENTS)[number];
  supply: (typeof SUPPLIES)[number];
  testEveryDays: number | null;
  testPerHousehold: boolean;
  stepDownDays: number | null;
  stepDownTo: string | null;
}

export interface Policy extends PolicyRules {
  id: number;
  key: string;
  version: number;
  createdAt: string;
}

export const POLICY_COLUMNS = `p.id, p.key, p.version, p.level, p.names, p.movement, p.supply,
  p.test_every_days AS "testEveryDays", p.test_per_household AS "testPerHousehold",
  p.step_down_days AS "stepDownDays", p.step_down_to AS "stepDownTo", p.created_at AS "createdAt"`;

/** The latest version of each policy, strictest first. */
export async function listPolicies(ctx: AppContext, actor: Actor): Promise<{ items: (Policy & { versions: number })[] }> {
  requirePermission(actor, 'zones.read');
  const { rows } = await ctx.db.query<Policy & { versions: number }>(
    `SELECT DISTINCT ON (p.key) ${POLICY_COLUMNS}, count(*) OVER (PARTITION BY p.key)::int AS versions
       FROM zone_policies p ORDER BY p.key, p.version DESC`,
  );
  const rank = (p: Policy) => LEVEL_RANK[p.level];
  return { items: rows.sort((a, b) => rank(b) - rank(a) || a.key.localeCompare(b.key)) };
}

/** The latest version of a policy, or ZONE_POLICY_NOT_FOUND on the field named. */
export async function currentPolicy(q: Queryable, key: string, field: string): Promise<Policy> {
  const { rows } = await q.query<Policy>(sql`SELECT ${raw(POLICY_COLUMNS)} FROM zone_policies p WHERE p.key = ${key} ORDER BY p.version DESC LIMIT 1`);
  if (!rows[0]) throw new AppError('ZONE_POLICY_NOT_FOUND', { field, params: { key } });
  return rows[0];
}

/**
 * An administrator's edit: a new version of the policy with the rules given. Zones in force keep
 * their version (listed as "a newer version exists" until re-applied).
 */
export async function updatePolicy(ctx: AppContext, actor: Actor, key: string, rules: PolicyRules): Promise<Policy> {
  requirePermission(actor, 'zones.policies');
  if (rules.stepDownTo === key) throw new AppError('ZONE_STEP_DOWN_LOOP', { field: 'stepDownTo' });
  return ctx.db.tx(async (q) => {
    // the key's rows locked: two edits at once make versions n+1 and n+2, not two n+1
    const { rows: prior } = await q.query<{ version: number }>(sql`SELECT version FROM zone_policies WHERE key = ${key} ORDER BY version DESC FOR UPDATE`);
    if (!prior[0]) throw new AppError('ZONE_POLICY_NOT_FOUND', { field: 'key', params: { key } });
    if (rules.stepDownTo !== null) await currentPolicy(q, rules.stepDownTo, 'stepDownTo');
    const { rows } = await q.query<{ id: number }>(sql`
      INSERT INTO zone_policies (key, version, level, names, movement, supply, test_every_days, test_per_household, step_down_days, step_down_to, created_by)
      VALUES (${key}, ${prior[0].version + 1}, ${rules.level}, ${JSON.stringify(rules.names)}::jsonb, ${rules.movement}, ${rules.supply},
              ${rules.testEveryDays}, ${rules.testPerHousehold}, ${rules.stepDownDays}, ${rules.stepDownTo}, ${actor.id})
      RETURNING id`);
    await audit(q, actor, { action: 'zone_policy.update', entity: 'zone_policy', entityId: rows[0].id, detail: { key, version: prior[0].version + 1, ...rules } });
    return currentPolicy(q, key, 'key');
  });
}
