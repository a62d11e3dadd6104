// The demo district a newcomer sees on first start, with staff accounts to sign in as.
import type { AppContext } from '../../platform/context.js';
import { hashPassword } from '../../modules/accounts/passwords.js';
import { audit } from '../../platform/audit.js';
import { loadDistrict } from './load.js';

export const DEMO_SEED = 2022;
export const DEMO_PASSWORD = 'Fangkong-2026';

/** Demo staff: username, role, and the key of their place in the generated district. */
export const DEMO_ACCOUNTS = [
  { username: 'center', displayName: '区指挥部 王主任', role: 'command_center', placeKey: 'd' },
  { username: 'street1', displayName: '街道 李书记', role: 'street_officer', placeKey: 'd/s1' },
  { username: 'community1', displayName: '社区 张书记', role: 'community_officer', placeKey: 'd/s1/c1' },
  { username: 'grid1', displayName: '网格员 刘芳', role: 'grid_worker', placeKey: 'd/s1/c1/p1/g1' },
  { username: 'grid2', displayName: '网格员 陈静', role: 'grid_worker', placeKey: 'd/s1/c1/p1/g2' },
  { username: 'sampler1', displayName: '采样员 赵敏', role: 'sampler', placeKey: 'd/s1/c1' },
] as const;

export interface DemoLoaded {
  residents: number;
  households: number;
  accounts: { username: string; password: string; role: string; place: string }[];
}

export async function loadDemoIfEmpty(ctx: AppContext, opts: { residents: number; log?: (m: string) => void }): Promise<DemoLoaded | null> {
  const { rows } = await ctx.db.query('SELECT 1 FROM places LIMIT 1');
  if (rows.length) return null;
  opts.log?.(`loading the demo district (${opts.residents} residents)…`);
  const loaded = await loadDistrict(ctx, { residents: opts.residents, seed: DEMO_SEED });
  const hashed = await hashPassword(DEMO_PASSWORD);
  const accounts: DemoLoaded['accounts'] = [];
  await ctx.db.tx(async (q) => {
    for (const a of DEMO_ACCOUNTS) {
      const placeId = loaded.firstPlaceIds.get(a.placeKey);
      if (!placeId) continue; // a tiny demo may lack the second grid
      const r = await q.query<{ id: number }>(
        `INSERT INTO users (username, display_name, password_hash, role, place_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [a.username, a.displayName, hashed, a.role, placeId],
      );
      const place = await q.query<{ name: string }>('SELECT name FROM places WHERE id = $1', [placeId]);
      await audit(q, null, { action: 'user.create', entity: 'user', entityId: r.rows[0].id, detail: { username: a.username, role: a.role, demo: true } });
      accounts.push({ username: a.username, password: DEMO_PASSWORD, role: a.role, place: place.rows[0].name });
    }
  });
  return { residents: loaded.residents, households: loaded.households, accounts };
}
