// Time-slot plan for a mass-testing round (全员核酸检测, 分时段、按楼栋): buildings are called to
// their sampling site slot by slot so that no lane's queue grows past maxQueuePerLane.
// Pure and deterministic: no clock, no randomness, no I/O. All arithmetic in epoch ms.

export interface PlanBuilding {
  placeId: number;
  name: string;
  residents: number;
  siteId: number;
}
export interface PlanSite {
  id: number;
  name: string;
  lanes: number;
  opensAt: string; // ISO 8601 datetime with offset, e.g. '2026-11-26T07:00:00+08:00'
  closesAt: string;
}
export interface PlanInput {
  buildings: PlanBuilding[]; // in calling order (e.g. building, then unit); slots are filled in this order
  sites: PlanSite[];
  secondsPerSwab: number; // service time of one person at one lane
  maxQueuePerLane: number; // the longest queue per lane the plan may cause, a whole number of people
  slotMinutes: number; // slot granularity
  turnout?: number; // share of residents expected to come, 0..1, default 1
}
export interface PlanSlot {
  placeId: number;
  siteId: number;
  startsAt: string; // ISO in UTC ('...Z')
  endsAt: string;
  people: number;
}
export interface SitePlan {
  siteId: number;
  firstSlotAt: string | null;
  finishesAt: string | null; // end of the last slot with people
  people: number; // people placed in slots
  capacityPerHour: number; // lanes × 3600 / secondsPerSwab; slots may be loaded below it, see queueSafeLoad
  overflow: number; // people that do not fit before closesAt
}
export interface Plan {
  slots: PlanSlot[]; // site by site in input order, then by time
  sites: SitePlan[];
  finishesAt: string | null;
  unplaced: number; // people that do not fit anywhere (the sum of overflow)
}

export class PlanInputError extends Error {
  field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'PlanInputError';
    this.field = field;
  }
}

const MINUTE_MS = 60_000;
// A round is one day; a window of more than a week is a typo, and would only make slot loops long.
const MAX_WINDOW_MS = 7 * 24 * 60 * MINUTE_MS;
// Accepted chance that one slot's random arrivals push a lane past the limit (see queueSafeLoad).
const QUEUE_RISK = 1e-4;

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an ISO 8601 datetime that carries Z or an offset; a local time is ambiguous, so it is refused. */
export function parseInstant(value: unknown, field: string): number {
  const m = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  if (!m) throw new PlanInputError(field, 'expected an ISO 8601 datetime with offset, e.g. 2026-11-26T07:00:00+08:00');
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const offsetMin = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  // Date.UTC rolls 02-30 over to 03-02; refuse instead.
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    Number(m[11] ?? 0) > 59
  ) {
    throw new PlanInputError(field, 'not a valid date and time');
  }
  return local - offsetMin * MINUTE_MS;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export interface CheckedSite {
  id: number;
  lanes: number;
  opensMs: number;
  closesMs: number;
}

