// The resident ledger's columns, as they appear in spreadsheets (Chinese or English headers).
// Import, export and the data generator all use this one list so files round-trip.

export interface LedgerColumn {
  key: ResidentField;
  zh: string;
  en: string;
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
  { key: 'name', zh: '姓名', en: 'Name', required: true },
  { key: 'idType', zh: '证件类型', en: 'ID type' },
  { key: 'idNumber', zh: '身份证号', en: 'ID number', aliases: ['证件号码', '身份证号码', '公民身份号码', 'ID'], required: true },
  { key: 'sex', zh: '性别', en: 'Sex' },
  { key: 'birthDate', zh: '出生日期', en: 'Birth date' },
  { key: 'phone', zh: '手机号', en: 'Phone', aliases: ['联系电话', '手机号码', '电话', 'Mobile'] },
  { key: 'street', zh: '街道', en: 'Street', aliases: ['街道/镇', '镇'] },
  { key: 'community', zh: '社区', en: 'Community', aliases: ['村', '社区/村'] },
  { key: 'compound', zh: '小区', en: 'Compound', aliases: ['小区名称'] },
  { key: 'grid', zh: '网格', en: 'Grid' },
  { key: 'building', zh: '楼栋', en: 'Building', aliases: ['楼号', '栋'], required: true },
  { key: 'unit', zh: '单元', en: 'Unit', aliases: ['单元号'] },
  { key: 'room', zh: '房号', en: 'Room', aliases: ['门牌号', '室'], required: true },
  { key: 'tenancy', zh: '居住类型', en: 'Tenancy', aliases: ['人员类型'] },
  { key: 'nationality', zh: '国籍', en: 'Nationality' },
  { key: 'language', zh: '语言', en: 'Language' },
  { key: 'elderlyAlone', zh: '独居老人', en: 'Elderly alone' },
  { key: 'mobilityImpaired', zh: '行动不便', en: 'Mobility impaired' },
  { key: 'pregnant', zh: '孕妇', en: 'Pregnant' },
  { key: 'dueDate', zh: '预产期', en: 'Due date' },
  { key: 'chronicIllness', zh: '慢性病', en: 'Chronic illness' },
  { key: 'infant', zh: '婴幼儿', en: 'Infant' },
];

/** Spreadsheet spellings of enumerated values, both languages. */
export const ID_TYPE_VALUES: Record<string, string> = {
  身份证: 'mainland_id', 居民身份证: 'mainland_id', mainland_id: 'mainland_id', 'mainland id': 'mainland_id',
  护照: 'passport', passport: 'passport',
  港澳通行证: 'hk_macau_permit', 港澳居民来往内地通行证: 'hk_macau_permit', hk_macau_permit: 'hk_macau_permit',
  台胞证: 'taiwan_permit', 台湾居民来往大陆通行证: 'taiwan_permit', taiwan_permit: 'taiwan_permit',
};
export const ID_TYPE_LABELS: Record<string, { zh: string; en: string }> = {
  mainland_id: { zh: '身份证', en: 'Mainland ID' },
  passport: { zh: '护照', en: 'Passport' },
  hk_macau_permit: { zh: '港澳通行证', en: 'HK/Macau permit' },
  taiwan_permit: { zh: '台胞证', en: 'Taiwan permit' },
};
export const TENANCY_VALUES: Record<string, 'owner' | 'tenant' | 'floating'> = {
  户籍: 'owner', 业主: 'owner', 自有: 'owner', owner: 'owner',
  租户: 'tenant', 租住: 'tenant', tenant: 'tenant',
  流动: 'floating', 流动人口: 'floating', floating: 'floating',
};
export const TENANCY_LABELS = {
  owner: { zh: '户籍', en: 'owner' },
  tenant: { zh: '租户', en: 'tenant' },
  floating: { zh: '流动人口', en: 'floating' },
};
export const SEX_VALUES: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };
export const YES_VALUES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
export const NO_VALUES = new Set(['否', 'n', 'no', 'false', '0', '']);
