// Coverage rows name the compound they are in (issue 12, 2): building names repeat across
// compounds ("1号楼" in every one), so a chart of buildings labels each with its compound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildTown, campaign, ok, type Campaign, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
let c: Campaign;

interface Row { placeId: number; name: string; kind: string; within: string; compound: string | null; expected: number }
const rows = async (placeId: number, by: 'children' | 'building') =>
  (await ok<{ rows: Row[] }>(admin.get(`/api/rounds/${c.roundId}/coverage?placeId=${placeId}&by=${by}`), 200)).rows;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, '-cl');
  c = await campaign(admin, { name: '楼栋标签', ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c1.compound, siteName: '一号点' });
}, 60_000);

afterAll(async () => t?.close());

describe('coverage rows and their compound', () => {
  it('tells buildings of the same name apart by their compound', async () => {
    const buildings = await rows(town.district, 'building');
    expect(buildings).toHaveLength(4);
    const labels = buildings.map((r) => `${r.compound} ${r.name}`).sort();
    expect(labels).toEqual(['幸福里小区 1号楼', '幸福里小区 2号楼', '桃园小区 1号楼', '桃园小区 2号楼'].sort());
    expect(new Set(buildings.map((r) => r.name)).size).toBe(2);
  });

  it('names the compound below a compound too, and none above one', async () => {
    const grids = await rows(town.c1.compound, 'children');
    expect(grids.map((r) => r.compound)).toEqual(['幸福里小区', '幸福里小区']);
    const communities = await rows(town.street, 'children');
    expect(communities.map((r) => r.compound)).toEqual([null, null]);
  });
});