/** Validates everything planSchedule and simulatePlan read; throws PlanInputError naming the field. */
export function validatePlanInput(input: PlanInput): Map<number, CheckedSite> {
  if (input === null || typeof input !== 'object') throw new PlanInputError('input', 'expected an object');
  const positive = (v: unknown, field: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new PlanInputError(field, 'expected a positive number');
    return v;
  };
  positive(input.secondsPerSwab, 'secondsPerSwab');
  if (!Number.isSafeInteger(input.maxQueuePerLane) || input.maxQueuePerLane < 1) {
    throw new PlanInputError('maxQueuePerLane', 'expected a whole number of people, at least 1');
  }
  if (positive(input.slotMinutes, 'slotMinutes') < 1) throw new PlanInputError('slotMinutes', 'expected at least 1 minute');
  if (input.turnout !== undefined && (typeof input.turnout !== 'number' || !(input.turnout >= 0 && input.turnout <= 1))) {
    throw new PlanInputError('turnout', 'expected a share between 0 and 1');
  }
  if (!Array.isArray(input.sites)) throw new PlanInputError('sites', 'expected a list');
  if (!Array.isArray(input.buildings)) throw new PlanInputError('buildings', 'expected a list');

  const sites = new Map<number, CheckedSite>();
  input.sites.forEach((site, i) => {
    const at = `sites[${i}]`;
    if (site === null || typeof site !== 'object') throw new PlanInputError(at, 'expected a site');
    if (!Number.isSafeInteger(site.id)) throw new PlanInputError(`${at}.id`, 'expected an integer id');
    if (sites.has(site.id)) throw new PlanInputError(`${at}.id`, `site ${site.id} is listed twice`);
    if (!Number.isSafeInteger(site.lanes) || site.lanes < 1)
      throw new PlanInputError(`${at}.lanes`, 'expected a whole number of lanes, at least 1');
    const opensMs = parseInstant(site.opensAt, `${at}.opensAt`);
    const closesMs = parseInstant(site.closesAt, `${at}.closesAt`);
    if (closesMs <= opensMs) throw new PlanInputError(`${at}.closesAt`, 'must be after opensAt');
    if (closesMs - opensMs > MAX_WINDOW_MS) throw new PlanInputError(`${at}.closesAt`, 'a site may be open for at most 7 days');
    sites.set(site.id, { id: site.id, lanes: site.lanes, opensMs, closesMs });
  });
  input.buildings.forEach((b, i) => {
    const at = `buildings[${i}]`;
    if (b === null || typeof b !== 'object') throw new PlanInputError(at, 'expected a building');
    if (!Number.isSafeInteger(b.placeId)) throw new PlanInputError(`${at}.placeId`, 'expected an integer id');
    if (!Number.isSafeInteger(b.residents) || b.residents < 0)
      throw new PlanInputError(`${at}.residents`, 'expected a whole number, at least 0');
    if (!sites.has(b.siteId)) throw new PlanInputError(`${at}.siteId`, `site ${String(b.siteId)} is not in sites`);
  });
  return sites;
}

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[n];
}

/** P(Binomial(trials, p) >= k). */
function binomialTail(trials: number, p: number, k: number): number {
  if (k <= 0 || p >= 1) return 1;
  if (k > trials || p <= 0) return 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let i = k; i <= trials; i++) {
    const term = Math.exp(logFactorial(trials) - logFactorial(i) - logFactorial(trials - i) + i * lp + (trials - i) * lq);
    sum += term;
    if (i > trials * p && term <= sum * 1e-9) break; // geometric decay from here on
  }
  return Math.min(1, sum);
}

/** P(Binomial(trials, 1/2) >= k) for k = 0..trials. */
function binomialTails(trials: number): Float64Array {
  const tails = new Float64Array(trials + 2);
  for (let k = trials; k >= 0; k--) {
    tails[k] = Math.min(1, tails[k + 1] + Math.exp(logFactorial(trials) - logFactorial(k) - logFactorial(trials - k) - trials * Math.LN2));
  }
  return tails;
}

/** How many people a slot may take so that random arrivals keep every lane's queue within maxQueuePerLane.
 *
 * Filling a slot to capacity is not enough: people arriving at random bunch up, and a lane with a limit of
 * 15 overflows on a one-lane site well before 90 people per 30 minutes. A lane's queue passes the limit only
 * if, in a window opened by an arrival, at least lanes·maxQueue + 1 more people arrive than the lanes swab in
 * that window (lanes per swab time). We add up that chance over window lengths up to three slots and over
 * every arrival that can open a window (a union bound) and keep it under QUEUE_RISK. Arrivals in a window are
 * counted as if two adjacent slots were one slot of twice the people, which covers bunches that straddle a
 * slot boundary. Checked against simulatePlan with jitter 0 over 30–100 simulated 12-hour days each, for 1–12
 * lanes, limits 1–25 and 15–60-minute slots: no lane passed its limit. Many lanes absorb the bunching at full
 * capacity; one or two lanes cannot. */
