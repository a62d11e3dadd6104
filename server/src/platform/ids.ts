// Identity documents and phone numbers: validation, normalisation, derived facts, masking.
import { AppError } from './errors.js';

/** 证件类型: mainland resident ID (居民身份证), passport (护照), 港澳居民来往内地通行证, 台湾居民来往大陆通行证 */
export const ID_TYPES = ['mainland_id', 'passport', 'hk_macau_permit', 'taiwan_permit'] as const;
export type IdType = (typeof ID_TYPES)[number];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/**
 * Province-level prefixes of GB/T 2260 region codes (the first two digits of an ID). The full
 * county table changes every year and old IDs keep retired codes, so we check the province
 * and that the city/county parts are not 00 where a real code never has them.
 */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);

/** The GB 11643 check character for the first 17 digits. */
export function mainlandCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export interface MainlandIdFacts {
  region: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
}

/** Validates a mainland ID number (GB 11643-1999) and returns what it encodes. Throws AppError. */
export function parseMainlandId(raw: string, field = 'idNumber', today = new Date()): MainlandIdFacts & { normalized: string } {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) throw new AppError('RESIDENT_ID_FORMAT', { field });
  const region = id.slice(0, 6);
  if (!PROVINCES.has(Number(region.slice(0, 2))) || region.slice(4) === '00' && region.slice(2, 4) === '00') {
    // A 6-digit code ending in 0000 names a whole province; people are registered at a county.
    throw new AppError('RESIDENT_ID_REGION', { field, params: { region } });
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const valid = birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  if (!valid || y < 1900 || birth.getTime() > today.getTime()) {
    throw new AppError('RESIDENT_ID_BIRTH_DATE', { field, params: { date: birthDate } });
  }
  const expected = mainlandCheckChar(id);
  if (id[17] !== expected) throw new AppError('RESIDENT_ID_CHECKSUM', { field, params: { expected } });
  return { normalized: id, region, birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

export interface ParsedDocument {
  idType: IdType;
  number: string;
  birthDate?: string;
  sex?: 'male' | 'female';
}

/** Validates and normalises any supported document number. Throws AppError naming the field. */
export function parseDocument(idType: IdType, raw: string, field = 'idNumber', today = new Date()): ParsedDocument {
  const n = raw.replace(/\s+/g, '').toUpperCase();
  switch (idType) {
    case 'mainland_id': {
      const f = parseMainlandId(n, field, today);
      return { idType, number: f.normalized, birthDate: f.birthDate, sex: f.sex };
    }
    case 'passport':
      if (!/^[A-Z0-9]{5,17}$/.test(n)) throw new AppError('RESIDENT_PASSPORT_FORMAT', { field });
      return { idType, number: n };
    case 'hk_macau_permit':
      if (!/^[HM]\d{8}(\d{2})?$/.test(n)) throw new AppError('RESIDENT_HK_MACAU_FORMAT', { field });
      return { idType, number: n };
    case 'taiwan_permit':
      if (!/^\d{8}(\d{2})?$/.test(n)) throw new AppError('RESIDENT_TAIWAN_FORMAT', { field });
      return { idType, number: n };
  }
}

/** 120112********123X for a mainland ID; first two and last two for other documents. */
export function maskDocument(idType: IdType, number: string): string {
  if (idType === 'mainland_id') return `${number.slice(0, 6)}********${number.slice(-4)}`;
  if (number.length <= 4) return '*'.repeat(number.length);
  return `${number.slice(0, 2)}${'*'.repeat(number.length - 4)}${number.slice(-2)}`;
}

/**
 * The mask a viewer without the reveal right gets: a mainland ID keeps its region and its last
 * two characters (120112**********3X), so neither the birth date nor the sequence number can be
 * read back, and such a viewer gets an age, not a birth date (withheldBirthDate). With the four
 * tail characters and the birth date a sampler could rebuild every number (GB 11643's check
 * digit leaves one candidate); with two and an age, thousands remain. Other documents carry no
 * birth date and keep their mask.
 */
export function narrowMask(masked: string): string {
  return /^\d{6}\*{8}[\dX]{4}$/.test(masked) ? `${masked.slice(0, 6)}${'*'.repeat(10)}${masked.slice(-2)}` : masked;
}

// An 18-character mainland ID (its check character right) or a 15-digit old one, not inside a longer run of digits or letters.
const ID_LIKE = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

/**
 * Text with every ID number in it masked: what a search filter or a URL becomes before it is
 * written to the audit log or the access log, which sit outside the ID vault.
 */
export function redactIdNumbers(text: string): string {
  return text.replace(ID_LIKE, (m) => {
    if (m.length === 18 && mainlandCheckChar(m.slice(0, 17)) !== m[17].toUpperCase()) return m;
    return m.length === 18 ? narrowMask(maskDocument('mainland_id', m.toUpperCase())) : `${m.slice(0, 6)}*********`;
  });
}

/** Normalises a mainland mobile number (spaces, dashes and +86 removed). Throws AppError. */
export function parseMobile(raw: string, field = 'phone'): string {
  const n = raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (!/^1[3-9]\d{9}$/.test(n)) throw new AppError('RESIDENT_PHONE_FORMAT', { field });
  return n;
}

/** 138****5678 */
export function maskPhone(phone: string | null): string | null {
  return phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null;
}

/**
 * A name as a role without the reveal right sees it where it answers about someone it named
 * only by a number (a scan at the lane): enough to tell the person in front of you from another
 * (with sex and age), not enough to learn who an ID number belongs to. 张芊芊 → 张*芊, 张伟 → 张*,
 * 欧阳娜娜 → 欧**娜; a name of several parts (John Smith, 买买提·艾力) keeps each part's first letter.
 */
export function maskName(name: string): string {
  const chars = (s: string) => [...s];
  const parts = name.trim().split(/([\s·•・]+)/u);
  if (parts.length === 1) {
    const c = chars(parts[0]);
    if (c.length <= 1) return '*';
    if (c.length === 2) return `${c[0]}*`;
    return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
  }
  return parts.map((p, i) => (i % 2 === 1 ? p : chars(p).map((ch, j) => (j === 0 ? ch : '*')).join(''))).join('');
}
