// The demo district a newcomer sees on first start (演示辖区), with staff accounts to sign in
// as. The end-to-end tests sign in with the same accounts.
import type { AppContext } from '../../platform/context.js';
import type { Role } from '../../platform/permissions.js';
import { hashPassword } from '../../modules/accounts/index.js';
import { audit } from '../../platform/audit.js';
import { loadDemoCampaign, type DemoCampaign } from './demo-campaign.js';
import { loadDistrict } from './load.js';

export const DEMO_SEED = 2022;
/** Demo data only; documented in the README. Passes the password rule (10+ characters, letters and digits). */
export const DEMO_PASSWORD = 'Fangkong-2026';

export interface DemoAccount {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  /** the generated place the account is scoped to */
  placeKey: string;
  /** that place, in words */
  scope: string;
}

/** Demo staff: each scoped to one node of the generated district. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'center', password: DEMO_PASSWORD, displayName: '区指挥部 王主任', role: 'command_center', placeKey: 'd', scope: 'the district' },
  { username: 'street1', password: DEMO_PASSWORD, displayName: '街道 李书记', role: 'street_officer', placeKey: 'd/s1', scope: 'the first street' },
  { username: 'community1', password: DEMO_PASSWORD, displayName: '社区 张书记', role: 'community_officer', placeKey: 'd/s1/c1', scope: 'the first community' },
  { username: 'grid1', password: DEMO_PASSWORD, displayName: '网格员 刘芳', role: 'grid_worker', placeKey: 'd/s1/c1/p1/g1', scope: 'grid 1 of its first compound' },
  { username: 'grid2', password: DEMO_PASSWORD, displayName: '网格员 陈静', role: 'grid_worker', placeKey: 'd/s1/c1/p1/g2', scope: 'grid 2 of its first compound' },
  { username: 'sampler1', password: DEMO_PASSWORD, displayName: '采样员 赵敏', role: 'sampler', placeKey: 'd/s1/c1', scope: 'the first community' },
];

export interface DemoLoaded {
  residents: number;
  households: number;
  accounts: { username: string; password: string; role: string; place: string }[];
  campaign: DemoCampaign | null;
}

/**
 * On an empty database (no places): generates the demo district (seed 2022) and creates the
 * demo staff accounts, all in one transaction, then a testing campaign under way
 * (demo-campaign.ts). Returns null, doing nothing, otherwise.
 */
export async function loadDemoIfEmpty(ctx: AppContext, opts: { residents: number; log?: (m: string) => void }): Promise<DemoLoaded | null> {
  if ((await ctx.db.query('SELECT 1 FROM places LIMIT 1')).rows.length) return null;
  opts.log?.(`loading the demo district (${opts.residents} residents)…`);
  // One hash for all: argon2 is deliberately slow.
  const hashed = await hashPassword(DEMO_PASSWORD);
  const accounts: DemoLoaded['accounts'] = [];
  const loaded = await loadDistrict(ctx, {
    residents: opts.residents,
    seed: DEMO_SEED,
    ifEmpty: true,
    async after(q, placeIds) {
      for (const a of DEMO_ACCOUNTS) {
        const placeId = placeIds.get(a.placeKey);
        if (placeId === undefined) continue; // a tiny demo may lack the second grid
        const taken = await q.query('SELECT 1 FROM users WHERE username = $1', [a.username]);
        if (taken.rows.length) continue; // someone already created this name by hand
        const place = (await q.query<{ name: string; path: string }>('SELECT name, path FROM places WHERE id = $1', [placeId])).rows[0];
        // '金厦里社区 / 育才里 / 第一网格': where the account works, below the district.
        const chain = await q.query<{ name: string }>(
          `SELECT name FROM places WHERE id = ANY(string_to_array(trim('/' FROM $1), '/')::int[]) AND (depth > 0 OR id = $2) ORDER BY depth`,
          [place.path, placeId],
        );
        const { rows } = await q.query<{ id: number }>(
          'INSERT INTO users (username, display_name, password_hash, role, place_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [a.username, a.displayName, hashed, a.role, placeId],
        );
        await audit(q, null, {
          action: 'user.create', entity: 'user', entityId: rows[0].id, placePath: place.path,
          detail: { username: a.username, role: a.role, demo: true },
        });
        accounts.push({ username: a.username, password: a.password, role: a.role, place: chain.rows.map((r) => r.name).join(' / ') });
      }
    },
  });
  if (!loaded) return null;
  opts.log?.(`demo district loaded in ${loaded.seconds.toFixed(1)} s`);
  const campaign = await loadDemoCampaign(ctx);
  return { residents: loaded.residents, households: loaded.households, accounts, campaign };
}