export function queueSafeLoad(slotCapacity: number, lanes: number, maxQueuePerLane: number): number {
  const cap = Math.floor(slotCapacity);
  if (cap <= 0) return 0;
  const fits = (n: number): boolean => {
    if (n === 0) return true;
    let risk = 0;
    let halfTail: Float64Array | null = null; // P(Binomial(2n, 1/2) >= k) for every k, for the long windows
    for (let j = 0; j <= 3 * slotCapacity; j++) {
      const window = (j + 1) / slotCapacity; // in slots: j + 1 swab times divided among the lanes
      const need = lanes * maxQueuePerLane + 1 + j; // arrivals after the opener that would overflow
      let tail: number;
      if (window <= 1) tail = binomialTail(2 * n, window / 2, need);
      else {
        halfTail ??= binomialTails(2 * n);
        const k = Math.ceil(need - n * (window - 1));
        tail = k <= 0 ? 1 : k > 2 * n ? 0 : halfTail[k];
      }
      risk += n * tail;
      if (risk > QUEUE_RISK) return false;
    }
    return true;
  };
  if (fits(cap)) return cap;
  let lo = 0;
  let hi = cap; // fits(lo) && !fits(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function loadShare(perSlot: number, lanes: number, maxQueuePerLane: number): number {
  if (perSlot < 1) return 1; // under one person a slot, nothing bunches
  const load = queueSafeLoad(perSlot, lanes, maxQueuePerLane);
  return load >= Math.floor(perSlot) ? 1 : load / perSlot; // full load keeps the fractional remainder too
}

export function planSchedule(input: PlanInput): Plan {
  const sites = validatePlanInput(input);
  const turnout = input.turnout ?? 1;
  const slotMs = Math.round(input.slotMinutes * MINUTE_MS);
  const swabMs = input.secondsPerSwab * 1000;

  const bySite = new Map<number, PlanBuilding[]>();
  for (const b of input.buildings) {
    const list = bySite.get(b.siteId) ?? [];
    list.push(b);
    bySite.set(b.siteId, list);
  }

  const shares = new Map<string, number>(); // sites with the same lanes load alike; the search is the costly part
  const slots: PlanSlot[] = [];
  const sitePlans: SitePlan[] = [];
  let finishesMs = -Infinity;
  let unplaced = 0;

  for (const site of input.sites) {
    const s = sites.get(site.id) as CheckedSite;
    const windowMs = s.closesMs - s.opensMs;
    // People the lanes can swab in the first x ms; whole people, counted cumulatively so a fractional rate
    // (e.g. 22 s swabs) neither loses nor gains people across slots.
    const capacityAt = (x: number): number => (x * s.lanes) / swabMs;
    const perSlot = capacityAt(slotMs);
    const key = `${perSlot}/${s.lanes}`;
    const share = shares.get(key) ?? loadShare(perSlot, s.lanes, input.maxQueuePerLane);
    shares.set(key, share);
    const allowedBy = (x: number): number => Math.floor(share * capacityAt(x) + 1e-9);
    const slotCount = Math.ceil(windowMs / slotMs);

    let k = 0;
    let left = 0; // places left in slot k
    let startMs = s.opensMs;
    let endMs = s.opensMs;
    const openSlot = (): void => {
      const from = k * slotMs;
      const to = Math.min(from + slotMs, windowMs); // the last slot ends at closesAt
      startMs = s.opensMs + from;
      endMs = s.opensMs + to;
      left = allowedBy(to) - allowedBy(from);
    };
    openSlot();

    let people = 0;
    let overflow = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (const b of bySite.get(site.id) ?? []) {
      let remaining = Math.round(b.residents * turnout);
      while (remaining > 0 && k < slotCount) {
        if (left === 0) {
          k += 1;
          if (k < slotCount) openSlot();
          continue;
        }
        const take = Math.min(remaining, left);
        slots.push({ placeId: b.placeId, siteId: site.id, startsAt: iso(startMs), endsAt: iso(endMs), people: take });
        first ??= startMs;
        last = endMs;
        people += take;
        remaining -= take;
        left -= take;
      }
      overflow += remaining;
    }
    unplaced += overflow;
    if (last !== null) finishesMs = Math.max(finishesMs, last);
    sitePlans.push({
      siteId: site.id,
      firstSlotAt: first === null ? null : iso(first),
      finishesAt: last === null ? null : iso(last),
      people,
      capacityPerHour: (s.lanes * 3600) / input.secondsPerSwab,
      overflow,
    });
  }

  return { slots, sites: sitePlans, finishesAt: finishesMs === -Infinity ? null : iso(finishesMs), unplaced };
}
