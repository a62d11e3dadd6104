// Validation and normalisation of one resident's fields, shared by the form API, the
// spreadsheet import and the generator. Collects every field error, not just the first,
// so an import report can list them all.
import type { IdVault } from '../../platform/crypto.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { ID_TYPES, maskDocument, parseDocument, parseMobile, type IdType } from '../../platform/ids.js';
import { nameSearchText } from './name-search.js';

export const TENANCIES = ['owner', 'tenant', 'floating'] as const; // 户籍/业主, 租户, 流动人口
export type Tenancy = (typeof TENANCIES)[number];
export const LANGUAGES = ['zh-CN', 'en-US', 'ko-KR', 'ja-JP', 'ru-RU', 'ug-CN', 'bo-CN', 'mn-CN'] as const;

export interface ResidentInput {
  name?: string;
  idType?: string;
  idNumber?: string;
  sex?: string | null;
  birthDate?: string | null;
  phone?: string | null;
  nationality?: string | null;
  language?: string | null;
  tenancy?: string | null;
  elderlyAlone?: boolean;
  mobilityImpaired?: boolean;
  pregnant?: boolean;
  dueDate?: string | null;
  chronicIllness?: boolean;
  infant?: boolean;
}

export interface ResidentValues {
  name: string;
  idType: IdType;
  idNumber: string;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  phone: string | null;
  nationality: string;
  language: string;
  tenancy: Tenancy;
  elderlyAlone: boolean;
  mobilityImpaired: boolean;
  pregnant: boolean;
  dueDate: string | null;
  chronicIllness: boolean;
  infant: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/**
 * Checks and normalises a resident. For a mainland ID the sex and birth date come from the
 * number (a conflicting value is an error, not silently overwritten).
 */
export function validateResident(input: ResidentInput, today = new Date()): { value: ResidentValues } | { errors: AppError[] } {
  const errors: AppError[] = [];
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.push(new AppError('FIELD_REQUIRED', { field: 'name' }));
  else if (name.length > 50) errors.push(fieldInvalid('name', { 'zh-CN': '最多 50 个字符', 'en-US': 'allows at most 50 characters' }));

  const idType = (input.idType ?? 'mainland_id') as IdType;
  let doc: ReturnType<typeof parseDocument> | undefined;
  if (!ID_TYPES.includes(idType)) {
    errors.push(fieldInvalid('idType', { 'zh-CN': `只能是 ${ID_TYPES.join(' / ')}`, 'en-US': `must be one of ${ID_TYPES.join(', ')}` }));
  } else if (!input.idNumber?.trim()) {
    errors.push(new AppError('FIELD_REQUIRED', { field: 'idNumber' }));
  } else {
    try {
      doc = parseDocument(idType, input.idNumber, 'idNumber', today);
    } catch (e) {
      errors.push(e as AppError);
    }
  }

  let sex: 'male' | 'female' | null = input.sex === 'male' || input.sex === 'female' ? input.sex : null;
  if (input.sex && !sex) errors.push(fieldInvalid('sex', { 'zh-CN': '只能是 男 或 女', 'en-US': 'must be male or female' }));
  let birthDate = input.birthDate || null;
  if (birthDate && (!isRealDate(birthDate) || new Date(birthDate) > today)) {
    errors.push(fieldInvalid('birthDate', { 'zh-CN': '应为不晚于今天的日期 YYYY-MM-DD', 'en-US': 'must be a date YYYY-MM-DD not in the future' }));
  }
  if (doc?.sex) {
    if (sex && sex !== doc.sex) errors.push(fieldInvalid('sex', { 'zh-CN': '与身份证号不符', 'en-US': 'does not match the ID number' }));
    if (birthDate && birthDate !== doc.birthDate) {
      errors.push(fieldInvalid('birthDate', { 'zh-CN': '与身份证号不符', 'en-US': 'does not match the ID number' }));
    }
    sex = doc.sex;
    birthDate = doc.birthDate ?? null;
  }

  let phone: string | null = null;
  if (input.phone?.trim()) {
    try {
      phone = parseMobile(input.phone);
    } catch (e) {
      errors.push(e as AppError);
    }
  }

  const tenancy = (input.tenancy || 'owner') as Tenancy;
  if (!TENANCIES.includes(tenancy)) {
    errors.push(fieldInvalid('tenancy', { 'zh-CN': '只能是 户籍 / 租户 / 流动人口', 'en-US': 'must be owner, tenant or floating' }));
  }
  const nationality = (input.nationality || 'CN').trim().toUpperCase();
  if (!/^[A-Z]{2,3}$/.test(nationality)) {
    errors.push(fieldInvalid('nationality', { 'zh-CN': '应为国家代码，如 CN、KR', 'en-US': 'must be a country code such as CN or KR' }));
  }
  const language = input.language || 'zh-CN';
  if (!(LANGUAGES as readonly string[]).includes(language)) {
    errors.push(fieldInvalid('language', { 'zh-CN': `只能是 ${LANGUAGES.join(' / ')}`, 'en-US': `must be one of ${LANGUAGES.join(', ')}` }));
  }

  const pregnant = !!input.pregnant;
  const dueDate = input.dueDate || null;
  if (pregnant && !dueDate) errors.push(new AppError('RESIDENT_DUE_DATE', { field: 'dueDate' }));
  if (dueDate && !isRealDate(dueDate)) errors.push(fieldInvalid('dueDate', { 'zh-CN': '应为日期 YYYY-MM-DD', 'en-US': 'must be a date YYYY-MM-DD' }));
  if (dueDate && !pregnant) errors.push(fieldInvalid('dueDate', { 'zh-CN': '仅孕妇填写预产期', 'en-US': 'only for a pregnant resident' }));

  if (errors.length) return { errors };
  return {
    value: {
      name,
      idType: doc!.idType,
      idNumber: doc!.number,
      sex,
      birthDate,
      phone,
      nationality,
      language,
      tenancy,
      elderlyAlone: !!input.elderlyAlone,
      mobilityImpaired: !!input.mobilityImpaired,
      pregnant,
      dueDate,
      chronicIllness: !!input.chronicIllness,
      infant: !!input.infant,
    },
  };
}

/** The stored form of an ID number: ciphertext, blind index, masked text. */
export function idColumns(vault: IdVault, idType: IdType, number: string) {
  return { idCipher: vault.encrypt(number), idBlind: vault.blindIndex(idType, number), idMasked: maskDocument(idType, number) };
}

/** Column list and row values for INSERT INTO residents, in one order, for single and bulk writers. */
export const RESIDENT_COLUMNS = [
  'household_id', 'place_path', 'name', 'id_type', 'id_cipher', 'id_blind', 'id_masked', 'sex', 'birth_date', 'phone',
  'nationality', 'language', 'tenancy', 'elderly_alone', 'mobility_impaired', 'pregnant', 'due_date', 'chronic_illness', 'infant',
  'name_search',
] as const;

export function residentRow(vault: IdVault, v: ResidentValues, householdId: number | null, placePath: string): unknown[] {
  const id = idColumns(vault, v.idType, v.idNumber);
  return [
    householdId, placePath, v.name, v.idType, id.idCipher, id.idBlind, id.idMasked, v.sex, v.birthDate, v.phone,
    v.nationality, v.language, v.tenancy, v.elderlyAlone, v.mobilityImpaired, v.pregnant, v.dueDate, v.chronicIllness, v.infant,
    nameSearchText(v.name),
  ];
}
