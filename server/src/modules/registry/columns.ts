// The resident ledger's columns, as they appear in spreadsheets (Chinese or English headers).
// Import, export and the data generator all use this one list so files round-trip.

import type { Messages } from '../../platform/errors.js';

export interface LedgerColumn {
  key: ResidentField;
  /** the header, in the one shape of bilingual text */
  label: Messages;
  /** other header spellings seen in community ledgers */
  aliases?: string[];
  required?: boolean;
}

export type ResidentField =
  | 'name'
  | 'idType'
  | 'idNumber'
  | 'sex'
  | 'birthDate'
  | 'phone'
  | 'street'
  | 'community'
  | 'compound'
  | 'grid'
  | 'building'
  | 'unit'
  | 'room'
  | 'tenancy'
  | 'nationality'
  | 'language'
  | 'elderlyAlone'
  | 'mobilityImpaired'
  | 'pregnant'
  | 'dueDate'
  | 'chronicIllness'
  | 'infant';

export const LEDGER_COLUMNS: LedgerColumn[] = [
  { key: 'name', label: { 'zh-CN': '姓名', 'en-US': 'Name' }, required: true },
  { key: 'idType', label: { 'zh-CN': '证件类型', 'en-US': 'ID type' } },
  { key: 'idNumber', label: { 'zh-CN': '身份证号', 'en-US': 'ID number' }, aliases: ['证件号码', '身份证号码', '公民身份号码', 'ID'], required: true },
  { key: 'sex', label: { 'zh-CN': '性别', 'en-US': 'Sex' } },
  { key: 'birthDate', label: { 'zh-CN': '出生日期', 'en-US': 'Birth date' } },
  { key: 'phone', label: { 'zh-CN': '手机号', 'en-US': 'Phone' }, aliases: ['联系电话', '手机号码', '电话', 'Mobile'] },
  { key: 'street', label: { 'zh-CN': '街道', 'en-US': 'Street' }, aliases: ['街道/镇', '镇'] },
  { key: 'community', label: { 'zh-CN': '社区', 'en-US': 'Community' }, aliases: ['村', '社区/村'] },
  { key: 'compound', label: { 'zh-CN': '小区', 'en-US': 'Compound' }, aliases: ['小区名称'] },
  { key: 'grid', label: { 'zh-CN': '网格', 'en-US': 'Grid' } },
  { key: 'building', label: { 'zh-CN': '楼栋', 'en-US': 'Building' }, aliases: ['楼号', '栋'], required: true },
  { key: 'unit', label: { 'zh-CN': '单元', 'en-US': 'Unit' }, aliases: ['单元号'] },
  { key: 'room', label: { 'zh-CN': '房号', 'en-US': 'Room' }, aliases: ['门牌号', '室'], required: true },
  { key: 'tenancy', label: { 'zh-CN': '居住类型', 'en-US': 'Tenancy' }, aliases: ['人员类型'] },
  { key: 'nationality', label: { 'zh-CN': '国籍', 'en-US': 'Nationality' } },
  { key: 'language', label: { 'zh-CN': '语言', 'en-US': 'Language' } },
  { key: 'elderlyAlone', label: { 'zh-CN': '独居老人', 'en-US': 'Elderly alone' } },
  { key: 'mobilityImpaired', label: { 'zh-CN': '行动不便', 'en-US': 'Mobility impaired' } },
  { key: 'pregnant', label: { 'zh-CN': '孕妇', 'en-US': 'Pregnant' } },
  { key: 'dueDate', label: { 'zh-CN': '预产期', 'en-US': 'Due date' } },
  { key: 'chronicIllness', label: { 'zh-CN': '慢性病', 'en-US': 'Chronic illness' } },
  { key: 'infant', label: { 'zh-CN': '婴幼儿', 'en-US': 'Infant' } },
];

/** Spreadsheet spellings of enumerated values, both languages. */
export const ID_TYPE_VALUES: Record<string, string> = {
  身份证: 'mainland_id', 居民身份证: 'mainland_id', mainland_id: 'mainland_id', 'mainland id': 'mainland_id',
  护照: 'passport', passport: 'passport',
  港澳通行证: 'hk_macau_permit', 港澳居民来往内地通行证: 'hk_macau_permit', hk_macau_permit: 'hk_macau_permit',
  台胞证: 'taiwan_permit', 台湾居民来往大陆通行证: 'taiwan_permit', taiwan_permit: 'taiwan_permit',
};
export const ID_TYPE_LABELS: Record<string, Messages> = {
  mainland_id: { 'zh-CN': '身份证', 'en-US': 'Mainland ID' },
  passport: { 'zh-CN': '护照', 'en-US': 'Passport' },
  hk_macau_permit: { 'zh-CN': '港澳通行证', 'en-US': 'HK/Macau permit' },
  taiwan_permit: { 'zh-CN': '台胞证', 'en-US': 'Taiwan permit' },
};
export const TENANCY_VALUES: Record<string, 'owner' | 'tenant' | 'floating'> = {
  户籍: 'owner', 业主: 'owner', 自有: 'owner', owner: 'owner',
  租户: 'tenant', 租住: 'tenant', tenant: 'tenant',
  流动: 'floating', 流动人口: 'floating', floating: 'floating',
};
export const TENANCY_LABELS: Record<'owner' | 'tenant' | 'floating', Messages> = {
  owner: { 'zh-CN': '户籍', 'en-US': 'owner' },
  tenant: { 'zh-CN': '租户', 'en-US': 'tenant' },
  floating: { 'zh-CN': '流动人口', 'en-US': 'floating' },
};
export const SEX_VALUES: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };
export const YES_VALUES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
export const NO_VALUES = new Set(['否', 'n', 'no', 'false', '0', '']);
