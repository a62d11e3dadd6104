// The demo's testing campaign (演示核酸检测): so a newcomer opening 核酸检测 finds a campaign
// mid-way rather than an empty list. Made through the same services a user's clicks go
// through, as the demo accounts: the community officer plans it (two sites, a time-slot plan
// for day 1), the sampler scans the first people of the first compound into 10-in-1 tubes and
// hands two boxes to transport, the command center's lab receives the first box and reports
// it negative. The second box stays in transit; everyone else is still to be sampled.
import { mintScope } from '../../platform/scope.js';
import type { Queryable } from '../client.js';
import type { Actor, AppContext } from '../../platform/context.js';
import type { IdType } from '../../platform/ids.js';
import { createCampaign, createSite, handOver, packBox, planRound, receive, recordResults, recordScanBatch, sealTube } from '../../modules/testing/index.js';

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
const POOL = 10;
const TUBES = 8;
const RECEIVED_TUBES = 5;

export interface DemoCampaign {
  id: number;
  name: string;
  samples: number;
}

async function actorFor(q: Queryable, username: string): Promise<Actor | null> {
  const { rows } = await q.query<{ id: number; username: string; display_name: string; role: Actor['role']; place_id: number; path: string }>(
    `SELECT u.id, u.username, u.display_name, u.role, u.place_id, p.path FROM users u JOIN places p ON p.id = u.place_id WHERE u.username = $1`,
    [username],
  );
  const u = rows[0];
  return u ? { id: u.id, username: u.username, displayName: u.display_name, role: u.role, placeId: u.place_id, scope: mintScope(u.path), locale: 'zh-CN' } : null;
}

/** Creates the demo campaign; null when the demo accounts it acts as are missing (a hand-made name clash). */
export async function loadDemoCampaign(ctx: AppContext, now = new Date()): Promise<DemoCampaign | null> {
  const [officer, sampler, lab] = await Promise.all(['community1', 'sampler1', 'center'].map((u) => actorFor(ctx.db, u)));
  if (!officer || !sampler || !lab || officer.placeId === null) return null;
  const compounds = (
    await ctx.db.query<{ id: number; name: string; path: string }>(
      `SELECT id, name, path FROM places WHERE parent_id = $1 AND kind = 'compound' AND archived_at IS NULL ORDER BY id LIMIT 2`,
      [officer.placeId],
    )
  ).rows;
  if (!compounds.length) return null;

  // Three day-long rounds from today's midnight in Shanghai: day 1 is under way.
  const today = Math.floor((now.getTime() + SHANGHAI) / DAY) * DAY - SHANGHAI;
  const community = (await ctx.db.query<{ name: string }>('SELECT name FROM places WHERE id = $1', [officer.placeId])).rows[0];
  const name = `${community.name}全员核酸检测（演示）`;
  const campaign = await createCampaign(ctx, officer, {
    name,
    placeId: officer.placeId,
    startsAt: new Date(today).toISOString(),
    endsAt: new Date(today + 3 * DAY).toISOString(),
    places: [{ placeId: officer.placeId, mode: 'pool10' }],
  });
  // Two sites: at the first two compounds, or at two gates of the only one.
  const [a, b = a] = compounds;
  const sites = [
    await createSite(ctx, officer, campaign.id, { placeId: a.id, name: `${a.name}${a === b ? '北门' : ''}采样点`, lanes: 3, opensAt: '07:00', closesAt: '21:00' }),
    await createSite(ctx, officer, campaign.id, { placeId: b.id, name: `${b.name}${a === b ? '南门' : ''}采样点`, lanes: 2, opensAt: '07:00', closesAt: '21:00' }),
  ];
  const day1 = campaign.rounds[0];
  await planRound(ctx, officer, day1.id, {});

  // The sampler's first hour at lane 1: people of the first compound, a minute apart.
  const people = (
    await ctx.db.query<{ id_type: IdType; id_cipher: Uint8Array }>(
      `SELECT id_type, id_cipher FROM residents WHERE place_path LIKE $1 || '%' AND archived_at IS NULL ORDER BY place_path, id LIMIT $2`,
      [compounds[0].path, TUBES * POOL],
    )
  ).rows;
  const lane = sites[0].lanes[0].id;
  const startOfDay1 = new Date(day1.startsAt).getTime();
  const scans = people.map((p, i) => ({
    key: crypto.randomUUID(),
    laneId: lane,
    tube: `DEMO${String(Math.floor(i / POOL) + 1).padStart(4, '0')}`,
    idNumber: ctx.vault.decrypt(p.id_cipher),
    idType: p.id_type,
    at: new Date(Math.max(startOfDay1, now.getTime() - (people.length - i) * 60_000)).toISOString(),
  }));
  const done = await recordScanBatch(ctx, sampler, scans);
  const failed = done.find((d) => !d.ok);
  if (failed && !failed.ok) throw failed.error;
  const tubes = [...new Set(scans.map((s) => s.tube))];
  for (const t of tubes) await sealTube(ctx, sampler, t); // the last tube may be short of ten

  const first = tubes.slice(0, RECEIVED_TUBES);
  await packBox(ctx, sampler, { barcode: 'DEMOBOX01', tubes: first });
  await handOver(ctx, sampler, 'DEMOBOX01', { carrier: '区疾控转运 1 号车' });
  await receive(ctx, lab, 'DEMOBOX01', { labName: '区疾控中心实验室', tubes: first });
  await recordResults(ctx, lab, first.map((barcode, i) => ({ row: i + 2, barcode, result: '阴性' })), 'api');
  const rest = tubes.slice(RECEIVED_TUBES);
  if (rest.length) {
    await packBox(ctx, sampler, { barcode: 'DEMOBOX02', tubes: rest });
    await handOver(ctx, sampler, 'DEMOBOX02', { carrier: '区疾控转运 2 号车' });
  }
  return { id: campaign.id, name, samples: scans.length };
}
