// The API, one function per endpoint, grouped by module.
import { http, queryString, type Locale, type Query } from './client';
import type {
  AuditEntry,
  Household,
  ImportJob,
  ImportPreview,
  Page,
  Place,
  PlaceBase,
  PlaceKind,
  Preferences,
  Resident,
  Role,
  RoleItem,
  User,
} from './types';

export * from './client';
export * from './types';

export const auth = {
  login: (username: string, password: string) =>
    http.post<{ user: User; mustChangePassword: boolean }>('/api/auth/login', { username, password }, { quiet401: true }),
  logout: () => http.post<{ ok: true }>('/api/auth/logout', undefined, { quiet401: true }),
  me: (quiet = false) => http.get<{ user: User; scopePath: string }>('/api/auth/me', undefined, { quiet401: quiet }),
  updateMe: (body: { locale?: Locale; preferences?: Preferences }) => http.patch<{ user: User }>('/api/auth/me', body),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<{ ok: true }>('/api/auth/password', { currentPassword, newPassword }),
};

export const places = {
  roots: () => http.get<{ items: Place[] }>('/api/places/roots'),
  get: (id: number) => http.get<{ place: Place; ancestors: PlaceBase[] }>(`/api/places/${id}`),
  children: (id: number) => http.get<{ items: Place[] }>(`/api/places/${id}/children`),
  create: (body: { parentId: number | null; kind: PlaceKind; name: string; code?: string | null; floors?: number | null }) =>
    http.post<Place>('/api/places', body),
  update: (id: number, body: { name?: string; code?: string | null; floors?: number | null }) => http.patch<Place>(`/api/places/${id}`, body),
  move: (id: number, parentId: number) => http.post<Place>(`/api/places/${id}/move`, { parentId }),
  archive: (id: number) => http.post<unknown>(`/api/places/${id}/archive`),
};

export interface ResidentFilters {
  q?: string;
  placeId?: number;
  tenancy?: string;
  flags?: string[];
}

export type ResidentInput = Partial<Omit<Resident, 'id' | 'idMasked' | 'age' | 'address' | 'placeId' | 'placePath' | 'gridId' | 'gridName' | 'createdAt' | 'updatedAt'>> & {
  idNumber?: string;
};

function residentQuery(f: ResidentFilters): Query {
  return { q: f.q?.trim(), placeId: f.placeId, tenancy: f.tenancy, flags: f.flags };
}

export const residents = {
  search: (f: ResidentFilters, cursor?: string | null, limit = 50) =>
    http.get<Page<Resident>>('/api/residents', { ...residentQuery(f), cursor, limit }),
  exportUrl: (f: ResidentFilters) => '/api/residents/export.xlsx' + queryString(residentQuery(f)),
  get: (id: number) => http.get<{ resident: Resident }>(`/api/residents/${id}`),
  revealId: (id: number) => http.post<{ idNumber: string }>(`/api/residents/${id}/reveal-id`),
  create: (body: ResidentInput & { householdId: number; name: string; idNumber: string }) =>
    http.post<{ resident: Resident }>('/api/residents', body),
  update: (id: number, body: ResidentInput) => http.patch<{ resident: Resident }>(`/api/residents/${id}`, body),
  archive: (id: number) => http.del<unknown>(`/api/residents/${id}`),
};

export const households = {
  list: (placeId: number, cursor?: string | null, limit = 50) => http.get<Page<Household>>('/api/households', { placeId, cursor, limit }),
  get: (id: number) => http.get<{ household: Household; residents: Resident[] }>(`/api/households/${id}`),
  create: (placeId: number, room: string) => http.post<Household>('/api/households', { placeId, room }),
};

export const imports = {
  preview: (file: File) => {
    const fd = new FormData();
    fd.append('file', file);
    return http.post<ImportPreview>('/api/imports/preview', fd);
  },
  start: (o: { file: File; communityId: number; unknownPlaces: 'create' | 'reject'; mapping?: Record<string, string | null> }) => {
    const fd = new FormData();
    // fields first: the server reads the multipart stream in order
    fd.append('communityId', String(o.communityId));
    fd.append('unknownPlaces', o.unknownPlaces);
    if (o.mapping) fd.append('mapping', JSON.stringify(o.mapping));
    fd.append('file', o.file);
    return http.post<{ job: ImportJob }>('/api/imports', fd);
  },
  get: (id: string) => http.get<{ job: ImportJob }>(`/api/imports/${id}`),
  commit: (id: string) => http.post<{ job: ImportJob }>(`/api/imports/${id}/commit`),
  reportUrl: (id: string) => `/api/imports/${id}/report.csv`,
  templateUrl: '/api/imports/template.xlsx',
};

export interface UserInput {
  username: string;
  displayName: string;
  role: Role;
  placeId: number;
  phone?: string;
  locale?: Locale;
}

export const users = {
  list: (q: { q?: string; role?: Role }, cursor?: string | null, limit = 50) => http.get<Page<User>>('/api/users', { ...q, cursor, limit }),
  create: (body: UserInput) => http.post<{ user: User; oneTimePassword?: string }>('/api/users', body),
  update: (
    id: number,
    body: { displayName?: string; role?: Role; placeId?: number; phone?: string | null; disabled?: boolean; unlock?: boolean; resetPassword?: boolean },
  ) => http.patch<{ user: User; oneTimePassword?: string }>(`/api/users/${id}`, body),
  roles: () => http.get<{ items: RoleItem[] }>('/api/roles'),
};

export interface AuditFilters {
  username?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

export const audit = {
  list: (f: AuditFilters, cursor?: string | null, limit = 50) => http.get<Page<AuditEntry>>('/api/audit', { ...f, cursor, limit }),
};
