// A synthetic district (河西区, region 120103) of any size, deterministic for a seed and a
// reference date. It streams: places first (parents before children), each unit followed by
// its households, so a million residents never sit in memory. Every resident comes out in the
// normalised shape validateResident returns (ResidentValues).
import { mainlandCheckChar } from '../../platform/ids.js';
import type { ResidentValues, Tenancy } from '../../modules/registry/index.js';
import {
  chineseNumber, COMMUNITY_WORDS, COMPOUND_WORDS, ENTRANCES, GIVEN, HOME_REGION, JAPANESE, KOREAN,
  OTHER_REGIONS, RUSSIAN, STREETS, SURNAMES, TIANJIN_REGIONS, WESTERN,
} from './names.js';

// ---------------------------------------------------------------------------------------------
// Randomness: sfc32 seeded through splitmix32. Same numbers on every machine; no Math.random.

export interface Rng {
  next(): number; // [0, 1)
  int(min: number, max: number): number; // inclusive
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** A picker over weighted items (cumulative weights, binary search). */
function weighted<T>(items: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const cum: number[] = [];
  let total = 0;
  for (const [, w] of items) cum.push((total += w));
  return (rng) => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo][0];
  };
}

function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Splits total into parts of varying size (±spread) that add up exactly. */
function split(total: number, parts: number, rng: Rng, spread: number): number[] {
  const w = Array.from({ length: parts }, () => 1 - spread + 2 * spread * rng.next());
  const sum = w.reduce((x, y) => x + y, 0);
  const out: number[] = [];
  let acc = 0;
  let prev = 0;
  for (const x of w) {
    acc += x;
    const cur = Math.round((total * acc) / sum);
    out.push(cur - prev);
    prev = cur;
  }
  out[parts - 1] += total - prev;
  return out;
}

// ---------------------------------------------------------------------------------------------
// What comes out.

export type PlaceKind = 'district' | 'street' | 'community' | 'compound' | 'grid' | 'building' | 'unit' | 'entrance';

export interface GenPlace {
  /** Stable within one generation: 'd/s1/c2/p1/g3/b4/u1'. */
  key: string;
  parentKey: string | null;
  kind: PlaceKind;
  name: string;
  code: string | null;
  floors: number | null;
}

export interface GenHousehold {
  unitKey: string;
  /** 502 = floor 5, door 02 */
  room: string;
  residents: ResidentValues[];
}

export type DistrictItem = { type: 'place'; place: GenPlace } | { type: 'household'; household: GenHousehold };

export interface GenerateOptions {
  residents: number;
  seed: number;
  /** Reference date for ages, infants and due dates; default today (UTC). Part of the determinism. */
  today?: Date | string;
}

export const DISTRICT = { name: '河西区', code: '120103' } as const;

/** How many streets and communities a district of this size has: ~7,000 residents a community, 13 streets at 1M. */
export function planDistrict(residents: number): { streets: number; communities: number } {
  // Small (demo) districts still get a few streets and communities to click through.
  const communities = Math.max(Math.round(residents / 7000), Math.min(6, Math.ceil(residents / 250)));
  const streets = Math.max(Math.ceil(communities / 11), Math.min(3, Math.ceil(communities / 2)));
  return { streets, communities };
}

/** The reference date as UTC midnight (ms). */
export function referenceDay(today?: Date | string): number {
  const t = today === undefined ? new Date() : new Date(today);
  if (Number.isNaN(t.getTime())) throw new RangeError(`not a date: ${String(today)}`);
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
}

// ---------------------------------------------------------------------------------------------
// Places.

