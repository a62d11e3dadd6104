import { describe, it, expect } from 'vitest';
import {
  PlanInputError,
  planSchedule,
  queueSafeLoad,
  type Plan,
  type PlanBuilding,
  type PlanInput,
  type PlanSite,
  type PlanSlot,
} from './plan.js';
import { simulatePlan } from './simulate.js';

const DAY = '2026-11-26';
const at = (hhmm: string): string => `${DAY}T${hhmm}:00+08:00`;
const utc = (hhmm: string): string => new Date(at(hhmm)).toISOString();
const ms = (iso: string): number => Date.parse(iso);

function site(id: number, lanes: number, opens = '07:00', closes = '19:00'): PlanSite {
  return { id, name: `采样点${id}`, lanes, opensAt: at(opens), closesAt: at(closes) };
}
function building(placeId: number, residents: number, siteId: number): PlanBuilding {
  return { placeId, name: `${placeId}号楼`, residents, siteId };
}
function input(sites: PlanSite[], buildings: PlanBuilding[], extra: Partial<PlanInput> = {}): PlanInput {
  return { sites, buildings, secondsPerSwab: 20, maxQueuePerLane: 15, slotMinutes: 30, ...extra };
}
const rows = (plan: Plan, placeId: number): PlanSlot[] => plan.slots.filter((s) => s.placeId === placeId);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

