// Shapes of the API's answers (docs/API-CONTRACT.md).
import type { Messages, Locale } from './client';

export type Role =
  | 'admin'
  | 'command_center'
  | 'street_officer'
  | 'community_officer'
  | 'grid_worker'
  | 'sampler'
  | 'lab_operator'
  | 'tracer'
  | 'quarantine_staff'
  | 'volunteer'
  | 'gate_staff';

export const ROLES: Role[] = [
  'admin',
  'command_center',
  'street_officer',
  'community_officer',
  'grid_worker',
  'sampler',
  'lab_operator',
  'tracer',
  'quarantine_staff',
  'volunteer',
  'gate_staff',
];

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  placeId: number | null;
  placeName: string | null;
  placePath: string | null;
  phone: string | null;
  locale: Locale;
  disabled: boolean;
  locked: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  preferences?: Preferences;
}

export interface Preferences {
  importMapping?: Record<string, string | null>;
  [key: string]: unknown;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type PlaceKind = 'district' | 'street' | 'community' | 'compound' | 'grid' | 'building' | 'unit' | 'entrance';
export const PLACE_KINDS: PlaceKind[] = ['district', 'street', 'community', 'compound', 'grid', 'building', 'unit', 'entrance'];

/** Which kinds may sit directly under which (mirrors the server's rule). */
export const ALLOWED_PARENTS: Record<PlaceKind, PlaceKind[]> = {
  district: [],
  street: ['district'],
  community: ['street'],
  compound: ['community'],
  grid: ['compound'],
  building: ['grid', 'compound'],
  unit: ['building'],
  entrance: ['compound'],
};

export function childKinds(kind: PlaceKind): PlaceKind[] {
  return PLACE_KINDS.filter((k) => ALLOWED_PARENTS[k].includes(kind));
}

export interface PlaceBase {
  id: number;
  parentId: number | null;
  kind: PlaceKind;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  floors: number | null;
}

export interface Place extends PlaceBase {
  households: number;
  residents: number;
  children: number;
}

export type Tenancy = 'owner' | 'tenant' | 'floating';
export const TENANCIES: Tenancy[] = ['owner', 'tenant', 'floating'];
export type CareFlag = 'elderlyAlone' | 'mobilityImpaired' | 'pregnant' | 'chronicIllness' | 'infant';
export const CARE_FLAGS: CareFlag[] = ['elderlyAlone', 'mobilityImpaired', 'pregnant', 'chronicIllness', 'infant'];
export type IdType = 'mainland_id' | 'passport' | 'hk_macau_permit' | 'taiwan_permit';
export const ID_TYPES: IdType[] = ['mainland_id', 'passport', 'hk_macau_permit', 'taiwan_permit'];
export const LANGUAGES = ['zh-CN', 'en-US', 'ko-KR', 'ja-JP', 'ru-RU', 'ug-CN', 'bo-CN', 'mn-CN'] as const;

export interface Resident {
  id: number;
  householdId: number;
  name: string;
  idType: IdType;
  idMasked: string;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  age: number | null;
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
  address: string;
  placeId: number;
  placePath: string;
  gridId: number | null;
  gridName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Household {
  id: number;
  placeId: number;
  room: string;
  address: string;
  residentCount: number;
}

export interface ImportField {
  key: string;
  zh: string;
  en: string;
  required: boolean;
}

export interface ImportPreview {
  headers: string[];
  suggestedMapping: Record<string, string | null>;
  sampleRows: string[][];
  fields: ImportField[];
}

export type ImportStatus = 'validating' | 'validated' | 'committing' | 'committed' | 'failed';

export interface ImportJob {
  id: string;
  status: ImportStatus;
  fileName: string;
  progress: { phase: string; rowsRead: number; bytesRead: number; totalBytes: number; rowsWritten: number };
  summary: {
    rows: number;
    valid: number;
    rejected: number;
    toCreate: number;
    toUpdate: number;
    unchanged: number;
    placesToCreate: number;
    created: number;
    updated: number;
    placesCreated?: number;
  };
  errors: { row: number; column: string; code: string; message: Messages }[];
  errorCount: number;
  failure?: { code: string; message: Messages };
  createdAt?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  placePath: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface RoleItem {
  role: Role;
  label: Messages;
}
