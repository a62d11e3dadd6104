// The API, one function per endpoint, grouped by module. Paths, parameters, bodies and answers
// are typed by schema.d.ts (generated from the server's route schemas by `npm run api`).
import { api, call, formData, queryString, type Locale } from './client';
import type { BodyOf, Preferences, QueryOf, Role } from './types';

export * from './client';
export * from './types';

const id = (n: number) => ({ path: { id: n } });

export const auth = {
  login: (username: string, password: string) => call(api.POST('/api/auth/login', { body: { username, password } }), { quiet401: true }),
  logout: () => call(api.POST('/api/auth/logout'), { quiet401: true }),
  me: (quiet = false) => call(api.GET('/api/auth/me'), { quiet401: quiet }),
  updateMe: (body: { locale?: Locale; preferences?: Preferences }) => call(api.PATCH('/api/auth/me', { body })),
  changePassword: (currentPassword: string, newPassword: string) =>
    call(api.POST('/api/auth/password', { body: { currentPassword, newPassword } })),
};

export const places = {
  roots: () => call(api.GET('/api/places/roots')),
  get: (n: number) => call(api.GET('/api/places/{id}', { params: id(n) })),
  children: (n: number) => call(api.GET('/api/places/{id}/children', { params: id(n) })),
  create: (body: BodyOf<'/api/places', 'post'>) => call(api.POST('/api/places', { body })),
  update: (n: number, body: BodyOf<'/api/places/{id}', 'patch'>) => call(api.PATCH('/api/places/{id}', { params: id(n), body })),
  move: (n: number, parentId: number) => call(api.POST('/api/places/{id}/move', { params: id(n), body: { parentId } })),
  archive: (n: number) => call(api.POST('/api/places/{id}/archive', { params: id(n) })),
};

export interface ResidentFilters {
  q?: string;
  placeId?: number;
  tenancy?: QueryOf<'/api/residents'>['tenancy'];
  flags?: string[];
}

/** What a resident form sends (the ID number only when typed). */
export type ResidentInput = BodyOf<'/api/residents/{id}', 'patch'>;

function residentQuery(f: ResidentFilters) {
  return { q: f.q?.trim() || undefined, placeId: f.placeId, tenancy: f.tenancy, flags: f.flags?.length ? f.flags.join(',') : undefined };
}

export const residents = {
  search: (f: ResidentFilters, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/residents', { params: { query: { ...residentQuery(f), cursor: cursor ?? undefined, limit } } })),
  exportUrl: (f: ResidentFilters) => '/api/residents/export.xlsx' + queryString(residentQuery(f)),
  get: (n: number) => call(api.GET('/api/residents/{id}', { params: id(n) })),
  code: (n: number) => call(api.GET('/api/residents/{id}/code', { params: id(n) })),
  revealId: (n: number) => call(api.POST('/api/residents/{id}/reveal-id', { params: id(n) })),
  create: (body: BodyOf<'/api/residents', 'post'>) => call(api.POST('/api/residents', { body })),
  update: (n: number, body: ResidentInput) => call(api.PATCH('/api/residents/{id}', { params: id(n), body })),
  archive: (n: number) => call(api.DELETE('/api/residents/{id}', { params: id(n) })),
};

export const households = {
  list: (placeId: number, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/households', { params: { query: { placeId, cursor: cursor ?? undefined, limit } } })),
  get: (n: number) => call(api.GET('/api/households/{id}', { params: id(n) })),
  card: (n: number) => call(api.GET('/api/households/{id}/card', { params: id(n) })),
  create: (placeId: number, room: string) => call(api.POST('/api/households', { body: { placeId, room } })),
  /** a lost card: every old QR of the household stops working at once */
  rotateCodes: (n: number, reason: string) => call(api.POST('/api/households/{id}/codes/rotate', { params: id(n), body: { reason } })),
};

// The multipart routes declare no JSON body, so the form goes in as the body openapi-fetch passes through.
const multipart = (fd: FormData) => fd as never;

export const imports = {
  preview: (file: File) => call(api.POST('/api/imports/preview', { body: multipart(formData({ file })) })),
  start: (o: { file: File; communityId: number; unknownPlaces: 'create' | 'reject'; mapping?: Record<string, string | null> }) =>
    call(
      api.POST('/api/imports', {
        // fields first: the server reads the multipart stream in order
        body: multipart(
          formData({
            communityId: String(o.communityId),
            unknownPlaces: o.unknownPlaces,
            mapping: o.mapping ? JSON.stringify(o.mapping) : undefined,
            file: o.file,
          }),
        ),
      }),
    ),
  get: (jobId: string) => call(api.GET('/api/imports/{id}', { params: { path: { id: jobId } } })),
  commit: (jobId: string) => call(api.POST('/api/imports/{id}/commit', { params: { path: { id: jobId } } })),
  reportUrl: (jobId: string) => `/api/imports/${encodeURIComponent(jobId)}/report.csv`,
  templateUrl: '/api/imports/template.xlsx',
};

export type UserInput = BodyOf<'/api/users', 'post'>;

export const users = {
  list: (q: { q?: string; role?: Role }, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/users', { params: { query: { ...q, cursor: cursor ?? undefined, limit } } })),
  create: (body: UserInput) => call(api.POST('/api/users', { body })),
  update: (n: number, body: BodyOf<'/api/users/{id}', 'patch'>) => call(api.PATCH('/api/users/{id}', { params: id(n), body })),
  roles: () => call(api.GET('/api/roles')),
};

export type AuditFilters = Omit<QueryOf<'/api/audit'>, 'cursor' | 'limit'>;

export const audit = {
  list: (f: AuditFilters, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/audit', { params: { query: { ...f, cursor: cursor ?? undefined, limit } } })),
};
export * from './outbox';