describe('planSchedule', () => {
  // Eight lanes allowed 20 in line each absorb random bunching at full load (see queueSafeLoad), so these
  // plans are bounded by swab capacity alone: 8 lanes × 3 people a minute × 30 minutes = 720 a slot.
  const roomy = { maxQueuePerLane: 20 };

  it('fills 30-minute slots at lanes × 3600 / secondsPerSwab people an hour', () => {
    const plan = planSchedule(input([site(1, 8)], [building(10, 1440, 1)], roomy));
    expect(plan.sites[0]).toEqual({
      siteId: 1,
      firstSlotAt: utc('07:00'),
      finishesAt: utc('08:00'),
      people: 1440,
      capacityPerHour: 1440,
      overflow: 0,
    });
    expect(plan.slots).toEqual([
      { placeId: 10, siteId: 1, startsAt: '2026-11-25T23:00:00.000Z', endsAt: '2026-11-25T23:30:00.000Z', people: 720 },
      { placeId: 10, siteId: 1, startsAt: '2026-11-25T23:30:00.000Z', endsAt: '2026-11-26T00:00:00.000Z', people: 720 },
    ]);
    expect(plan.finishesAt).toBe(utc('08:00'));
    expect(plan.unplaced).toBe(0);
  });

  it('loads a site with few lanes below capacity, because random arrivals would queue past the limit', () => {
    // One lane swabs 90 in 30 minutes, but 90 people arriving at random bunch up beyond 15 in line.
    expect(queueSafeLoad(90, 1, 15)).toBeLessThan(90);
    expect(queueSafeLoad(90, 1, 15)).toBeGreaterThan(45);
    expect(queueSafeLoad(720, 8, 20)).toBe(720);
    // A shorter allowed queue costs throughput; more lanes cost less.
    expect(queueSafeLoad(360, 4, 5)).toBeLessThan(queueSafeLoad(360, 4, 15));
    expect(queueSafeLoad(360, 4, 5) / 360).toBeLessThan(queueSafeLoad(1080, 12, 5) / 1080);

    const plan = planSchedule(input([site(1, 1)], [building(10, 200, 1)]));
    const load = queueSafeLoad(90, 1, 15);
    expect(plan.sites[0].capacityPerHour).toBe(180);
    expect(rows(plan, 10).map((r) => r.people)).toEqual([load, load, load, 200 - 3 * load]);
  });

  it('splits a building bigger than what is left of a slot across consecutive slots', () => {
    const plan = planSchedule(input([site(1, 8)], [building(1, 1000, 1), building(2, 500, 1)], roomy));
    expect(rows(plan, 1).map((r) => [r.startsAt, r.people])).toEqual([
      [utc('07:00'), 720],
      [utc('07:30'), 280],
    ]);
    expect(rows(plan, 2).map((r) => [r.startsAt, r.people])).toEqual([
      [utc('07:30'), 440],
      [utc('08:00'), 60],
    ]);
    expect(plan.sites[0].finishesAt).toBe(utc('08:30'));
  });

  it('lets small buildings share a slot, in the order given', () => {
    const plan = planSchedule(
      input([site(1, 8)], [building(1, 100, 1), building(2, 200, 1), building(3, 300, 1), building(4, 300, 1)], roomy),
    );
    expect(plan.slots.map((s) => [s.placeId, s.startsAt, s.people])).toEqual([
      [1, utc('07:00'), 100],
      [2, utc('07:00'), 200],
      [3, utc('07:00'), 300],
      [4, utc('07:00'), 120],
      [4, utc('07:30'), 180],
    ]);
  });

  it('counts round(residents × turnout) people and gives buildings with nobody no slot', () => {
    const plan = planSchedule(input([site(1, 8)], [building(1, 101, 1), building(2, 0, 1), building(3, 1, 1)], { turnout: 0.5 }));
    // 101 × 0.5 = 50.5 → 51; 1 × 0.5 = 0.5 → 1; nobody from building 2.
    expect(plan.slots.map((s) => [s.placeId, s.people])).toEqual([
      [1, 51],
      [3, 1],
    ]);
    expect(plan.sites[0].people).toBe(52);
  });

  it('reports what does not fit before closesAt as overflow on the site and as unplaced', () => {
    const plan = planSchedule(
      input(
        [site(1, 8, '07:00', '08:00'), site(2, 8, '07:00', '09:00')],
        [building(1, 1000, 1), building(2, 1000, 1), building(3, 3000, 2)],
        roomy,
      ),
    );
    expect(plan.sites.map((s) => [s.people, s.overflow, s.finishesAt])).toEqual([
      [1440, 560, utc('08:00')],
      [2880, 120, utc('09:00')],
    ]);
    expect(plan.unplaced).toBe(680);
    expect(sum(plan.slots.map((s) => s.people)) + plan.unplaced).toBe(5000);
    expect(plan.slots.every((s) => ms(s.endsAt) <= ms(at('09:00')))).toBe(true);
    expect(plan.finishesAt).toBe(utc('09:00'));
  });

  it('ends the last slot at closesAt when the window is not a whole number of slots', () => {
    const plan = planSchedule(input([site(1, 8, '07:00', '08:10')], [building(1, 5000, 1)], roomy));
    const last = plan.slots[plan.slots.length - 1];
    expect([last.startsAt, last.endsAt, last.people]).toEqual([utc('08:00'), utc('08:10'), 240]);
    expect(plan.sites[0]).toMatchObject({ people: 1680, overflow: 3320 });
  });

  it('neither loses nor gains people to rounding when the swab rate is fractional', () => {
    // 3 lanes × 3600 / 22 s = 490.9 an hour; ten hours swab 4909, slots alternate 245 and 246.
    const plan = planSchedule(
      input([site(1, 3, '07:00', '17:00')], [building(1, 10_000, 1)], { secondsPerSwab: 22, maxQueuePerLane: 1000 }),
    );
    expect(plan.sites[0].capacityPerHour).toBeCloseTo(490.909, 3);
    expect(plan.sites[0].people).toBe(4909);
    expect(new Set(plan.slots.map((s) => s.people))).toEqual(new Set([245, 246]));
  });

  it('keeps every site, empty ones included, and reports no finish without people', () => {
    const plan = planSchedule(input([site(1, 2), site(2, 4)], [building(1, 0, 2)]));
    expect(plan.slots).toEqual([]);
    expect(plan.sites).toEqual([
      { siteId: 1, firstSlotAt: null, finishesAt: null, people: 0, capacityPerHour: 360, overflow: 0 },
      { siteId: 2, firstSlotAt: null, finishesAt: null, people: 0, capacityPerHour: 720, overflow: 0 },
    ]);
    expect(plan.finishesAt).toBeNull();
  });

  const good = (): PlanInput =>
    input(
      [site(1, 2), site(2, 2), site(3, 2)],
      [0, 1, 2, 3, 4, 5].map((i) => building(i, 100, 1 + (i % 3))),
    );
  it.each<[string, (i: PlanInput) => void]>([
    ['secondsPerSwab', (i) => (i.secondsPerSwab = 0)],
    ['secondsPerSwab', (i) => (i.secondsPerSwab = Number.NaN)],
    ['maxQueuePerLane', (i) => (i.maxQueuePerLane = 0)],
    ['maxQueuePerLane', (i) => (i.maxQueuePerLane = 2.5)],
    ['slotMinutes', (i) => (i.slotMinutes = -30)],
    ['turnout', (i) => (i.turnout = 1.2)],
    ['sites[2].lanes', (i) => (i.sites[2].lanes = 0)],
    ['sites[2].lanes', (i) => (i.sites[2].lanes = 1.5)],
    ['sites[1].id', (i) => (i.sites[1].id = 1)],
    ['sites[0].opensAt', (i) => (i.sites[0].opensAt = '2026-11-26T07:00:00')], // no offset: whose 7 o'clock?
    ['sites[0].opensAt', (i) => (i.sites[0].opensAt = '2026-02-30T07:00:00+08:00')],
    ['sites[1].closesAt', (i) => (i.sites[1].closesAt = i.sites[1].opensAt)],
    ['sites[1].closesAt', (i) => (i.sites[1].closesAt = at('06:00'))],
    ['buildings[5].siteId', (i) => (i.buildings[5].siteId = 99)],
    ['buildings[4].residents', (i) => (i.buildings[4].residents = -1)],
  ])('names the offending field %s', (field, spoil) => {
    const bad = good();
    spoil(bad);
    expect(() => planSchedule(bad)).toThrow(PlanInputError);
    try {
      planSchedule(bad);
    } catch (err) {
      expect((err as PlanInputError).field).toBe(field);
    }
    expect(() => planSchedule(good())).not.toThrow();
  });
});