type Style = 'walkup' | 'midrise' | 'highrise';
const STYLE = weighted<Style>([['walkup', 0.5], ['midrise', 0.2], ['highrise', 0.3]]);
const STYLE_SUFFIXES: Record<Style, string[]> = {
  walkup: ['里', '新村', '小区', '里'],
  midrise: ['花园', '家园', '苑', '小区'],
  highrise: ['公寓', '名邸', '花园', '家园'],
};
/** Share of flats that are lived in (the rest stand empty or are not registered). */
const OCCUPANCY = 0.9;
/** Mean household size the generator produces; sizes buildings to their grid's quota. */
const MEAN_HOUSEHOLD = 2.45;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function* generateDistrict(o: GenerateOptions): Generator<DistrictItem> {
  if (!Number.isInteger(o.residents) || o.residents < 1) throw new RangeError('residents must be a positive integer');
  const rng = createRng(o.seed);
  const people = new People(rng, referenceDay(o.today));
  const plan = planDistrict(o.residents);
  const communityWords = shuffled(COMMUNITY_WORDS, rng);
  const compoundWords = shuffled(COMPOUND_WORDS, rng);
  const place = (key: string, parentKey: string | null, kind: PlaceKind, name: string, code: string | null = null, floors: number | null = null) =>
    ({ type: 'place', place: { key, parentKey, kind, name, code, floors } }) as const;

  yield place('d', null, 'district', DISTRICT.name, DISTRICT.code);
  const quotas = split(o.residents, plan.communities, rng, 0.3);
  let ci = 0;
  let compoundCounter = 0;
  for (let s = 1; s <= plan.streets; s++) {
    const sKey = `d/s${s}`;
    // Statistical division codes: county (6) + street (3) + community (3).
    const sCode = `${DISTRICT.code}${pad(s, 3)}`;
    const lap = Math.floor((s - 1) / STREETS.length);
    yield place(sKey, 'd', 'street', `${STREETS[(s - 1) % STREETS.length]}${lap ? lap + 1 : ''}街道`, `${sCode}000`);
    const inStreet = Math.floor(plan.communities / plan.streets) + (s - 1 < plan.communities % plan.streets ? 1 : 0);
    for (let c = 1; c <= inStreet; c++, ci++) {
      const cKey = `${sKey}/c${c}`;
      const word = communityWords[ci % communityWords.length];
      const variant = Math.floor(ci / communityWords.length);
      const name = `${word}${variant === 0 ? '' : variant <= 5 ? '东西南北新'[variant - 1] : variant}社区`;
      yield place(cKey, sKey, 'community', name, `${sCode}${pad(c, 3)}`);
      // Some communities are home to many foreign families (seed 002: a Korean community).
      const korean = ci % 20 === 2;
      const foreignShare = korean ? 0.12 : 0.012;
      const quota = quotas[ci];
      const compounds = Math.max(quota >= 400 ? 2 : 1, Math.round(quota / 1800));
      let gridNo = 0;
      for (const [p, cq] of split(quota, compounds, rng, 0.45).entries()) {
        const pKey = `${cKey}/p${p + 1}`;
        const style = STYLE(rng);
        // Consecutive words of the shuffled list: unique among the community's few compounds
        // (names need only be unique among siblings).
        const cw = compoundWords[compoundCounter++ % compoundWords.length];
        yield place(pKey, cKey, 'compound', `${cw}${rng.pick(STYLE_SUFFIXES[style])}`);
        // 出入口: two to four gates where codes are checked.
        for (const [e, gate] of shuffled(ENTRANCES, rng).slice(0, rng.int(2, 4)).entries()) {
          yield place(`${pKey}/e${e + 1}`, pKey, 'entrance', gate);
        }
        // 网格: a grid worker's few buildings, ~300 households. The first compound has two, so the demo has grid1 and grid2.
        const grids = Math.max(p === 0 && cq >= 40 ? 2 : 1, Math.round(cq / 750));
        let buildingNo = 0;
        for (const gq of split(cq, grids, rng, 0.3)) {
          const gKey = `${pKey}/g${++gridNo}`;
          yield place(gKey, pKey, 'grid', `第${chineseNumber(gridNo)}网格`);
          let remaining = gq;
          while (remaining > 0) {
            const b = buildingSpec(style, remaining, rng);
            const bKey = `${gKey}/b${++buildingNo}`;
            yield place(bKey, gKey, 'building', `${buildingNo}号楼`, null, b.floors);
            const flats = b.floors * b.units * b.doors;
            // Spread a small remainder over the whole building rather than filling the ground floors.
            const occupied = Math.min(OCCUPANCY, Math.max(0.3, remaining / (flats * MEAN_HOUSEHOLD)));
            for (let u = 1; u <= b.units; u++) {
              const uKey = `${bKey}/u${u}`;
              yield place(uKey, bKey, 'unit', `${u}单元`);
              for (let f = 1; f <= b.floors && remaining > 0; f++) {
                for (let door = 1; door <= b.doors && remaining > 0; door++) {
                  if (!rng.chance(occupied)) continue;
                  const residents = people.household(remaining, foreignShare, korean);
                  remaining -= residents.length;
                  yield { type: 'household', household: { unitKey: uKey, room: `${f}${pad(door, 2)}`, residents } };
                }
              }
            }
          }
        }
      }
    }
  }
}

