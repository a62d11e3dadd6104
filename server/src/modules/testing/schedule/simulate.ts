// Discrete-event simulation of a slot plan: how long the queues at each sampling site get over the day.
// Deterministic for a given seed; each site draws from its own stream, so one site's numbers do not
// change when another site's plan does.
import { PlanInputError, iso, parseInstant, validatePlanInput, type Plan, type PlanInput } from './plan.js';

export interface SimulationOptions {
  seed?: number; // default 1
  sampleEveryMinutes?: number; // default 5
  serviceJitter?: number; // 0..0.5 relative, default 0.2
}
export interface SiteTimeline {
  siteId: number;
  // waiting: people queued (not in service) at `at`; waitingPerLane: waiting / lanes; served: swabbed by `at`.
  points: { at: string; waiting: number; waitingPerLane: number; served: number }[];
  maxWaitingPerLane: number; // the longest single-lane queue at any moment (exact, not only at sample points)
  lastServedAt: string | null;
  meanWaitSeconds: number;
  p95WaitSeconds: number;
}
export interface Simulation {
  sites: SiteTimeline[];
  finishesAt: string | null;
  maxWaitingPerLane: number;
}

const MINUTE_MS = 60_000;
const MAX_POINTS = 20_000; // per site; keeps a careless interval from building millions of objects

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// murmur3 finalizer: spreads (seed, siteId, stream) into unrelated 32-bit seeds.
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const streamSeed = (seed: number, siteId: number, stream: number): number =>
  mix(mix(mix(seed >>> 0) ^ (siteId >>> 0) ^ Math.floor(siteId / 2 ** 32)) ^ stream);

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

interface Point {
  at: string;
  waiting: number;
  waitingPerLane: number;
  served: number;
}

