// The area board (issue 12, 5): every running campaign of my area with the campaign board's own
// figures, narrowed to a place of it when one is picked, and their sum; nothing beyond my area.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { boxHandedOver, boxReceived, buildTown, campaign, ok, results, staffAt, tube, type Campaign, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
let street: Client;
let officer1: Client;
let c1: Campaign;
let c2: Campaign;
let district: Campaign;

interface Figures { expected: number; samples: number; tubes: Record<string, number>; recalls: { open: number; closed: number } }
interface Area {
  place: { id: number; name: string } | null;
  campaigns: (Figures & { campaign: { id: number; name: string; placeName: string } })[];
  totals: Figures & { campaigns: number };
}
const area = async (c: Client, placeId?: number) => ok<Area>(c.get(`/api/area-board${placeId ? `?placeId=${placeId}` : ''}`), 200);
const pick = (b: Figures) => ({ expected: b.expected, samples: b.samples, tubes: b.tubes, recalls: b.recalls });

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, '-ab');
  c1 = await campaign(admin, { name: '平江里一轮', ownerPlaceId: town.c1.community, coverPlaceIds: [town.c1.community], sitePlaceId: town.c1.compound, siteName: '平江里点' });
  c2 = await campaign(admin, { name: '桃园一轮', ownerPlaceId: town.c2.community, coverPlaceIds: [town.c2.community], sitePlaceId: town.c2.compound, siteName: '桃园点' });
  district = await campaign(admin, { name: '全区普筛', ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c2.compound, siteName: '全区桃园点' });
  // a campaign that has not started is not on the board
  const later = Date.now() + 48 * 3600_000;
  await ok(
    admin.post('/api/campaigns', {
      name: '下周筛查',
      placeId: town.street,
      startsAt: new Date(later).toISOString(),
      endsAt: new Date(later + 3600_000 * 10).toISOString(),
      places: [{ placeId: town.street, mode: 'single' }],
      rounds: [{ startsAt: new Date(later).toISOString(), endsAt: new Date(later + 3600_000 * 10).toISOString() }],
    }),
    201,
  );
  ({ street_officer: street } = (await staffAt(t, admin, town.street, 'ab-s', ['street_officer'])) as { street_officer: Client });
  ({ community_officer: officer1 } = (await staffAt(t, admin, town.c1.community, 'ab-c1', ['community_officer'])) as { community_officer: Client });
  const { sampler, lab_operator: lab } = (await staffAt(t, admin, town.district, 'ab', ['sampler', 'lab_operator'])) as { sampler: Client; lab_operator: Client };
  await tube(sampler, c1.laneId, 'AB-0001', [town.c1.a.people[0]]);
  await tube(sampler, c1.laneId, 'AB-0002', [town.c1.a.people[1]]);
  await tube(sampler, c2.laneId, 'AB-0003', [town.c2.a.people[0]]);
  await tube(sampler, district.laneId, 'AB-0004', [town.c2.b.people[0]]);
  await boxHandedOver(sampler, 'AB-BOX-1', ['AB-0001', 'AB-0002']);
  await boxReceived(lab, 'AB-BOX-1', ['AB-0001']);
  await results(lab, [{ tube: 'AB-0001', result: 'positive' }]);
}, 90_000);

afterAll(async () => t?.close());

describe('the area board', () => {
  it('shows every running campaign of the street with the campaign board’s figures, and their sum', async () => {
    const a = await area(street);
    expect(a.place?.id).toBe(town.street);
    expect(a.campaigns.map((c) => c.campaign.name).sort()).toEqual(['全区普筛', '平江里一轮', '桃园一轮'].sort());
    for (const c of a.campaigns) {
      const own = await ok<Figures>(street.get(`/api/campaigns/${c.campaign.id}/board`), 200);
      expect(pick(c)).toEqual(pick(own));
    }
    const sum = (k: string) => a.campaigns.reduce((n, c) => n + c.tubes[k], 0);
    expect(a.totals).toMatchObject({ campaigns: 3, samples: 4, expected: a.campaigns.reduce((n, c) => n + c.expected, 0) });
    expect(a.totals.tubes).toMatchObject({ positive: 1, missing: 1, sealed: sum('sealed') });
    expect(a.totals.recalls.open).toBe(1);
    const pj = a.campaigns.find((c) => c.campaign.name === '平江里一轮')!;
    expect(pj).toMatchObject({ campaign: { placeName: '平江里社区' }, samples: 2, expected: 4, tubes: { positive: 1, missing: 1 } });
  });

  it('narrowed to a community, counts each campaign’s share of it only', async () => {
    const a = await area(street, town.c2.community);
    expect(a.campaigns.map((c) => c.campaign.name).sort()).toEqual(['全区普筛', '桃园一轮'].sort());
    const d = a.campaigns.find((c) => c.campaign.name === '全区普筛')!;
    expect(d).toMatchObject({ expected: 4, samples: 1 });
    const whole = (await area(street)).campaigns.find((c) => c.campaign.name === '全区普筛')!;
    expect(whole.expected).toBe(8);
  });

  it('shows a community officer their own area only, and refuses a place outside it as missing', async () => {
    const a = await area(officer1);
    expect(a.campaigns.map((c) => c.campaign.name).sort()).toEqual(['全区普筛', '平江里一轮'].sort());
    expect(a.campaigns.find((c) => c.campaign.name === '全区普筛')).toMatchObject({ expected: 4, samples: 0 });
    expect(JSON.stringify(a)).not.toContain('桃园');
    const out = await officer1.get(`/api/area-board?placeId=${town.c2.community}`);
    const none = await officer1.get('/api/area-board?placeId=2147483647');
    expect(out.statusCode).toBe(404);
    expect(out.json().error.code).toBe(none.json().error.code);
  });
});
