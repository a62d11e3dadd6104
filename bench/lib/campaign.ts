// A testing campaign over the whole bench district, and lane scans of real residents into
// it: the setup the testing and scale benchmarks share.
import crypto from 'node:crypto';
import type { Queryable } from '../../server/src/db/client.js';
import type { BenchDatabase } from './database.js';
import { vault } from './district.js';

export type Api = <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; data: T; ms: number }>;

/** JSON calls to one server as the signed-in cookie, timed. */
export function apiClient(url: string, cookie: string): Api {
  return async <T>(method: string, path: string, body?: unknown) => {
    const t0 = performance.now();
    const res = await fetch(url + path, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json()) as T;
    return { status: res.status, data, ms: performance.now() - t0 };
  };
}

export interface DistrictCampaign {
  id: number;
  roundId: number;
  districtId: number;
  communities: number;
  lanes: { id: number; siteId: number }[];
}

/** Empties the testing tables, then opens a campaign over the district through the API: a site per community, 856 lanes in all. */
export async function openDistrictCampaign(db: Pick<BenchDatabase, 'sql'>, api: Api): Promise<DistrictCampaign> {
  const { district, communities } = await db.sql(async (q) => {
    await q.query(
      'TRUNCATE campaigns, campaign_places, rounds, sites, lanes, schedule_slots, boxes, tubes, samples, tube_results, recalls, exemptions RESTART IDENTITY CASCADE',
    );
    return {
      district: (await q.query<{ id: number }>("SELECT id FROM places WHERE kind = 'district' ORDER BY id LIMIT 1")).rows[0],
      communities: (await q.query<{ id: number; name: string }>("SELECT id, name FROM places WHERE kind = 'community' ORDER BY id")).rows,
    };
  });
  const now = Date.now();
  const campaign = await api<{ id: number; rounds: { id: number }[] }>('POST', '/api/campaigns', {
    name: '全区全员核酸（基准）',
    placeId: district.id,
    startsAt: new Date(now - 3_600_000).toISOString(),
    endsAt: new Date(now + 23 * 3_600_000).toISOString(),
    places: [{ placeId: district.id, mode: 'pool10' }],
    rounds: [{ startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 23 * 3_600_000).toISOString() }],
  });
  if (campaign.status !== 201) throw new Error(`campaign: ${JSON.stringify(campaign.data)}`);
  const lanes: { id: number; siteId: number }[] = [];
  for (const [i, c] of communities.entries()) {
    const n = Math.round((856 * (i + 1)) / communities.length) - Math.round((856 * i) / communities.length);
    const s = await api<{ id: number; lanes: { id: number }[] }>('POST', `/api/campaigns/${campaign.data.id}/sites`, {
      placeId: c.id,
      name: `${c.name}采样点`,
      lanes: Math.min(50, Math.max(1, n)),
      opensAt: '00:00',
      closesAt: '23:59',
    });
    if (s.status !== 201) throw new Error(`site: ${JSON.stringify(s.data)}`);
    for (const l of s.data.lanes) lanes.push({ id: l.id, siteId: s.data.id });
  }
  return { id: campaign.data.id, roundId: campaign.data.rounds[0].id, districtId: district.id, communities: communities.length, lanes };
}

export interface Person {
  id: number;
  idType: string;
  idNumber: string;
  path: string;
}

/** People to scan: real ID numbers, decrypted from a sample of the district. */
export async function peopleToScan(q: Queryable, limit = 100_000): Promise<Person[]> {
  const { rows } = await q.query<{ id: number; id_type: string; id_cipher: Uint8Array; place_path: string }>(
    'SELECT id, id_type, id_cipher, place_path FROM residents TABLESAMPLE SYSTEM (12) WHERE archived_at IS NULL LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({ id: r.id, idType: r.id_type, idNumber: vault.decrypt(r.id_cipher), path: r.place_path }));
}

/** `count` lanes spread over the campaign's sites, one per virtual lane of a load. */
export function spreadLanes(lanes: { id: number }[], count: number): number[] {
  return Array.from({ length: count }, (_, i) => lanes[i * Math.floor(lanes.length / count)].id);
}

export interface Scan {
  key: string;
  laneId: number;
  tube: string;
  idNumber: string;
  idType: string;
  person: Person;
  /** how many scans this picker has handed out, this one included */
  seq: number;
}

/**
 * Scan k goes to virtual lane k % laneIds.length and that lane's tube (its count / 10): each
 * tube gets exactly ten people, as at a real lane, whatever order the responses come back in.
 * People are taken in order, from the start again when they run out.
 */
export function scanPicker(people: Person[], laneIds: number[]): (tubePrefix: string) => Scan {
  let k = 0;
  const perLane = new Array(laneIds.length).fill(0);
  return (tubePrefix) => {
    const lane = k % laneIds.length;
    const n = perLane[lane]++;
    const person = people[k++ % people.length];
    return {
      key: crypto.randomUUID(),
      laneId: laneIds[lane],
      tube: `${tubePrefix}-${lane}-${Math.floor(n / 10)}`,
      idNumber: person.idNumber,
      idType: person.idType,
      person,
      seq: k,
    };
  };
}

/** The body of POST /api/scans for a scan. */
export function scanBody(s: Scan): string {
  return JSON.stringify({ key: s.key, laneId: s.laneId, tube: s.tube, idNumber: s.idNumber, idType: s.idType });
}
