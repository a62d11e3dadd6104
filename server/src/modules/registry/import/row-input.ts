// One spreadsheet row → a resident's fields and where they live, with every problem named
// by its column.
import { AppError, fieldInvalid } from '../../../platform/errors.js';
import { ID_TYPE_VALUES, NO_VALUES, SEX_VALUES, TENANCY_VALUES, YES_VALUES, type ResidentField } from '../columns.js';
import type { ResidentInput } from '../resident-input.js';
import type { Cell } from './rows.js';

export interface Location {
  street: string;
  community: string;
  compound: string;
  grid: string;
  building: string;
  unit: string;
  room: string;
}

const text = (c: Cell | undefined): string => {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).trim();
};

function date(c: Cell | undefined, field: ResidentField): string | null {
  if (c === null || c === undefined || c === '') return null;
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  // A streamed XLSX without styles gives dates as Excel serial numbers (days since 1899-12-30).
  if (typeof c === 'number' && c > 0 && c < 2_958_466) return new Date(Math.round((c - 25569) * 86_400_000)).toISOString().slice(0, 10);
  const s = String(c).trim();
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(s);
  if (!m) throw fieldInvalid(field, { 'zh-CN': '应为日期，如 2024-03-15', 'en-US': 'must be a date such as 2024-03-15' });
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

function flag(c: Cell | undefined, field: ResidentField): boolean {
  const v = text(c).toLowerCase();
  if (YES_VALUES.has(v)) return true;
  if (NO_VALUES.has(v)) return false;
  throw fieldInvalid(field, { 'zh-CN': '应为 是 或 否', 'en-US': 'must be yes or no (是/否)' });
}

function lookup<T>(table: Record<string, T>, c: Cell | undefined, field: ResidentField, zh: string, en: string): T | undefined {
  const v = text(c);
  if (!v) return undefined;
  const found = table[v] ?? table[v.toLowerCase()];
  if (found === undefined) throw fieldInvalid(field, { 'zh-CN': `应为 ${zh}`, 'en-US': `must be ${en}` });
  return found;
}

/** Converts a row; returns the input and location, or the errors found (each naming its column). */
export function rowInput(cells: Cell[], fields: (ResidentField | null)[]): { input: ResidentInput; location: Location } | { errors: AppError[] } {
  const get = (f: ResidentField): Cell | undefined => {
    const i = fields.indexOf(f);
    return i < 0 ? undefined : cells[i];
  };
  const errors: AppError[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      errors.push(e as AppError);
      return undefined;
    }
  };
  // A replacement character means bytes that were not UTF-8 (a GBK part past the sniffed start).
  const garbled = cells.findIndex((c, i) => fields[i] && typeof c === 'string' && c.includes('\ufffd'));
  if (garbled >= 0) {
    return {
      errors: [fieldInvalid(fields[garbled]!, {
        'zh-CN': '含有非 UTF-8 字符（文件可能是 GBK 编码）；请另存为 CSV UTF-8',
        'en-US': 'contains bytes that are not UTF-8 (the file may be GBK); save it as CSV UTF-8',
      })],
    };
  }
  const rawId = get('idNumber');
  if (typeof rawId === 'number') {
    // Excel keeps 15 significant digits: an 18-digit ID stored as a number is already corrupted.
    errors.push(fieldInvalid('idNumber', {
      'zh-CN': '身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”后重新录入',
      'en-US': 'the ID number was stored as a number by Excel and lost its last digits; format the column as text and re-enter it',
    }));
  }
  const input: ResidentInput = {
    name: text(get('name')),
    idType: attempt(() => lookup(ID_TYPE_VALUES, get('idType'), 'idType', '身份证 / 护照 / 港澳通行证 / 台胞证', 'mainland_id, passport, hk_macau_permit or taiwan_permit')) ?? 'mainland_id',
    idNumber: typeof rawId === 'number' ? '' : text(rawId),
    sex: attempt(() => lookup(SEX_VALUES, get('sex'), 'sex', '男 或 女', 'male or female')) ?? null,
    birthDate: attempt(() => date(get('birthDate'), 'birthDate')) ?? null,
    phone: text(get('phone')) || null,
    nationality: text(get('nationality')) || null,
    language: text(get('language')) || null,
    tenancy: attempt(() => lookup(TENANCY_VALUES, get('tenancy'), 'tenancy', '户籍 / 租户 / 流动人口', 'owner, tenant or floating')) ?? null,
    elderlyAlone: attempt(() => flag(get('elderlyAlone'), 'elderlyAlone')),
    mobilityImpaired: attempt(() => flag(get('mobilityImpaired'), 'mobilityImpaired')),
    pregnant: attempt(() => flag(get('pregnant'), 'pregnant')),
    dueDate: attempt(() => date(get('dueDate'), 'dueDate')) ?? null,
    chronicIllness: attempt(() => flag(get('chronicIllness'), 'chronicIllness')),
    infant: attempt(() => flag(get('infant'), 'infant')),
  };
  const location: Location = {
    street: text(get('street')),
    community: text(get('community')),
    compound: text(get('compound')),
    grid: text(get('grid')),
    building: text(get('building')),
    unit: text(get('unit')),
    room: text(get('room')),
  };
  for (const f of ['compound', 'building', 'room'] as const) {
    if (!location[f]) errors.push(new AppError('FIELD_REQUIRED', { field: f }));
  }
  if (location.room.length > 20) errors.push(fieldInvalid('room', { 'zh-CN': '最多 20 个字符', 'en-US': 'allows at most 20 characters' }));
  return errors.length ? { errors } : { input, location };
}