function buildingSpec(style: Style, remaining: number, rng: Rng): { floors: number; units: number; doors: number } {
  let b =
    style === 'walkup'
      ? { floors: rng.pick([6, 6, 6, 7]), units: rng.int(2, 5), doors: rng.int(2, 3) }
      : style === 'midrise'
        ? { floors: rng.pick([9, 11, 11, 12, 15]), units: rng.int(1, 3), doors: rng.int(2, 3) }
        : { floors: rng.pick([18, 24, 26, 28, 30, 33]), units: rng.int(1, 2), doors: rng.int(2, 4) };
  // The last few residents of a grid go into a small walk-up rather than a near-empty tower.
  if (remaining < b.floors * b.units * b.doors * OCCUPANCY * MEAN_HOUSEHOLD * 0.4) {
    b = { floors: 6, units: Math.max(1, Math.min(4, Math.ceil(remaining / (6 * 2 * OCCUPANCY * MEAN_HOUSEHOLD)))), doors: 2 };
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// People.

const DAY = 86_400_000;
const EPOCH = Date.UTC(1900, 0, 1);

const SURNAME = weighted(SURNAMES);
const GIVEN_POOLS = {
  male: GIVEN.male.map(([y, names]) => [y, names.split(' ')] as const),
  female: GIVEN.female.map(([y, names]) => [y, names.split(' ')] as const),
};
const MOBILE_PREFIXES = [
  '138', '139', '135', '136', '137', '150', '151', '152', '158', '159', '182', '187', '188', '130', '131', '132', '155',
  '156', '185', '186', '133', '153', '177', '180', '181', '189', '199', '198', '166', '176', '173', '175', '178', '147',
];

/**
 * Household shapes (家庭结构) with their share of households. Mean size ≈ 2.45, close to the
 * 2020 census for Tianjin; the mix gives ~15% children under 15 and ~25% aged 60+, as in the
 * older central districts such as 河西区.
 */
type Shape =
  | 'elderlyAlone' | 'singleYoung' | 'singleMiddle'
  | 'elderlyCouple' | 'youngCouple' | 'emptyNest' | 'singleParent' | 'elderWithChild'
  | 'nuclear3' | 'elderlyCoupleAdultChild' | 'coupleWithElder'
  | 'nuclear4' | 'threeGen4'
  | 'threeGen5' | 'nuclear5';
const SIZE = weighted<number>([[1, 0.25], [2, 0.33], [3, 0.23], [4, 0.11], [5, 0.08]]);
const SHAPES: Record<number, (rng: Rng) => Shape> = {
  1: weighted<Shape>([['elderlyAlone', 0.26], ['singleYoung', 0.52], ['singleMiddle', 0.22]]),
  2: weighted<Shape>([['elderlyCouple', 0.32], ['youngCouple', 0.22], ['emptyNest', 0.28], ['singleParent', 0.1], ['elderWithChild', 0.08]]),
  3: weighted<Shape>([['nuclear3', 0.72], ['elderlyCoupleAdultChild', 0.12], ['coupleWithElder', 0.16]]),
  4: weighted<Shape>([['nuclear4', 0.45], ['threeGen4', 0.55]]),
  5: weighted<Shape>([['threeGen5', 0.65], ['nuclear5', 0.35]]),
};
/** 户籍 / 租户 / 流动人口 by shape: young people rent, the elderly own. ≈ 75/18/7% of residents. */
const TENANCY_YOUNG = weighted<Tenancy>([['owner', 0.4], ['tenant', 0.38], ['floating', 0.22]]);
const TENANCY_MIDDLE = weighted<Tenancy>([['owner', 0.62], ['tenant', 0.24], ['floating', 0.14]]);
const TENANCY_FAMILY = weighted<Tenancy>([['owner', 0.8], ['tenant', 0.15], ['floating', 0.05]]);
const TENANCY_ELDERLY = weighted<Tenancy>([['owner', 0.92], ['tenant', 0.06], ['floating', 0.02]]);
const TENANCY_FOREIGN = weighted<Tenancy>([['owner', 0.25], ['tenant', 0.75]]);
const TENANCY_OF: Record<Shape, (rng: Rng) => Tenancy> = {
  singleYoung: TENANCY_YOUNG, youngCouple: TENANCY_YOUNG,
  singleMiddle: TENANCY_MIDDLE, singleParent: TENANCY_MIDDLE,
  nuclear3: TENANCY_FAMILY, nuclear4: TENANCY_FAMILY, nuclear5: TENANCY_FAMILY, threeGen4: TENANCY_FAMILY, threeGen5: TENANCY_FAMILY,
  elderlyCoupleAdultChild: TENANCY_FAMILY, coupleWithElder: TENANCY_FAMILY,
  elderlyAlone: TENANCY_ELDERLY, elderlyCouple: TENANCY_ELDERLY, emptyNest: TENANCY_ELDERLY, elderWithChild: TENANCY_ELDERLY,
};

type Foreign = 'KR' | 'JP' | 'WEST' | 'RU';
const FOREIGN = weighted<Foreign>([['KR', 0.6], ['JP', 0.17], ['WEST', 0.15], ['RU', 0.08]]);
const WEST_NATIONALITY = weighted<[string, string]>([[['US', '5'], 0.6], [['GB', '1'], 0.25], [['CA', '2'], 0.15]]);

/** One member before documents: who they are in the family. */
interface Member {
  age: number;
  male: boolean;
  surname: string;
  /** a wife in a couple: the one who may be pregnant */
  wife?: boolean;
  region?: string;
  /** a given name already chosen (foreigners) */
  fullName?: string;
}

type Documents = 'mainland' | 'hk_macau' | 'taiwan' | Foreign;

const SERIES = ['phone', 'KR', 'JP', 'WEST', 'RU', 'hk_macau', 'taiwan'];

class People {
  /** Used sequence numbers per region, birth day and sex: ID numbers are unique by construction. */
  private sequences = new Map<string, Uint16Array>();
  private readonly days: number;
  /** born after this day (index from 1900-01-01): under three (婴幼儿) */
  private readonly infantSince: number;
  private readonly todayYear: number;
  private readonly todayMonthDay: number;
  /** Formatted birth days, by day index: dates are formatted once, not per resident. */
  private dayInfo: ({ iso: string; compact: string; year: number; monthDay: number } | undefined)[] = [];
  private counters = { phone: 0, KR: 0, JP: 0, WEST: 0, RU: 0, hk_macau: 0, taiwan: 0 };
  /** Per-seed offsets so two seeds do not share number series. */
  private offsets: number[];

  constructor(
    private rng: Rng,
    private today: number,
  ) {
    this.days = Math.floor((today - EPOCH) / DAY) + 1;
    const t = new Date(today);
    this.todayYear = t.getUTCFullYear();
    this.todayMonthDay = (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
    this.infantSince = (Date.UTC(this.todayYear - 3, t.getUTCMonth(), t.getUTCDate()) - EPOCH) / DAY;
    this.offsets = Array.from({ length: 8 }, () => rng.int(0, 99_999_999));
  }

  /** One household of at most maxSize people. */
  household(maxSize: number, foreignShare: number, korean: boolean): ResidentValues[] {
    const rng = this.rng;
    const r = rng.next();
    if (r < foreignShare) return this.foreign(maxSize, korean ? 'KR' : FOREIGN(rng));
    // 港澳居民 and 台湾居民 families hold permits instead of mainland IDs.
    const docs: Documents = r < foreignShare + 0.003 ? 'hk_macau' : r < foreignShare + 0.0045 ? 'taiwan' : 'mainland';
    const size = Math.min(maxSize, SIZE(rng));
    const shape = SHAPES[size](rng);
    const tenancy = docs === 'mainland' ? TENANCY_OF[shape](rng) : rng.chance(0.5) ? 'owner' : 'tenant';
    const members = this.family(shape);
    const homeRegion = this.region(tenancy);
    for (const m of members) m.region = m.age < 18 ? homeRegion : this.region(tenancy);
    return this.finish(members, docs, tenancy, shape === 'elderlyAlone');
  }

  /** The household's surname (the father's line), while one family is being built. */
  private S = '';

  private man(age: number, surname = this.S): Member {
    return { age, male: true, surname };
  }
  private woman(age: number, surname = SURNAME(this.rng), wife = false): Member {
    return { age, male: false, surname, wife };
  }
  private couple(husband: number): Member[] {
    return [this.man(husband), this.woman(Math.max(20, husband - this.rng.int(-1, 4)), SURNAME(this.rng), true)];
  }
  /** Births have been few lately: about one child in eleven is under three. */
  private childAge(max: number): number {
    return this.rng.chance(0.09) ? this.rng.int(0, 2) : this.rng.int(3, max);
  }
  private kid(age: number, mother: Member): Member {
    return { age, male: this.rng.chance(0.515), surname: this.rng.chance(0.92) ? this.S : mother.surname };
  }
  /** A couple whose oldest child has this age. */
  private parentsOf(oldest: number): Member[] {
    const mother = oldest + this.rng.int(23, 35);
    const [h, w] = this.couple(mother + this.rng.int(-1, 4));
    w.age = mother;
    return [h, w];
  }
  /** A widowed grandparent living with the couple; grandmothers outnumber grandfathers. */
  private elder(childYears: number, couple: Member[]): Member {
    const age = Math.min(100, childYears + this.rng.int(24, 32));
    const male = this.rng.chance(0.35);
    const surname = male ? (this.rng.chance(0.6) ? this.S : couple[1].surname) : SURNAME(this.rng);
    return { age, male, surname };
  }

  private family(shape: Shape): Member[] {
    const rng = this.rng;
    const S = (this.S = SURNAME(rng));
    switch (shape) {
      case 'elderlyAlone':
        return [rng.chance(0.35) ? this.man(65 + rng.int(0, 12) + rng.int(0, 15)) : this.woman(65 + rng.int(0, 12) + rng.int(0, 15), S)];
      case 'singleYoung': {
        const age = 20 + rng.int(0, 9) + rng.int(0, 10);
        return [rng.chance(0.55) ? this.man(age) : this.woman(age, S)];
      }
      case 'singleMiddle':
        return [rng.chance(0.5) ? this.man(rng.int(40, 64)) : this.woman(rng.int(40, 64), S)];
      case 'elderlyCouple':
        return this.couple(60 + rng.int(0, 12) + rng.int(0, 13));
      case 'youngCouple':
        return this.couple(rng.int(24, 38));
      case 'emptyNest':
        return this.couple(rng.int(46, 66));
      case 'singleParent': {
        const child = this.childAge(20);
        const age = child + rng.int(23, 35);
        const parent = rng.chance(0.75) ? this.woman(age, S) : this.man(age);
        return [parent, { age: child, male: rng.chance(0.515), surname: rng.chance(0.7) ? parent.surname : SURNAME(rng) }];
      }
      case 'elderWithChild': {
        const old = rng.int(72, 95);
        const parent = rng.chance(0.35) ? this.man(old) : this.woman(old, SURNAME(rng));
        return [parent, { age: old - rng.int(24, 34), male: rng.chance(0.55), surname: S }];
      }
      case 'nuclear3': {
        const c = this.childAge(22);
        const ps = this.parentsOf(c);
        return [...ps, this.kid(c, ps[1])];
      }
      case 'elderlyCoupleAdultChild': {
        const c = rng.int(22, 40);
        const ps = this.parentsOf(c);
        return [...ps, { age: c, male: rng.chance(0.55), surname: S }];
      }
      case 'coupleWithElder': {
        const ps = this.couple(rng.int(40, 62));
        return [...ps, this.elder(ps[0].age, ps)];
      }
      case 'nuclear4': {
        const younger = this.childAge(16);
        const older = younger + rng.int(1, 8);
        const ps = this.parentsOf(older);
        return [...ps, this.kid(older, ps[1]), this.kid(younger, ps[1])];
      }
      case 'threeGen4': {
        const c = this.childAge(16);
        const ps = this.parentsOf(c);
        return [...ps, this.kid(c, ps[1]), this.elder(ps[0].age, ps)];
      }
      case 'threeGen5': {
        const c = this.childAge(14);
        const ps = this.parentsOf(c);
        const grandpa = Math.min(98, (rng.chance(0.65) ? ps[0].age : ps[1].age) + rng.int(24, 32));
        const paternal = rng.chance(0.65);
        return [
          ...ps,
          this.kid(c, ps[1]),
          this.man(grandpa, paternal ? S : ps[1].surname),
          this.woman(Math.max(60, grandpa - rng.int(0, 4)), SURNAME(rng)),
        ];
      }
      case 'nuclear5': {
        const younger = this.childAge(14);
        const older = younger + rng.int(1, 7);
        const ps = this.parentsOf(older);
        return [...ps, this.kid(older, ps[1]), this.kid(younger, ps[1]), this.elder(ps[0].age, ps)];
      }
    }
  }

  private foreign(maxSize: number, nationality: Foreign): ResidentValues[] {
    const rng = this.rng;
    const names = nationality === 'KR' ? KOREAN : nationality === 'JP' ? JAPANESE : nationality === 'RU' ? RUSSIAN : WESTERN;
    const surname = rng.pick(names.surnames);
    const person = (age: number, male: boolean): Member => {
      const given = rng.pick(male ? names.male : names.female);
      return { age, male, surname, fullName: nationality === 'WEST' ? `${given} ${surname}` : `${surname} ${given}` };
    };
    const r = rng.next();
    const members: Member[] = [];
    if (r < 0.3 || maxSize === 1) {
      members.push(person(rng.int(24, 50), rng.chance(0.6)));
    } else {
      const husband = rng.int(28, 55);
      members.push(person(husband, true), { ...person(Math.max(22, husband - rng.int(0, 5)), false), wife: true });
      const kids = r < 0.5 ? 0 : Math.min(maxSize - 2, rng.int(1, 2));
      for (let k = 0; k < kids; k++) members.push(person(rng.int(0, Math.min(17, members[1].age - 22)), rng.chance(0.51)));
    }
    return this.finish(members, nationality, TENANCY_FOREIGN(rng), false);
  }

  /** Documents, names, phones and care flags. */
  private finish(members: Member[], docs: Documents, tenancy: Tenancy, alone: boolean): ResidentValues[] {
    const rng = this.rng;
    const nationality = docs === 'KR' ? 'KR' : docs === 'JP' ? 'JP' : docs === 'RU' ? 'RU' : docs === 'WEST' ? WEST_NATIONALITY(rng)[0] : 'CN';
    const language = docs === 'KR' ? 'ko-KR' : docs === 'JP' ? 'ja-JP' : docs === 'RU' ? 'ru-RU' : docs === 'WEST' ? 'en-US' : 'zh-CN';
    const out: ResidentValues[] = [];
    const ages: number[] = [];
    for (const m of members) {
      let day = this.birthDay(m.age);
      let idNumber: string;
      let idType: ResidentValues['idType'];
      if (docs === 'mainland') {
        idType = 'mainland_id';
        ({ idNumber, day } = this.mainlandId(m.region ?? HOME_REGION, day, m.male));
      } else if (docs === 'hk_macau') {
        idType = 'hk_macau_permit';
        idNumber = `${rng.chance(0.8) ? 'H' : 'M'}${this.serial('hk_macau', 1e8, 8)}`;
      } else if (docs === 'taiwan') {
        idType = 'taiwan_permit';
        idNumber = this.serial('taiwan', 1e8, 8);
      } else {
        idType = 'passport';
        idNumber =
          docs === 'KR' ? `M${this.serial('KR', 1e8, 8)}`
          : docs === 'JP' ? `T${rng.pick(['K', 'R', 'Z'])}${this.serial('JP', 1e7, 7)}`
          : docs === 'RU' ? `75${this.serial('RU', 1e7, 7)}`
          : `${WEST_NATIONALITY(rng)[1]}${this.serial('WEST', 1e8, 8)}`;
      }
      const born = this.day(day);
      const age = this.todayYear - born.year - (this.todayMonthDay < born.monthDay ? 1 : 0);
      ages.push(age);
      const name = m.fullName ?? `${m.surname}${this.givenName(m.male, born.year)}`;
      // 孕妇: mostly wives of 20–40; the share of all residents comes out near 0.8%.
      const pregnant = !m.male && age >= 20 && age <= 40 && rng.chance(m.wife ? (age < 35 ? 0.095 : 0.04) : 0.007);
      out.push({
        name,
        idType,
        idNumber,
        sex: m.male ? 'male' : 'female',
        birthDate: born.iso,
        phone: null,
        nationality,
        language,
        tenancy,
        elderlyAlone: alone && age >= 65,
        mobilityImpaired: rng.chance(age >= 85 ? 0.25 : age >= 75 ? 0.09 : age >= 65 ? 0.03 : age >= 18 ? 0.005 : 0.002),
        pregnant,
        dueDate: pregnant ? new Date(this.today + rng.int(1, 270) * DAY).toISOString().slice(0, 10) : null,
        chronicIllness: rng.chance(age >= 75 ? 0.32 : age >= 60 ? 0.2 : age >= 45 ? 0.08 : age >= 18 ? 0.02 : 0.004),
        // 婴幼儿: under three.
        infant: day > this.infantSince,
      });
    }
    this.phones(out, ages);
    return out;
  }

  /**
   * Mobile numbers: every adult has one, children under 16 none; some older people give a
   * son's or daughter's number, and some elderly couples share one — as in real ledgers.
   */
  private phones(rs: ResidentValues[], ages: number[]) {
    const rng = this.rng;
    for (let i = 0; i < rs.length; i++) {
      if (ages[i] < 16 || (ages[i] < 18 && rng.chance(0.4)) || ages[i] >= 75) continue;
      rs[i].phone = this.phone();
    }
    const caregiver = rs.find((r, i) => r.phone && ages[i] < 65)?.phone ?? null;
    for (let i = 0; i < rs.length; i++) {
      if (ages[i] < 75) continue;
      const sharedSpouse = rs.find((r, j) => j !== i && ages[j] >= 60 && r.phone)?.phone ?? null;
      rs[i].phone = caregiver && rng.chance(0.6) ? caregiver : sharedSpouse && rng.chance(0.3) ? sharedSpouse : rng.chance(0.95) ? this.phone() : null;
    }
  }

  /** Unique by construction: distinct counters map to distinct 8-digit suffixes. */
  private phone(): string {
    return `${this.rng.pick(MOBILE_PREFIXES)}${pad(scramble(this.counters.phone++, this.offsets[0]), 8)}`;
  }

  /** A unique document serial of `width` (≤ 8) digits. */
  private serial(series: keyof People['counters'], space: number, width: number): string {
    const n = this.counters[series]++;
    if (n >= space) throw new RangeError(`ran out of ${series} document numbers`);
    // Cycle-walking keeps the permutation of 0…10⁸ a permutation of the smaller space.
    const key = this.offsets[1] + SERIES.indexOf(series);
    let x = scramble(n, key);
    while (x >= space) x = scramble(x, key);
    return pad(x, width);
  }

  private region(tenancy: Tenancy): string {
    const rng = this.rng;
    const r = rng.next();
    if (tenancy === 'owner') return r < 0.55 ? HOME_REGION : r < 0.88 ? rng.pick(TIANJIN_REGIONS) : rng.pick(OTHER_REGIONS);
    if (tenancy === 'tenant') return r < 0.2 ? HOME_REGION : r < 0.55 ? rng.pick(TIANJIN_REGIONS) : rng.pick(OTHER_REGIONS);
    // 流动人口: registered outside the city.
    return r < 0.05 ? rng.pick(TIANJIN_REGIONS) : rng.pick(OTHER_REGIONS);
  }

  /** A birth day (index from 1900-01-01) for someone who is `age` today: their birthday fell within the past year. */
  private birthDay(age: number): number {
    const anniversary = Date.UTC(this.todayYear - age, Math.floor(this.todayMonthDay / 100) - 1, this.todayMonthDay % 100);
    return Math.max(0, (anniversary - EPOCH) / DAY - this.rng.int(1, 364));
  }

  private day(d: number) {
    let info = this.dayInfo[d];
    if (!info) {
      const iso = new Date(EPOCH + d * DAY).toISOString().slice(0, 10);
      info = { iso, compact: iso.replace(/-/g, ''), year: Number(iso.slice(0, 4)), monthDay: Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10)) };
      this.dayInfo[d] = info;
    }
    return info;
  }

  /**
   * 居民身份证号码 (GB 11643): region (6) + birth date (8) + sequence (3, odd for men) + check.
   * 500 numbers per region, day and sex; a full day moves the birth one day earlier.
   */
  private mainlandId(region: string, birthDay: number, male: boolean): { idNumber: string; day: number } {
    let used = this.sequences.get(region);
    if (!used) this.sequences.set(region, (used = new Uint16Array(this.days * 2)));
    let day = birthDay;
    for (;;) {
      const slot = day * 2 + (male ? 1 : 0);
      if (used[slot] < 500) {
        // A scrambled start so sequence numbers look issued, not counted from zero.
        const start = (Math.imul(slot + 1, 0x9e3779b1) ^ Number(region)) >>> 0;
        const seq = ((start + used[slot]++) % 500) * 2 + (male ? 1 : 0);
        const first17 = `${region}${this.day(day).compact}${pad(seq, 3)}`;
        return { idNumber: first17 + mainlandCheckChar(first17), day };
      }
      day--;
      if (day < 0) throw new RangeError('no ID numbers left');
    }
  }

  private givenName(male: boolean, year: number): string {
    const pools = GIVEN_POOLS[male ? 'male' : 'female'];
    const era = pools.findIndex(([maxYear]) => year <= maxYear);
    // Mostly the era's common names; sometimes two characters from the era, for variety.
    if (this.rng.chance(0.7)) return this.rng.pick(pools[era][1]);
    const a = this.rng.pick(pools[era][1]);
    const b = this.rng.pick(pools[era][1]);
    return (a.at(-1)! + b[0]).slice(0, 2);
  }
}

/**
 * A keyed permutation of 0…99,999,999 (a four-round Feistel network on two 4-digit halves):
 * consecutive counters give unrelated-looking, never-repeating numbers.
 */
function scramble(x: number, key: number): number {
  let l = Math.floor(x / 10_000);
  let r = x % 10_000;
  for (let round = 0; round < 4; round++) {
    const f = ((Math.imul(r + 1, 0x9e3779b1) ^ Math.imul(key + round, 0x85ebca6b)) >>> 0) % 10_000;
    [l, r] = [r, (l + f) % 10_000];
  }
  return l * 10_000 + r;
}

/** Whole years between a birth day and the reference day. */
export function ageOn(birth: number, today: number): number {
  const b = new Date(birth);
  const t = new Date(today);
  let age = t.getUTCFullYear() - b.getUTCFullYear();
  if (t.getUTCMonth() < b.getUTCMonth() || (t.getUTCMonth() === b.getUTCMonth() && t.getUTCDate() < b.getUTCDate())) age--;
  return age;
}