describe('simulatePlan', () => {
  const mixed = (maxQueuePerLane: number): PlanInput =>
    input(
      [site(1, 1), site(2, 2), site(3, 3), site(4, 4), site(5, 6), site(6, 8)],
      // Enough people to keep every site busy all day.
      Array.from({ length: 120 }, (_, i) => building(100 + i, 450, 1 + (i % 6))),
      { maxQueuePerLane },
    );

  it('is deterministic for a seed, and one site does not disturb another', () => {
    const plan = planSchedule(mixed(15));
    const a = simulatePlan(mixed(15), plan, { seed: 7 });
    expect(simulatePlan(mixed(15), plan, { seed: 7 })).toEqual(a);
    expect(simulatePlan(mixed(15), plan, { seed: 8 }).sites[0].meanWaitSeconds).not.toBe(a.sites[0].meanWaitSeconds);

    const alone = input(
      [site(1, 1)],
      mixed(15).buildings.filter((b) => b.siteId === 1),
    );
    const aloneSim = simulatePlan(alone, planSchedule(alone), { seed: 7 });
    const { points, ...stats } = aloneSim.sites[0];
    const { points: mixedPoints, ...mixedStats } = a.sites[0];
    expect(stats).toEqual(mixedStats);
    expect(points).toEqual(mixedPoints.slice(0, points.length));
  });

  it.each([15, 5, 2])('keeps every lane within maxQueuePerLane = %i for plans from planSchedule, jitter 0', (maxQueue) => {
    const plan = planSchedule(mixed(maxQueue));
    expect(plan.unplaced).toBeGreaterThan(0); // the day is full, so every slot is loaded as far as the plan allows
    for (let seed = 1; seed <= 10; seed++) {
      const sim = simulatePlan(mixed(maxQueue), plan, { seed, serviceJitter: 0 });
      expect(sim.maxWaitingPerLane).toBeLessThanOrEqual(maxQueue);
      for (const s of sim.sites) expect(Math.max(...s.points.map((p) => p.waitingPerLane))).toBeLessThanOrEqual(maxQueue);
    }
  });

  it('shows that filling a one-lane site to capacity would break the limit', () => {
    // The naive plan: 90 people every 30 minutes at one 20-second lane.
    const one = input([site(1, 1)], []);
    const naive: Plan = {
      slots: Array.from({ length: 24 }, (_, k) => ({
        placeId: k,
        siteId: 1,
        startsAt: new Date(ms(at('07:00')) + k * 1_800_000).toISOString(),
        endsAt: new Date(ms(at('07:00')) + (k + 1) * 1_800_000).toISOString(),
        people: 90,
      })),
      sites: [],
      finishesAt: null,
      unplaced: 0,
    };
    const worst = Math.max(...[1, 2, 3, 4, 5].map((seed) => simulatePlan(one, naive, { seed, serviceJitter: 0 }).maxWaitingPerLane));
    expect(worst).toBeGreaterThan(15);
  });

  it('finishes close to the planned finish and serves everyone planned', () => {
    const i = mixed(15);
    const plan = planSchedule(i);
    const sim = simulatePlan(i, plan, { seed: 3 });
    expect(Math.abs(ms(sim.finishesAt!) - ms(plan.finishesAt!))).toBeLessThanOrEqual(5 * 60_000);
    plan.sites.forEach((p, k) => {
      const s = sim.sites[k];
      expect(s.siteId).toBe(p.siteId);
      expect(Math.abs(ms(s.lastServedAt!) - ms(p.finishesAt!))).toBeLessThanOrEqual(5 * 60_000);
      expect(s.points[s.points.length - 1].served).toBe(p.people);
    });
  });

  it('samples every site on one axis from the first opening to the last swab', () => {
    const i = input([site(1, 2, '07:00', '08:00'), site(2, 1, '07:30', '09:00'), site(3, 3)], [building(1, 150, 1), building(2, 100, 2)]);
    const plan = planSchedule(i);
    const sim = simulatePlan(i, plan, { seed: 1, sampleEveryMinutes: 10 });
    for (const s of sim.sites) {
      expect(s.points[0].at).toBe(utc('07:00'));
      expect(s.points.length).toBe(sim.sites[0].points.length);
      s.points.forEach((p, k) => {
        expect(ms(p.at)).toBe(ms(at('07:00')) + k * 600_000);
        if (k > 0) expect(p.served).toBeGreaterThanOrEqual(s.points[k - 1].served);
      });
      const last = s.points[s.points.length - 1];
      expect(ms(last.at)).toBeGreaterThanOrEqual(ms(sim.finishesAt!));
      expect(ms(last.at) - 600_000).toBeLessThan(ms(sim.finishesAt!));
      expect(last.waiting).toBe(0);
    }
    expect(sim.sites[0].points.find((p) => p.waiting > 0)?.waitingPerLane).toBe(
      (sim.sites[0].points.find((p) => p.waiting > 0)?.waiting ?? 0) / 2,
    );
    expect(sim.sites.map((s) => s.points[s.points.length - 1].served)).toEqual([150, 100, 0]);
    expect(sim.sites[2]).toMatchObject({ lastServedAt: null, maxWaitingPerLane: 0, meanWaitSeconds: 0, p95WaitSeconds: 0 });
    // Nobody is swabbed before their slot opens.
    expect(sim.sites[1].points.filter((p) => ms(p.at) <= ms(at('07:30'))).every((p) => p.served === 0)).toBe(true);
  });

  it('times one person exactly: no wait, one swab', () => {
    const i = input([site(1, 1)], [building(1, 1, 1)]);
    const plan = planSchedule(i);
    const sim = simulatePlan(i, plan, { serviceJitter: 0 });
    const s = sim.sites[0];
    expect([s.meanWaitSeconds, s.p95WaitSeconds, s.maxWaitingPerLane]).toEqual([0, 0, 0]);
    const served = ms(s.lastServedAt!);
    expect(served).toBeGreaterThanOrEqual(ms(at('07:00')) + 20_000);
    expect(served).toBeLessThanOrEqual(ms(at('07:30')) + 20_000);
  });

  it('makes people wait when they come faster than the lanes swab', () => {
    // 60 people into one lane within 10 minutes: 20 minutes of swabbing, so most of them wait.
    const i = input([site(1, 1)], []);
    const plan: Plan = {
      slots: [{ placeId: 1, siteId: 1, startsAt: utc('07:00'), endsAt: utc('07:10'), people: 60 }],
      sites: [],
      finishesAt: null,
      unplaced: 0,
    };
    const s = simulatePlan(i, plan, { serviceJitter: 0 }).sites[0];
    expect(ms(s.lastServedAt!)).toBeGreaterThanOrEqual(ms(at('07:20')));
    expect(s.maxWaitingPerLane).toBeGreaterThan(15);
    expect(s.meanWaitSeconds).toBeGreaterThan(60);
    expect(s.p95WaitSeconds).toBeGreaterThanOrEqual(s.meanWaitSeconds);
  });

  it('refuses bad options and plans that do not match the input', () => {
    const i = input([site(1, 1)], [building(1, 10, 1)]);
    const plan = planSchedule(i);
    const field = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (err) {
        if (err instanceof PlanInputError) return err.field;
        throw err;
      }
      return undefined;
    };
    expect(field(() => simulatePlan(i, plan, { sampleEveryMinutes: 0 }))).toBe('sampleEveryMinutes');
    expect(field(() => simulatePlan(i, plan, { serviceJitter: 0.8 }))).toBe('serviceJitter');
    expect(field(() => simulatePlan(i, { ...plan, slots: [{ ...plan.slots[0], siteId: 2 }] }))).toBe('plan.slots[0].siteId');
    expect(field(() => simulatePlan(i, { ...plan, slots: [{ ...plan.slots[0], people: -1 }] }))).toBe('plan.slots[0].people');
    expect(field(() => simulatePlan({ ...i, secondsPerSwab: -1 }, plan))).toBe('secondsPerSwab');
  });

  it('simulates a district-sized plan: 40 sites, about 100,000 people, everyone planned is served', () => {
    const sites = Array.from({ length: 40 }, (_, k) => site(k + 1, 2 + (k % 7), '07:00', '21:00'));
    const buildings = Array.from({ length: 800 }, (_, k) => building(1000 + k, 80 + ((k * 37) % 170), 1 + (k % 40)));
    const i = input(sites, buildings, { turnout: 0.95 });
    const plan = planSchedule(i);
    const planned = sum(plan.sites.map((s) => s.people));
    expect(planned + plan.unplaced).toBe(sum(buildings.map((b) => Math.round(b.residents * 0.95))));
    expect(planned).toBeGreaterThan(90_000);

    const sim = simulatePlan(i, plan, { seed: 2026, serviceJitter: 0 });
    expect(sim.sites).toHaveLength(40);
    expect(sum(sim.sites.map((s) => s.points[s.points.length - 1].served))).toBe(planned);
    sim.sites.forEach((s, k) => {
      expect(s.points[s.points.length - 1].served).toBe(plan.sites[k].people);
      expect(s.meanWaitSeconds).toBeGreaterThanOrEqual(0);
      expect(s.p95WaitSeconds).toBeLessThanOrEqual(15 * 20);
    });
    expect(sim.maxWaitingPerLane).toBeLessThanOrEqual(15);
    // The last slot may be only partly filled, so its people can all be done before it ends.
    expect(ms(sim.finishesAt!)).toBeLessThanOrEqual(ms(plan.finishesAt!) + 5 * 60_000);
    expect(ms(sim.finishesAt!)).toBeGreaterThan(ms(plan.finishesAt!) - 30 * 60_000);
  });
});