export function simulatePlan(input: PlanInput, plan: Plan, options: SimulationOptions = {}): Simulation {
  const sites = validatePlanInput(input);
  const seed = options.seed ?? 1;
  const sampleMinutes = options.sampleEveryMinutes ?? 5;
  const jitter = options.serviceJitter ?? 0.2;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new PlanInputError('seed', 'expected a number');
  if (typeof sampleMinutes !== 'number' || !Number.isFinite(sampleMinutes) || sampleMinutes < 1) {
    throw new PlanInputError('sampleEveryMinutes', 'expected at least 1 minute');
  }
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 0.5))
    throw new PlanInputError('serviceJitter', 'expected a share between 0 and 0.5');
  if (plan === null || typeof plan !== 'object' || !Array.isArray(plan.slots)) throw new PlanInputError('plan.slots', 'expected a list');

  // Arrival windows per site, in plan order.
  const windows = new Map<number, { from: number; to: number; people: number }[]>();
  let t0 = Infinity;
  for (const s of sites.values()) t0 = Math.min(t0, s.opensMs);
  plan.slots.forEach((slot, i) => {
    const at = `plan.slots[${i}]`;
    if (!sites.has(slot.siteId)) throw new PlanInputError(`${at}.siteId`, `site ${String(slot.siteId)} is not in sites`);
    if (!Number.isSafeInteger(slot.people) || slot.people < 0)
      throw new PlanInputError(`${at}.people`, 'expected a whole number, at least 0');
    const from = parseInstant(slot.startsAt, `${at}.startsAt`);
    const to = parseInstant(slot.endsAt, `${at}.endsAt`);
    if (to <= from) throw new PlanInputError(`${at}.endsAt`, 'must be after startsAt');
    const list = windows.get(slot.siteId) ?? [];
    list.push({ from, to, people: slot.people });
    windows.set(slot.siteId, list);
    t0 = Math.min(t0, from);
  });

  const sampleMs = Math.round(sampleMinutes * MINUTE_MS);
  const swabMs = input.secondsPerSwab * 1000;
  const results: { timeline: SiteTimeline; served: number }[] = [];
  let globalEnd = -Infinity;

  for (const site of input.sites) {
    const { lanes } = sites.get(site.id)!;
    const slots = windows.get(site.id) ?? [];
    const total = slots.reduce((sum, w) => sum + w.people, 0);

    const arrivalRandom = mulberry32(streamSeed(seed, site.id, 1));
    const serviceRandom = mulberry32(streamSeed(seed, site.id, 2)); // separate, so jitter leaves arrivals alone
    const arrivals = new Float64Array(total);
    let n = 0;
    for (const w of slots) for (let j = 0; j < w.people; j++) arrivals[n++] = w.from + arrivalRandom() * (w.to - w.from);
    arrivals.sort();

    // Per lane, the service end times of the people assigned to it, FIFO; head = first not yet gone.
    // The first one still present is in service (it has arrived and its predecessor has left), the rest wait.
    const ends: number[][] = Array.from({ length: lanes }, () => []);
    const heads = new Int32Array(lanes);
    let served = 0;
    const depart = (t: number): void => {
      for (let l = 0; l < lanes; l++) {
        const q = ends[l];
        let h = heads[l];
        while (h < q.length && q[h] <= t) h++;
        served += h - heads[l];
        heads[l] = h;
      }
    };

    const points: Point[] = [];
    let tick = t0;
    const sample = (): void => {
      if (points.length >= MAX_POINTS)
        throw new PlanInputError('sampleEveryMinutes', 'too many sample points for this plan; use a longer interval');
      depart(tick);
      let waiting = 0;
      for (let l = 0; l < lanes; l++) waiting += Math.max(0, ends[l].length - heads[l] - 1);
      points.push({ at: iso(tick), waiting, waitingPerLane: round(waiting / lanes, 2), served });
      tick += sampleMs;
    };

    const waits = new Float64Array(total);
    let waitSum = 0;
    let maxLane = 0;
    let lastEnd = -Infinity;
    for (let i = 0; i < total; i++) {
      const t = arrivals[i];
      while (tick < t) sample(); // a sample at time T sees every arrival and departure at or before T
      depart(t);
      // Join the shortest queue; among equals, the lane that frees up first.
      let best = 0;
      let bestSize = Infinity;
      let bestFree = Infinity;
      for (let l = 0; l < lanes; l++) {
        const size = ends[l].length - heads[l];
        const free = size === 0 ? t : ends[l][ends[l].length - 1];
        if (size < bestSize || (size === bestSize && free < bestFree)) {
          best = l;
          bestSize = size;
          bestFree = free;
        }
      }
      const start = Math.max(t, bestFree);
      const end = start + swabMs * (1 + jitter * (2 * serviceRandom() - 1));
      ends[best].push(end);
      maxLane = Math.max(maxLane, bestSize); // the newcomer's lane now queues everyone but the one in service
      waits[i] = (start - t) / 1000;
      waitSum += waits[i];
      lastEnd = Math.max(lastEnd, end);
    }
    if (total > 0) while (points.length === 0 || tick - sampleMs < lastEnd) sample();
    globalEnd = Math.max(globalEnd, lastEnd);

    waits.sort();
    results.push({
      timeline: {
        siteId: site.id,
        points,
        maxWaitingPerLane: maxLane,
        lastServedAt: total > 0 ? iso(lastEnd) : null,
        meanWaitSeconds: total > 0 ? round(waitSum / total, 1) : 0,
        p95WaitSeconds: total > 0 ? round(waits[Math.ceil(0.95 * total) - 1], 1) : 0,
      },
      served,
    });
  }

  // One time axis for every site, from the first opening to the first sample at or after the last swab
  // anywhere; after its own last swab a site's state no longer changes.
  const endMs = globalEnd === -Infinity ? t0 : globalEnd;
  const count = Math.ceil((endMs - t0) / sampleMs) + 1;
  if (count > MAX_POINTS) throw new PlanInputError('sampleEveryMinutes', 'too many sample points for this plan; use a longer interval');
  for (const r of results) {
    for (let k = r.timeline.points.length; k < count; k++) {
      r.timeline.points.push({ at: iso(t0 + k * sampleMs), waiting: 0, waitingPerLane: 0, served: r.served });
    }
  }

  const timelines = results.map((r) => r.timeline);
  return {
    sites: timelines,
    finishesAt: globalEnd === -Infinity ? null : iso(globalEnd),
    maxWaitingPerLane: timelines.reduce((m, s) => Math.max(m, s.maxWaitingPerLane), 0),
  };
}
