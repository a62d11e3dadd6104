// A synthetic district (河西区, region 120103) of any size, deterministic for a seed.
// Households stream out one at a time, so a million residents never sit in memory.
import { mainlandCheckChar } from '../../platform/ids.js';
import type { ResidentInput } from '../../modules/registry/resident-input.js';
import { GIVEN_FEMALE, GIVEN_MALE, HOME_REGIONS, KOREAN_GIVEN, KOREAN_SURNAMES, SURNAMES } from './names.js';

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

export interface SyntheticPlace {
  key: string; // stable within one generation, e.g. 's1/c2/p1/g3/b4/u1'
  parentKey: string | null;
  kind: 'district' | 'street' | 'community' | 'compound' | 'grid' | 'building' | 'unit' | 'entrance';
  name: string;
  code?: string;
  floors?: number;
}

export interface SyntheticHousehold {
  unitKey: string;
  room: string;
  residents: (ResidentInput & { name: string; idType: string; idNumber: string })[];
}

export type SyntheticItem = { type: 'place'; place: SyntheticPlace } | { type: 'household'; household: SyntheticHousehold };

export interface GenerateOptions {
  residents: number;
  seed: number;
  today?: Date;
}

const STREET_NAMES = ['友谊路', '天塔', '马场', '越秀路', '尖山', '大营门', '下瓦房', '桃园', '挂甲寺', '陈塘庄', '梅江', '太湖路', '东海', '柳林', '宜宾道', '紫金山路'];
const COMMUNITY_WORDS = ['平江里', '金厦里', '友谊新里', '宾西', '紫金', '泰山里', '龙都', '新会', '谊景村', '尖山里', '富裕', '环湖', '澳景', '岳阳道', '琼州道', '黑牛城'];
const COMPOUND_WORDS = ['幸福', '阳光', '金色', '和平', '春晓', '绿荫', '海棠', '丽苑', '华庭', '景园', '嘉园', '雅居', '鑫苑', '新城', '翠竹', '梅林'];
const ENTRANCES = ['东门', '南门', '西门', '北门'];

/** Streams the district: places first (parents before children), then the households of each unit. */
export function* generateDistrict(o: GenerateOptions): Generator<SyntheticItem> {
  const rng = prng(o.seed);
  const people = new PersonFactory(rng, o.today ?? new Date());
  let remaining = o.residents;
  yield { type: 'place', place: { key: 'd', parentKey: null, kind: 'district', name: '河西区', code: '120103' } };
  for (let s = 1; remaining > 0; s++) {
    const sKey = `d/s${s}`;
    yield { type: 'place', place: { key: sKey, parentKey: 'd', kind: 'street', name: `${STREET_NAMES[(s - 1) % 16]}街道${s > 16 ? s : ''}` } };
    for (let c = 1; c <= 5 && remaining > 0; c++) {
      const cKey = `${sKey}/c${c}`;
      yield { type: 'place', place: { key: cKey, parentKey: sKey, kind: 'community', name: `${COMMUNITY_WORDS[(s * 5 + c) % 16]}社区${s > 3 ? s * 10 + c : ''}` } };
      for (let p = 1; p <= 3 && remaining > 0; p++) {
        const pKey = `${cKey}/p${p}`;
        yield { type: 'place', place: { key: pKey, parentKey: cKey, kind: 'compound', name: `${COMPOUND_WORDS[(s * 15 + c * 3 + p) % 16]}${['里', '花园', '家园'][p - 1]}` } };
        const entrances = rng.int(2, 4);
        for (let e = 0; e < entrances; e++) {
          yield { type: 'place', place: { key: `${pKey}/e${e}`, parentKey: pKey, kind: 'entrance', name: ENTRANCES[e] } };
        }
        let building = 0;
        for (let g = 1; g <= 3 && remaining > 0; g++) {
          const gKey = `${pKey}/g${g}`;
          yield { type: 'place', place: { key: gKey, parentKey: pKey, kind: 'grid', name: `第${g}网格` } };
          for (let b = 1; b <= 4 && remaining > 0; b++) {
            building++;
            const bKey = `${gKey}/b${building}`;
            const floors = rng.pick([6, 6, 6, 7, 11, 18, 26, 33]);
            const units = floors <= 7 ? rng.int(2, 4) : rng.int(1, 2);
            yield { type: 'place', place: { key: bKey, parentKey: gKey, kind: 'building', name: `${building}号楼`, floors } };
            for (let u = 1; u <= units && remaining > 0; u++) {
              const uKey = `${bKey}/u${u}`;
              yield { type: 'place', place: { key: uKey, parentKey: bKey, kind: 'unit', name: `${u}单元` } };
              for (let f = 1; f <= floors && remaining > 0; f++) {
                for (let door = 1; door <= 2 && remaining > 0; door++) {
                  // About one flat in twelve stands empty.
                  if (rng.chance(0.08)) continue;
                  const members = people.household(Math.min(remaining, householdSize(rng)));
                  remaining -= members.length;
                  yield { type: 'household', household: { unitKey: uKey, room: `${f}0${door}`, residents: members } };
                }
              }
            }
          }
        }
      }
    }
  }
}

function householdSize(rng: Rng): number {
  const r = rng.next();
  return r < 0.18 ? 1 : r < 0.48 ? 2 : r < 0.76 ? 3 : r < 0.91 ? 4 : 5;
}

type Person = SyntheticHousehold['residents'][number];

/** Makes people with valid, unique ID numbers and family-shaped ages. */
class PersonFactory {
  private sequence = new Map<string, number>();
  private phoneCounter = 0;
  private documentCounter = 0;

  /** Unique foreign document numbers: a counter times a prime coprime with the number space. */
  private documentNumber(space: number, prime: number): string {
    this.documentCounter++;
    return String((this.documentCounter * prime) % space).padStart(8, '0');
  }
  constructor(
    private rng: Rng,
    private today: Date,
  ) {}

  household(size: number): Person[] {
    const rng = this.rng;
    const tenancy = rng.chance(0.75) ? 'owner' : rng.chance(0.72) ? 'tenant' : 'floating';
    if (rng.chance(0.01)) return this.korean(size, tenancy);
    const surname = rng.pick(SURNAMES);
    const year = this.today.getFullYear();
    const members: Person[] = [];
    if (size === 1) {
      const old = rng.chance(0.35);
      members.push(this.person(surname, old ? year - rng.int(66, 92) : year - rng.int(20, 45), rng.chance(0.5), tenancy, old));
      return members;
    }
    const elderlyCouple = size === 2 && rng.chance(0.4);
    const fatherYear = elderlyCouple ? year - rng.int(60, 88) : year - rng.int(26, 52);
    members.push(this.person(surname, fatherYear, true, tenancy, false));
    members.push(this.person(rng.pick(SURNAMES), fatherYear + rng.int(-3, 4), false, tenancy, false));
    const children = size >= 5 ? 2 : size === 4 ? rng.int(1, 2) : size - 2;
    for (let k = 0; k < children; k++) {
      const childYear = Math.min(year, fatherYear + rng.int(23, 36));
      members.push(this.person(surname, childYear, rng.chance(0.51), tenancy, false));
    }
    while (members.length < size) members.push(this.person(rng.pick(SURNAMES), fatherYear - rng.int(24, 32), rng.chance(0.45), tenancy, false));
    // A shared family phone on some children's records is how ledgers look; adults have their own.
    return members;
  }

  private birth(year: number): string {
    let d = new Date(Date.UTC(year, this.rng.int(0, 11), this.rng.int(1, 28)));
    // A child "born later this year" is born some day in the past year instead, spread out so
    // no birth date gets crowded (a region, day and sex hold 500 sequence numbers).
    if (d > this.today) d = new Date(this.today.getTime() - this.rng.int(1, 365) * 86_400_000);
    return d.toISOString().slice(0, 10).replace(/-/g, '');
  }

  private mainlandId(birth: string, male: boolean): string {
    const region = this.rng.pick(HOME_REGIONS);
    const key = `${region}${birth}${male ? 1 : 0}`;
    const n = this.sequence.get(key) ?? this.rng.int(0, 200);
    this.sequence.set(key, n + 1);
    // Odd sequence for men, even for women (GB 11643); 500 people per region, day and sex.
    const seq = String(((n % 500) * 2 + (male ? 1 : 0)) % 1000).padStart(3, '0');
    const first17 = `${region}${birth}${seq}`;
    return first17 + mainlandCheckChar(first17);
  }

  private phone(): string {
    this.phoneCounter++;
    const prefix = this.rng.pick(['138', '139', '150', '151', '186', '187', '135', '136', '177', '199', '133', '155']);
    return prefix + String((this.phoneCounter * 7919 + this.rng.int(0, 6)) % 100_000_000).padStart(8, '0');
  }

  private person(surname: string, birthYear: number, male: boolean, tenancy: string, alone: boolean): Person {
    const rng = this.rng;
    const birth = this.birth(birthYear);
    const age = this.today.getFullYear() - Number(birth.slice(0, 4));
    const given = (male ? GIVEN_MALE : GIVEN_FEMALE);
    const name = surname + rng.pick(given) + (rng.chance(0.6) ? rng.pick(given) : '');
    const pregnant = !male && age >= 22 && age <= 38 && rng.chance(0.04);
    const due = new Date(this.today.getTime() + rng.int(7, 270) * 86_400_000).toISOString().slice(0, 10);
    const permit = rng.chance(0.004);
    return {
      name,
      idType: permit ? 'hk_macau_permit' : 'mainland_id',
      idNumber: permit ? `${rng.pick(['H', 'M'])}${this.documentNumber(100_000_000, 7919)}` : this.mainlandId(birth, male),
      ...(permit ? { sex: male ? 'male' : 'female', birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}` } : {}),
      phone: age >= 16 ? this.phone() : null,
      tenancy,
      elderlyAlone: alone && age >= 65,
      mobilityImpaired: rng.chance(age >= 80 ? 0.12 : age >= 65 ? 0.03 : 0.004),
      pregnant,
      dueDate: pregnant ? due : null,
      chronicIllness: rng.chance(age >= 60 ? 0.25 : age >= 40 ? 0.08 : 0.01),
      infant: age < 3,
    };
  }

  private korean(size: number, tenancy: string): Person[] {
    const rng = this.rng;
    const surname = rng.pick(KOREAN_SURNAMES);
    const year = this.today.getFullYear();
    return Array.from({ length: size }, (_, k) => {
      const male = k === 0 ? true : k === 1 ? false : rng.chance(0.5);
      const age = k < 2 ? rng.int(28, 55) : rng.int(1, 20);
      const birthDate = `${year - age}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
      return {
        name: `${surname} ${rng.pick(KOREAN_GIVEN)}`,
        idType: 'passport',
        idNumber: `M${String(10_000_000 + Number(this.documentNumber(90_000_000, 104_729)))}`,
        sex: male ? 'male' : 'female',
        birthDate,
        phone: age >= 16 ? this.phone() : null,
        nationality: 'KR',
        language: 'ko-KR',
        tenancy,
        infant: age < 3,
      };
    });
  }
}
