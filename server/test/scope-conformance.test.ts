// Scope conformance: every route that takes an id, a barcode or a place must answer an actor
// outside that object's area exactly as it answers for an object that does not exist (or
// 403 when the role lacks the right, the same way), and never show anyone outside the area.
// The probe table below must name every such route: a new route without a probe fails here,
// and so does a probe for a route that is gone.
import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentCode } from '../src/platform/codes.js';
import type { Role } from '../src/platform/permissions.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import {
  antigen,
  boxHandedOver,
  boxReceived,
  buildTown,
  campaign,
  freshId,
  household,
  importJob,
  key,
  place,
  ok,
  results,
  schedule,
  staffAt,
  tube,
  userId,
  type Campaign,
  type Town,
} from './factories.js';

// ---------------------------------------------------------------- the routes of the app

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/** Every route the app registered, as `METHOD /path` (fastify style, `:param`), from printRoutes — it includes routes hidden from swagger. */
export function listRoutes(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out = new Set<string>();
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack[depth] = m[2];
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) if (METHODS.includes(method)) out.add(`${method} ${path}`);
  }
  return [...out].sort();
}

/** A field name that names an object or a place: ids, tubes and barcodes, and the lists of scans and results that carry them. */
const ID_FIELD = /^(id|.*Ids?|tube|tubes|barcode|scans|results)$/;

/** The routes that take an id, barcode or place: in their path, their query or their JSON body (from the OpenAPI document). */
function routesWithIds(app: FastifyInstance, routes: string[]): string[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>> };
  const ops = new Map<string, (typeof doc.paths)[string][string]>();
  for (const [p, byMethod] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(byMethod)) ops.set(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`, op);
  return routes.filter((r) => {
    if (/[:*]/.test(r)) return true;
    const op = ops.get(r);
    const names = [...(op?.parameters ?? []).map((p) => p.name), ...Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {})];
    return names.some((n) => ID_FIELD.test(n));
  });
}

// ---------------------------------------------------------------- the world

/** What one actor must not reach: objects outside their area, and a few of their own to combine them with. */
interface Target {
  residentId: number;
  householdId: number;
  placeId: number;
  unitId: number;
  buildingId: number;
  tube: string;
  box: string;
  campaignId: number;
  roundId: number;
  laneId: number;
  alertId: number;
  userId: number;
  importId: string;
  exemptResidentId: number;
  noticeId: number;
  /** a zone declared on a building outside the actor's area */
  zoneId: number;
  /** an appeal against the colour of a resident outside the actor's area */
  appealId: number;
  /** a gate of a compound outside the actor's area */
  gateId: number;
  /** an in-app message (a notice) to a resident outside the actor's household and area */
  messageId: string;
  /** campaign-level objects for writes: for a community officer, a street-wide campaign they may read but not change */
  wCampaignId: number;
  wRoundId: number;
  wSiteId: number;
  wSlotId: number;
  wSitePlaceId: number;
  // the actor's own objects (kept when the foreign ones are replaced by missing ids)
  ownResidentId: number;
  ownIdNumber: string;
  ownRoundId: number;
  ownPlaceId: number;
  ownCampaignId: number;
}

const NONE = 987654321;
const NONE_CODE = 'NX-987654321';
const NONE_UUID = '00000000-0000-4000-8000-000000987654';
const OWN_KEYS = ['ownResidentId', 'ownIdNumber', 'ownRoundId', 'ownPlaceId', 'ownCampaignId', 'wSitePlaceId'];

/** The same target with every foreign object replaced by one that does not exist. */
function missingOf(f: Target, only?: (keyof Target)[]): Target {
  const out = { ...f } as Record<string, unknown>;
  for (const [k, v] of Object.entries(f)) {
    if (OWN_KEYS.includes(k) || (only && !only.includes(k as keyof Target))) continue;
    out[k] = k === 'importId' || k === 'messageId' ? NONE_UUID : typeof v === 'number' ? NONE : NONE_CODE;
  }
  return out as unknown as Target;
}

interface Actor {
  label: string;
  client: Client;
  target: Target;
  /** strings that must not appear in any answer to this actor: names, phones, places, barcodes outside their area */
  markers: string[];
}

interface World {
  t: TestApp;
  admin: Client;
  town: Town;
  camp1: Campaign;
  camp2: Campaign;
  street: Campaign;
  actors: Actor[];
  officer1: Client;
  lowTarget: Target;
  officerTarget: Target;
  /** a tube at community 1's site holding one person of grid A and one of grid B */
  mixedTube: string;
  extraB: { id: number; name: string };
}

export const LOWER_ROLES: Role[] = ['grid_worker', 'sampler', 'lab_operator', 'volunteer', 'tracer', 'gate_staff', 'quarantine_staff'];

async function buildWorld(t: TestApp): Promise<World> {
  const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  const town = await buildTown(admin);
  const { c1, c2 } = town;
  // one more person in grid B, never sampled: the exemption target
  const extra = await household(admin, c1.b.unit, '102', [{ name: '孙悦', phone: '13900001999' }]);
  const extraB = { id: extra.people[0].id, name: '孙悦' };

  const camp1 = await campaign(admin, { name: '平江里核酸', ownerPlaceId: c1.community, coverPlaceIds: [c1.community], sitePlaceId: c1.compound, siteName: '平江里采样点' });
  const camp2 = await campaign(admin, { name: '桃园核酸', ownerPlaceId: c2.community, coverPlaceIds: [c2.community], sitePlaceId: c2.compound, siteName: '桃园采样点' });
  const street = await campaign(admin, { name: '街道全员核酸', ownerPlaceId: town.street, coverPlaceIds: [town.street], sitePlaceId: c2.compound, siteName: '街道桃园采样点' });

  const [zhang, wang] = c1.a.people;
  const [li, liu] = c1.b.people;
  await tube(admin, camp1.laneId, 'C1-A-01', [zhang]);
  await tube(admin, camp1.laneId, 'C1-B-01', [li], 'single');
  await tube(admin, camp1.laneId, 'C1-AB-01', [wang, liu]);
  await boxHandedOver(admin, 'BOX-C1', ['C1-A-01', 'C1-B-01', 'C1-AB-01']);
  await boxReceived(admin, 'BOX-C1', ['C1-A-01', 'C1-B-01', 'C1-AB-01']);
  await results(admin, [
    { tube: 'C1-A-01', result: 'negative' },
    { tube: 'C1-B-01', result: 'positive' },
    { tube: 'C1-AB-01', result: 'positive' },
  ]);
  await tube(admin, camp2.laneId, 'C2-C-01', c2.a.people);
  await boxHandedOver(admin, 'BOX-C2', ['C2-C-01']);
  await boxReceived(admin, 'BOX-C2', ['C2-C-01']);
  await results(admin, [{ tube: 'C2-C-01', result: 'positive' }]);

  await schedule(admin, camp1.roundId);
  const slots2 = await schedule(admin, camp2.roundId);
  const slotsS = await schedule(admin, street.roundId);
  const slotOf = (slots: { slotId: number; placeId: number }[], building: number) => (slots.find((s) => s.placeId === building) ?? slots[0]).slotId;

  await ok(admin.inject({ method: 'PUT', url: `/api/rounds/${camp1.roundId}/exemptions/${extraB.id}`, payload: { reason: 'hospitalised' } }), 200);
  await ok(admin.inject({ method: 'PUT', url: `/api/rounds/${street.roundId}/exemptions/${extraB.id}`, payload: { reason: 'hospitalised' } }), 200);
  await antigen(admin, c1.b.householdId, li.id, 'positive');
  const alerts = (await ok<{ items: { id: number; resident: { id?: number; name: string } }[] }>(admin.get('/api/antigen/alerts?open=true'), 200)).items;
  const alertId = alerts.find((a) => a.resident.name === li.name)!.id;
  const notice = await ok<{ id: number }>(admin.post('/api/notices', { key: key(), placeId: c1.b.grid, channels: ['inapp'], texts: { 'zh-CN': '{name}，第二网格今晚停水' } }), 201);
  const zone = await ok<{ items: { id: number }[] }>(admin.post('/api/zones', { key: key(), placeIds: [c1.b.building], policy: 'sealed', reason: '李娜楼栋封控' }), 201);
  const importId = await importJob(admin, c1.community, `周杰,${freshId()},13900002999,幸福里小区,第二网格,2号楼,1单元,201`);

  const low = await staffAt(t, admin, c1.a.grid, 'a', LOWER_ROLES);
  const { community_officer: officer2 } = await staffAt(t, admin, c2.community, 'c2', ['community_officer']);
  const { community_officer: officer1 } = await staffAt(t, admin, c1.community, 'c1', ['community_officer']);
  await staffAt(t, admin, c1.b.grid, 'b', ['grid_worker']);
  const bWorker = await userId(t, 'b-grid_worker');
  // a notice in li's inbox (grid B), and a resident of grid A signed in to the portal with their card
  const message = await t.ctx.db.query<{ id: string }>(
    `INSERT INTO messages (channel, resident_id, address, body, source, status, delivered_at) VALUES ('inapp', $1::int, 'resident:' || $1::int, '李娜的通知', 'notice', 'delivered', now()) RETURNING id`,
    [li.id],
  );
  const residentA = await residentClient(t, residentCode(t.ctx.vault, zhang.id));
  const gateId = await place(admin, c1.compound, 'entrance', '幸福里北门');
  const appeal = await ok<{ id: number }>((await residentClient(t, residentCode(t.ctx.vault, li.id))).post('/api/portal/appeals', { text: '李娜的申诉' }), 201);

  const shared = {
    residentId: li.id,
    householdId: c1.b.householdId,
    placeId: c1.b.grid,
    unitId: c1.b.unit,
    buildingId: c1.b.building,
    tube: 'C1-B-01',
    alertId,
    userId: bWorker,
    importId,
    exemptResidentId: extraB.id,
    noticeId: notice.id,
    zoneId: zone.items[0].id,
    appealId: appeal.id,
    gateId,
    messageId: message.rows[0].id,
  };
  const lowTarget: Target = {
    ...shared,
    box: 'BOX-C2',
    campaignId: camp2.campaignId,
    roundId: camp2.roundId,
    laneId: camp2.laneId,
    wCampaignId: camp2.campaignId,
    wRoundId: camp2.roundId,
    wSiteId: camp2.siteId,
    wSlotId: slotOf(slots2, c2.a.building),
    wSitePlaceId: c2.compound,
    ownResidentId: zhang.id,
    ownIdNumber: zhang.idNumber,
    ownRoundId: camp1.roundId,
    ownPlaceId: c1.a.grid,
    ownCampaignId: camp1.campaignId,
  };
  const officerTarget: Target = {
    ...shared,
    box: 'BOX-C1',
    campaignId: camp1.campaignId,
    roundId: camp1.roundId,
    laneId: camp1.laneId,
    wCampaignId: street.campaignId,
    wRoundId: street.roundId,
    wSiteId: street.siteId,
    wSlotId: slotOf(slotsS, c2.a.building),
    wSitePlaceId: c2.compound,
    ownResidentId: c2.a.people[0].id,
    ownIdNumber: c2.a.people[0].idNumber,
    ownRoundId: camp2.roundId,
    ownPlaceId: c2.a.grid,
    ownCampaignId: camp2.campaignId,
  };
  const people = (g: { people: { name: string; phone: string }[] }) => g.people.flatMap((p) => [p.name, p.phone]);
  const bMarkers = [...people(c1.b), '孙悦', '周杰', '第二网格', 'C1-B-01', '李娜楼栋封控', '李娜的申诉'];
  const c2Markers = [...people(c2.a), ...people(c2.b), '桃园', 'C2-C-01', 'BOX-C2'];
  const c1Markers = [...people(c1.a), ...bMarkers, '平江里', '幸福里', '第一网格', 'C1-A-01', 'C1-AB-01', 'BOX-C1'];
  const actors: Actor[] = [
    ...LOWER_ROLES.map((role) => ({ label: `${role}@gridA`, client: low[role]!, target: lowTarget, markers: [...bMarkers, ...c2Markers] })),
    { label: 'community_officer@community2', client: officer2!, target: officerTarget, markers: c1Markers },
    // a resident session reaches its own household only: any other id answers like a missing one, and staff routes answer 401
    { label: 'resident@householdA', client: residentA, target: lowTarget, markers: [...bMarkers, ...c2Markers, '李娜的通知'] },
  ];
  return { t, admin, town, camp1, camp2, street, actors, officer1: officer1!, lowTarget, officerTarget, mixedTube: 'C1-AB-01', extraB };
}

/** A resident's portal session (signed in with their household card) as a Client: only the fk_resident cookie. */
async function residentClient(t: TestApp, code: string): Promise<Client> {
  const res = await t.app.inject({ method: 'POST', url: '/api/portal/sign-in/card', payload: { code } });
  if (res.statusCode !== 200) throw new Error(`resident sign-in failed: ${res.statusCode} ${res.body}`);
  const token = res.cookies.find((c) => c.name === 'fk_resident')!.value;
  const request = (opts: InjectOptions) => t.app.inject({ ...opts, cookies: { ...(opts.cookies ?? {}), fk_resident: token } });
  return {
    token,
    inject: request,
    get: (url: string) => request({ method: 'GET', url }),
    post: (url: string, payload?: unknown) => request({ method: 'POST', url, payload: payload as object }),
    put: (url: string, payload?: unknown) => request({ method: 'PUT', url, payload: payload as object }),
    patch: (url: string, payload?: unknown) => request({ method: 'PATCH', url, payload: payload as object }),
    del: (url: string) => request({ method: 'DELETE', url }),
  };
}

// ---------------------------------------------------------------- the probes

type Req = InjectOptions & { method: string; url: string };
interface Probe {
  /** 'object': the answer must be the missing object's answer. 'list': an answer without anything outside the area is fine too. */
  kind: 'object' | 'list';
  reqs: (f: Target, n: () => number) => Req[];
  /** the target fields replaced by missing ids for the comparison answer (all foreign ones by default) */
  missing?: (keyof Target)[];
  /** the administrator's answer to the first request shows the probe aims at something real (reads only) */
  control?: boolean;
}

function multipart(fields: Record<string, string>, file: { name: string; data: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file.data]), file.name);
  return form;
}
async function formReq(url: string, form: FormData): Promise<Req> {
  const res = new Response(form);
  return { method: 'POST', url, payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } };
}

const get = (url: string): Req => ({ method: 'GET', url });
const post = (url: string, payload?: object): Req => ({ method: 'POST', url, payload });
const patch = (url: string, payload: object): Req => ({ method: 'PATCH', url, payload });
const put = (url: string, payload: object): Req => ({ method: 'PUT', url, payload });
const del = (url: string): Req => ({ method: 'DELETE', url });
const inHour = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

// Reads first, then writes, the destructive ones last: a write that leaks must not hide a later leak.
export const PROBES: Record<string, Probe> = {
  // registry
  'GET /api/places/:id': { kind: 'object', control: true, reqs: (f) => [get(`/api/places/${f.placeId}`)] },
  'GET /api/places/:id/children': { kind: 'object', control: true, reqs: (f) => [get(`/api/places/${f.placeId}/children`)] },
  'GET /api/households': { kind: 'object', control: true, reqs: (f) => [get(`/api/households?placeId=${f.unitId}`)] },
  'GET /api/households/:id': { kind: 'object', control: true, reqs: (f) => [get(`/api/households/${f.householdId}`)] },
  'GET /api/households/:id/card': { kind: 'object', control: true, reqs: (f) => [get(`/api/households/${f.householdId}/card`)] },
  'GET /api/residents': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents?placeId=${f.placeId}`)] },
  'GET /api/residents/export.xlsx': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents/export.xlsx?placeId=${f.placeId}`)] },
  'GET /api/residents/:id': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents/${f.residentId}`)] },
  'GET /api/residents/:id/code': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents/${f.residentId}/code`)] },
  'GET /api/imports/:id': { kind: 'object', control: true, reqs: (f) => [get(`/api/imports/${f.importId}`)] },
  'GET /api/imports/:id/report.csv': { kind: 'object', control: true, reqs: (f) => [get(`/api/imports/${f.importId}/report.csv`)] },
  'GET /api/audit': { kind: 'list', control: true, reqs: (f) => [get(`/api/audit?entity=resident&entityId=${f.residentId}`)] },
  // the development SMS page: the administrator's tool only (every other role 403, whatever number it asks for)
  'GET /api/dev-sms': { kind: 'object', control: true, reqs: () => [get('/api/dev-sms?to=139')] },
  // testing reads
  'GET /api/campaigns/:id': { kind: 'object', control: true, reqs: (f) => [get(`/api/campaigns/${f.campaignId}`)] },
  'GET /api/campaigns/:id/board': { kind: 'object', control: true, reqs: (f) => [get(`/api/campaigns/${f.campaignId}/board`), get(`/api/campaigns/${f.ownCampaignId}/board?roundId=${f.roundId}`)] },
  'GET /api/campaigns/:id/board/stream': { kind: 'object', reqs: (f) => [get(`/api/campaigns/${f.campaignId}/board/stream`)] },
  // the area board: a place outside my area answers as a missing one; without a place, my area shows nothing beyond it
  'GET /api/area-board': { kind: 'object', control: true, reqs: (f) => [get(`/api/area-board?placeId=${f.placeId}`), get('/api/area-board')] },
  'GET /api/area-board/stream': { kind: 'object', reqs: (f) => [get(`/api/area-board/stream?placeId=${f.placeId}`)] },
  'GET /api/tubes/:barcode': { kind: 'list', control: true, reqs: (f) => [get(`/api/tubes/${f.tube}`)] },
  'GET /api/boxes/:barcode': { kind: 'object', control: true, reqs: (f) => [get(`/api/boxes/${f.box}`)] },
  'GET /api/rounds/:id/boxes': { kind: 'object', control: true, reqs: (f) => [get(`/api/rounds/${f.roundId}/boxes`)] },
  'GET /api/rounds/:id/schedule': { kind: 'object', control: true, reqs: (f) => [get(`/api/rounds/${f.roundId}/schedule`)] },
  'GET /api/rounds/:id/slots': { kind: 'object', control: true, reqs: (f) => [get(`/api/rounds/${f.roundId}/slots`), get(`/api/rounds/${f.ownRoundId}/slots?placeId=${f.buildingId}`)] },
  'GET /api/rounds/:id/coverage': { kind: 'object', control: true, reqs: (f) => [get(`/api/rounds/${f.roundId}/coverage`), get(`/api/rounds/${f.ownRoundId}/coverage?placeId=${f.placeId}`)] },
  'GET /api/rounds/:id/missing': { kind: 'object', control: true, reqs: (f) => [get(`/api/rounds/${f.roundId}/missing`), get(`/api/rounds/${f.ownRoundId}/missing?placeId=${f.placeId}`)] },
  'GET /api/rounds/:id/missing.xlsx': { kind: 'object', control: true, reqs: (f) => [get(`/api/rounds/${f.roundId}/missing.xlsx`), get(`/api/rounds/${f.ownRoundId}/missing.xlsx?placeId=${f.placeId}`)] },
  'GET /api/recalls': { kind: 'list', control: true, reqs: (f) => [get(`/api/recalls?roundId=${f.roundId}`), get(`/api/recalls?campaignId=${f.campaignId}`)] },
  'GET /api/residents/:id/tests': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents/${f.residentId}/tests`)] },
  'GET /api/antigen/summary': { kind: 'object', control: true, reqs: (f) => [get(`/api/antigen/summary?placeId=${f.placeId}`)] },
  'GET /api/households/:id/antigen': { kind: 'object', control: true, reqs: (f) => [get(`/api/households/${f.householdId}/antigen`)] },
  'GET /api/residents/:id/antigen': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents/${f.residentId}/antigen`)] },
  // zones reads: a zone on another grid's building is neither listed nor its place's history read
  'GET /api/zones': { kind: 'object', control: true, reqs: (f) => [get(`/api/zones?placeId=${f.placeId}`), get('/api/zones?include=all')] },
  'GET /api/places/:id/zones': { kind: 'object', control: true, reqs: (f) => [get(`/api/places/${f.buildingId}/zones`)] },
  // colour reads: a resident outside my area answers as a missing one
  'GET /api/residents/:id/colour': { kind: 'object', control: true, reqs: (f) => [get(`/api/residents/${f.residentId}/colour`)] },
  // gates: another compound's gate answers as one that does not exist
  'GET /api/gates/:id/checks': { kind: 'object', control: true, reqs: (f) => [get(`/api/gates/${f.gateId}/checks`)] },
  // notices reads
  'GET /api/notices': { kind: 'list', control: true, reqs: (f) => [get(`/api/notices?roundId=${f.roundId}`), get('/api/notices')] },
  'GET /api/notices/:id': { kind: 'object', control: true, reqs: (f) => [get(`/api/notices/${f.noticeId}`)] },

  // registry writes
  'POST /api/users': { kind: 'object', reqs: (f, n) => [post('/api/users', { username: `probe-${n()}`, displayName: 'probe', role: 'volunteer', placeId: f.placeId, password: 'Probe-pass-2026' })] },
  'PATCH /api/users/:id': { kind: 'object', reqs: (f) => [patch(`/api/users/${f.userId}`, { displayName: '改名' }), patch(`/api/users/${f.userId}`, { disabled: true })] },
  'POST /api/users/:id/unlock': { kind: 'object', reqs: (f) => [post(`/api/users/${f.userId}/unlock`)] },
  'POST /api/places': { kind: 'object', reqs: (f) => [post('/api/places', { parentId: f.unitId, kind: 'unit', name: '偷建单元' }), post('/api/places', { parentId: f.buildingId, kind: 'unit', name: '偷建单元' })] },
  'PATCH /api/places/:id': { kind: 'object', reqs: (f) => [patch(`/api/places/${f.placeId}`, { name: '改名网格' })] },
  'POST /api/places/:id/move': { kind: 'object', reqs: (f) => [post(`/api/places/${f.buildingId}/move`, { parentId: f.ownPlaceId }), post(`/api/places/${f.ownPlaceId}/move`, { parentId: f.placeId })] },
  'POST /api/households': { kind: 'object', reqs: (f) => [post('/api/households', { placeId: f.unitId, room: '909' })] },
  'POST /api/residents': { kind: 'object', reqs: (f) => [post('/api/residents', { householdId: f.householdId, name: '偷偷', idNumber: freshId('19700101') })] },
  'PATCH /api/residents/:id': { kind: 'object', reqs: (f) => [patch(`/api/residents/${f.residentId}`, { name: '改名' }), patch(`/api/residents/${f.ownResidentId}`, { householdId: f.householdId })] },
  'POST /api/residents/:id/reveal-id': { kind: 'object', reqs: (f) => [post(`/api/residents/${f.residentId}/reveal-id`)] },
  'POST /api/imports/:id/commit': { kind: 'object', reqs: (f) => [post(`/api/imports/${f.importId}/commit`)] },

  // testing writes
  'POST /api/campaigns': {
    kind: 'object',
    reqs: (f) => [
      post('/api/campaigns', { name: '偷建', placeId: f.placeId, startsAt: inHour(1), endsAt: inHour(5) }),
      post('/api/campaigns', { name: '偷建', placeId: f.ownPlaceId, startsAt: inHour(1), endsAt: inHour(5), places: [{ placeId: f.placeId, mode: 'single' }] }),
    ],
  },
  'POST /api/campaigns/:id/rounds': { kind: 'object', reqs: (f) => [post(`/api/campaigns/${f.wCampaignId}/rounds`, { startsAt: inHour(30), endsAt: inHour(40) })] },
  'POST /api/campaigns/:id/sites': { kind: 'object', reqs: (f) => [post(`/api/campaigns/${f.wCampaignId}/sites`, { placeId: f.wSitePlaceId, name: '偷建采样点', lanes: 1 })] },
  'PATCH /api/sites/:id': { kind: 'object', reqs: (f) => [patch(`/api/sites/${f.wSiteId}`, { name: '改名采样点' })] },
  'PATCH /api/slots/:id': { kind: 'object', reqs: (f) => [patch(`/api/slots/${f.wSlotId}`, { startsAt: inHour(3), endsAt: inHour(4) })] },
  'POST /api/rounds/:id/schedule': { kind: 'object', reqs: (f) => [post(`/api/rounds/${f.wRoundId}/schedule`, { slotMinutes: 60 })] },
  'PUT /api/rounds/:id/exemptions/:residentId': {
    kind: 'object',
    // the round may be one the actor can read (a street-wide one): the resident is what must not be found
    missing: ['exemptResidentId', 'residentId'],
    reqs: (f) => [put(`/api/rounds/${f.wRoundId}/exemptions/${f.exemptResidentId}`, { reason: 'other' }), put(`/api/rounds/${f.ownRoundId}/exemptions/${f.residentId}`, { reason: 'other' })],
  },
  'DELETE /api/rounds/:id/exemptions/:residentId': { kind: 'object', missing: ['exemptResidentId'], reqs: (f) => [del(`/api/rounds/${f.wRoundId}/exemptions/${f.exemptResidentId}`)] },
  'POST /api/scans': { kind: 'object', reqs: (f, n) => [post('/api/scans', { key: key(), laneId: f.laneId, tube: `PRB-${n()}`, idNumber: f.ownIdNumber, mode: 'single' })] },
  'POST /api/scans/batch': { kind: 'object', reqs: (f, n) => [post('/api/scans/batch', { scans: [{ key: key(), laneId: f.laneId, tube: `PRB-${n()}`, idNumber: f.ownIdNumber, mode: 'single' }] })] },
  'POST /api/tubes/:barcode/seal': { kind: 'object', reqs: (f) => [post(`/api/tubes/${f.tube}/seal`)] },
  'POST /api/boxes': { kind: 'object', reqs: (f, n) => [post('/api/boxes', { barcode: `PRB-BOX-${n()}`, tubes: [f.tube] }), post('/api/boxes', { barcode: f.box, tubes: [f.tube] })] },
  'POST /api/boxes/:barcode/handover': { kind: 'object', reqs: (f) => [post(`/api/boxes/${f.box}/handover`, { carrier: '偷运' })] },
  'POST /api/boxes/:barcode/receive': { kind: 'object', reqs: (f) => [post(`/api/boxes/${f.box}/receive`, { labName: '偷收', tubes: [] })] },
  'POST /api/results': { kind: 'object', reqs: (f) => [post('/api/results', { results: [{ tube: f.tube, result: 'negative' }] })] },
  'POST /api/antigen/distributions': { kind: 'object', reqs: (f) => [post('/api/antigen/distributions', { key: key(), householdId: f.householdId, kits: 1 })] },
  'POST /api/antigen/reports': { kind: 'object', reqs: (f) => [post('/api/antigen/reports', { key: key(), residentId: f.residentId, result: 'negative' })] },
  'POST /api/antigen/alerts/:id/acknowledge': { kind: 'object', reqs: (f) => [post(`/api/antigen/alerts/${f.alertId}/acknowledge`)] },
  // notices: a place outside my area, a round I cannot read, a notice of another area
  'POST /api/notices/preview': {
    kind: 'object',
    reqs: (f) => [
      post('/api/notices/preview', { placeId: f.placeId, channels: ['inapp'], texts: { 'zh-CN': '探测' } }),
      post('/api/notices/preview', { placeId: f.ownPlaceId, list: 'missing', roundId: f.roundId, channels: ['inapp'], texts: { 'zh-CN': '探测' } }),
    ],
  },
  'POST /api/notices': {
    kind: 'object',
    reqs: (f) => [
      post('/api/notices', { key: key(), placeId: f.placeId, channels: ['inapp', 'sms'], texts: { 'zh-CN': '探测' } }),
      post('/api/notices', { key: key(), placeId: f.ownPlaceId, list: 'recall', roundId: f.roundId, channels: ['inapp'], texts: { 'zh-CN': '探测' } }),
    ],
  },
  'POST /api/notices/:id/resend': { kind: 'object', reqs: (f) => [post(`/api/notices/${f.noticeId}/resend`, { key: key(), channel: 'sms', only: 'unread' })] },
  'POST /api/rounds/:id/slot-notices': {
    kind: 'object',
    reqs: (f) => [
      post(`/api/rounds/${f.roundId}/slot-notices`, { key: key(), channels: ['inapp'] }),
      post(`/api/rounds/${f.ownRoundId}/slot-notices`, { key: key(), placeId: f.placeId, channels: ['inapp'] }),
    ],
  },
  // zones writes: declaring on a place outside my area (alone or beside one of mine), and changing a zone of another area
  'POST /api/zones': {
    kind: 'object',
    reqs: (f) => [
      post('/api/zones', { key: key(), placeIds: [f.buildingId], policy: 'prevention', reason: '探测' }),
      post('/api/zones', { key: key(), placeIds: [f.ownPlaceId, f.unitId], policy: 'prevention', reason: '探测' }),
    ],
  },
  'POST /api/zones/:id/reapply': { kind: 'object', reqs: (f) => [post(`/api/zones/${f.zoneId}/reapply`, { reason: '探测' })] },
  'POST /api/zones/:id/step-down': { kind: 'object', reqs: (f) => [post(`/api/zones/${f.zoneId}/step-down`, { reason: '探测' })] },
  'POST /api/zones/:id/lift': { kind: 'object', reqs: (f) => [post(`/api/zones/${f.zoneId}/lift`, { reason: '探测' })] },
  // a policy is the installation's, not an area's: every role but the administrator is refused alike
  'PUT /api/zone-policies/:key': {
    kind: 'object',
    reqs: () => [put('/api/zone-policies/sealed', { level: 'low', names: { 'zh-CN': '探测' }, movement: 'free', supply: 'shops', testEveryDays: null, testPerHousehold: false, stepDownDays: null, stepDownTo: null })],
  },
  // colour writes: an override or its revocation for a resident of another area, the answer to their appeal
  'POST /api/residents/:id/colour-override': { kind: 'object', reqs: (f) => [post(`/api/residents/${f.residentId}/colour-override`, { colour: 'red', reason: '探测', hours: 1 })] },
  'POST /api/residents/:id/colour-override/revoke': { kind: 'object', reqs: (f) => [post(`/api/residents/${f.residentId}/colour-override/revoke`, { reason: '探测' })] },
  'POST /api/colour-appeals/:id/answer': { kind: 'object', reqs: (f) => [post(`/api/colour-appeals/${f.appealId}/answer`, { outcome: 'changed', answer: '探测', colour: 'green' })] },
  'POST /api/gates/:id/checks': { kind: 'object', reqs: (f) => [post(`/api/gates/${f.gateId}/checks`, { key: key(), idNumber: f.ownIdNumber, direction: 'in' })] },
  'POST /api/gates/:id/checks/batch': { kind: 'object', reqs: (f) => [post(`/api/gates/${f.gateId}/checks/batch`, { checks: [{ key: key(), idNumber: f.ownIdNumber, direction: 'in' }] })] },
  'POST /api/gates/:id/visitors': {
    kind: 'object',
    reqs: (f) => [post(`/api/gates/${f.gateId}/visitors`, { key: key(), name: '探测', idNumber: freshId('19800101'), phone: '13900000000', visiting: '探测', purpose: '探测' })],
  },
  // the rules are the installation's: every role but the administrator is refused alike
  'PUT /api/colour-rules/:key': {
    kind: 'object',
    reqs: () => [put('/api/colour-rules/positive', { enabled: false, colour: 'yellow', params: { days: 1 }, names: { 'zh-CN': '探测' }, plain: { 'zh-CN': '探测' } })],
  },
  'POST /api/places/:id/archive': { kind: 'object', reqs: (f) => [post(`/api/places/${f.unitId}/archive`)] },
  // the residents' portal (resident sessions; a staff session gets 401 either way) and the code rotation
  'PUT /api/portal/acting-for': { kind: 'object', reqs: (f) => [put('/api/portal/acting-for', { residentId: f.residentId })] },
  'POST /api/portal/notices/:id/read': { kind: 'object', reqs: (f) => [post(`/api/portal/notices/${f.messageId}/read`)] },
  'POST /api/households/:id/codes/rotate': { kind: 'object', reqs: (f) => [post(`/api/households/${f.householdId}/codes/rotate`, { reason: '探测' })] },
  'DELETE /api/residents/:id': { kind: 'object', reqs: (f) => [del(`/api/residents/${f.residentId}`)] },
};

/** Multipart routes: the request is built from a form, so it is async. */
const FORM_PROBES: Record<string, (f: Target) => Promise<Req>> = {
  'POST /api/imports': (f) => formReq('/api/imports', multipart({ communityId: String(f.placeId) }, { name: 'l.csv', data: `姓名,身份证号\n偷偷,${freshId()}\n` })),
  'POST /api/results/import': (f) => formReq('/api/results/import', multipart({}, { name: 'results.csv', data: `tube,result\n${f.tube},negative\n` })),
};

/** Routes with an id-like parameter that need no probe, and why. */
export const EXEMPT: Record<string, string> = {
  'GET /api/docs/*': 'the API documentation: the wildcard is a static file path, no data',
  'GET /api/docs/static/index.html': 'the API documentation page',
  'GET /api/docs/static/swagger-initializer.js': 'the API documentation page',
};

// ---------------------------------------------------------------- answers

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string; rawPayload: Buffer; json(): unknown };

async function send(client: Client, req: Req, timeoutMs = 5000): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Answer>((resolve) => {
    timer = setTimeout(() => resolve({ statusCode: 200, headers: {}, body: '(no answer within 5 s: an open stream)', rawPayload: Buffer.alloc(0), json: () => ({}) }), timeoutMs);
  });
  try {
    return await Promise.race([client.inject(req) as unknown as Promise<Answer>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** status and error code(s): what must be the same for a foreign object and a missing one */
function signature(a: Answer): string {
  let codes: string;
  try {
    const j = a.json() as { error?: { code?: string }; items?: { error?: { code?: string } }[] };
    codes = j.error?.code ?? (Array.isArray(j.items) ? j.items.map((i) => i.error?.code ?? 'ok').join(',') : '');
  } catch {
    codes = '';
  }
  return `${a.statusCode} ${codes}`.trim();
}

/** The answer as text, spreadsheets unpacked. */
async function text(a: Answer): Promise<string> {
  const type = String(a.headers['content-type'] ?? '');
  if (type.includes('spreadsheet')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(a.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((s) => s.eachRow((r) => r.eachCell((c) => void cells.push(String(c.text)))));
    return cells.join('\n');
  }
  return a.body;
}

/** A fingerprint of every table but the audit log and sessions: a refused write changes none of them. */
async function snapshot(t: TestApp): Promise<Map<string, string>> {
  const { rows: tables } = await t.ctx.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_log', 'sessions') ORDER BY table_name`,
  );
  const sql = tables.map((r) => `SELECT '${r.table_name}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${r.table_name} x`).join(' UNION ALL ');
  const { rows } = await t.ctx.db.query<{ t: string; h: string }>(sql);
  return new Map(rows.map((r) => [r.t, r.h]));
}
function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...a.keys()].filter((k) => a.get(k) !== b.get(k));
}

/** Runs one probe for one actor; returns what was wrong, or nothing. */
async function runProbe(w: World, route: string, actor: Actor, counter: () => number): Promise<string[]> {
  const probe: Probe = PROBES[route] ?? { kind: 'object', reqs: () => [] };
  const write = !route.startsWith('GET ');
  const make = async (f: Target) => (FORM_PROBES[route] ? [await FORM_PROBES[route](f)] : probe.reqs(f, counter));
  const reqs = await make(actor.target);
  const misses = await make(missingOf(actor.target, probe.missing));
  const problems: string[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const miss = await send(actor.client, misses[i]);
    const before = write ? await snapshot(w.t) : undefined;
    const res = await send(actor.client, reqs[i]);
    const after = write ? await snapshot(w.t) : undefined;
    const same = signature(res) === signature(miss);
    const body = res.statusCode < 300 ? await text(res) : '';
    const seen = actor.markers.filter((m) => body.includes(m));
    const where = `${actor.label} ${reqs[i].method} ${reqs[i].url}`;
    const wrong = seen.length > 0 || (probe.kind === 'object' ? !same : !same && res.statusCode >= 300);
    if (wrong) problems.push(`${where}: got ${signature(res)}, a missing id gets ${signature(miss)}${seen.length ? `; shows ${seen.join(', ')}` : ''} — ${res.body.slice(0, 200)}`);
    if (before && after) {
      const diff = changed(before, after);
      if (diff.length) problems.push(`${where}: changed ${diff.join(', ')} (answer ${signature(res)})`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- the tests

describe('every route with an id, barcode or place has a scope probe', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists all routes, including those hidden from the API document', () => {
    const routes = listRoutes(t.app);
    expect(routes.length).toBeGreaterThan(60);
    expect(routes).toContain('GET /api/tubes/:barcode');
    expect(routes).toContain('GET /api/docs/json'); // hidden from swagger, still listed
  });

  it('the probe table names every such route, and only routes that exist', () => {
    const routes = listRoutes(t.app);
    const needing = routesWithIds(t.app, routes);
    const probed = new Set([...Object.keys(PROBES), ...Object.keys(FORM_PROBES), ...Object.keys(EXEMPT)]);
    expect(needing.filter((r) => !probed.has(r)), 'routes with an id, barcode or place parameter but no probe: add one to PROBES').toEqual([]);
    expect([...probed].filter((r) => !routes.includes(r)), 'probes for routes that no longer exist').toEqual([]);
  });
});

describe('outside my area, an object answers like a missing one', () => {
  const w = {} as World;
  let n = 0;
  const counter = () => ++n;
  beforeAll(async () => {
    const t = await startTestApp();
    Object.assign(w, await buildWorld(t));
  }, 120_000);
  afterAll(() => w.t.close());

  it('every probed read aims at something real: the administrator gets it', async () => {
    const broken: string[] = [];
    for (const [route, probe] of Object.entries(PROBES)) {
      if (!probe.control) continue;
      for (const target of [w.lowTarget, w.officerTarget]) {
        const req = probe.reqs(target, counter)[0];
        const res = await send(w.admin, req);
        if (res.statusCode !== 200) broken.push(`${route} ${req.url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  for (const route of [...Object.keys(PROBES).filter((r) => !FORM_PROBES[r]), ...Object.keys(FORM_PROBES)]) {
    it(route, async () => {
      const problems: string[] = [];
      for (const actor of w.actors) problems.push(...(await runProbe(w, route, actor, counter)));
      expect(problems).toEqual([]);
    }, 60_000);
  }
});

// ---------------------------------------------------------------- known leaks, pinned one by one

/** Every key of a JSON value, at any depth. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}
const PERSON_KEYS = ['phone', 'address', 'idMasked', 'idNumber'];

describe('known leaks (regression cases)', () => {
  const w = {} as World;
  beforeAll(async () => {
    const t = await startTestApp();
    Object.assign(w, await buildWorld(t));
  }, 120_000);
  afterAll(() => w.t.close());

  it("a grid worker of grid A reading a tube sampled at their compound does not see grid B's people", async () => {
    const gridWorker = w.actors.find((a) => a.label === 'grid_worker@gridA')!.client;
    const res = await gridWorker.get(`/api/tubes/${w.mixedTube}`);
    const [liu] = w.town.c1.b.people.slice(1);
    if (res.statusCode === 404) return;
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(liu.name);
    expect(res.body).not.toContain(liu.phone);
  });

  it('a community officer can read a street-wide campaign but not add rounds or sites to it, nor re-plan or move its slots', async () => {
    const officer = w.officer1;
    const s = w.street;
    expect((await officer.get(`/api/campaigns/${s.campaignId}`)).statusCode).toBe(200);
    const before = await snapshot(w.t);
    const slots = (await ok<{ items: { id: number }[] }>(w.admin.get(`/api/rounds/${s.roundId}/slots`), 200)).items;
    const answers = [
      await officer.post(`/api/rounds/${s.roundId}/schedule`, { slotMinutes: 60 }),
      await officer.post(`/api/campaigns/${s.campaignId}/rounds`, { startsAt: inHour(30), endsAt: inHour(40) }),
      await officer.post(`/api/campaigns/${s.campaignId}/sites`, { placeId: w.town.c1.compound, name: '社区自建采样点', lanes: 1 }),
      await officer.patch(`/api/sites/${s.siteId}`, { name: '改名' }),
      await officer.patch(`/api/slots/${slots[0].id}`, { startsAt: inHour(3), endsAt: inHour(4) }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map((a) => (a.statusCode === 403 ? 403 : 404)));
    expect(changed(before, await snapshot(w.t))).toEqual([]);
  });

  it('lab operators and volunteers (no registry.read) read no names, phones or addresses through tubes, the missing list and recalls', async () => {
    const { lab_operator: lab } = await staffAt(w.t, w.admin, w.town.district, 'lab-d', ['lab_operator']);
    const { volunteer } = await staffAt(w.t, w.admin, w.town.c1.community, 'vol-c1', ['volunteer']);
    const names = [...w.town.c1.a.people, ...w.town.c1.b.people].flatMap((p) => [p.name, p.phone]);
    const found: string[] = [];
    for (const [who, c] of [['lab_operator', lab!], ['volunteer', volunteer!]] as const) {
      for (const url of [`/api/tubes/C1-B-01`, `/api/tubes/${w.mixedTube}`, `/api/rounds/${w.camp1.roundId}/missing`, `/api/recalls?roundId=${w.camp1.roundId}`]) {
        const res = await c.get(url);
        if (res.statusCode === 403) continue;
        const keys = [...keysOf(res.json())].filter((k) => PERSON_KEYS.includes(k));
        const seen = names.filter((n) => res.body.includes(n));
        if (keys.length || seen.length) found.push(`${who} ${url}: ${res.statusCode} keys ${keys.join(',')} shows ${seen.join(',')}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("an archived resident's antigen results and test history both answer 404, the same way", async () => {
    const p = await household(w.admin, w.town.c1.a.unit, '909', [{ name: '搬走了', phone: '13900003999' }]);
    const id = p.people[0].id;
    await antigen(w.admin, p.householdId, id, 'negative');
    await ok(w.admin.del(`/api/residents/${id}`), 200);
    const ag = await w.admin.get(`/api/residents/${id}/antigen`);
    const tests = await w.admin.get(`/api/residents/${id}/tests`);
    const none = await w.admin.get(`/api/residents/${NONE}/tests`);
    expect([ag.statusCode, tests.statusCode]).toEqual([404, 404]);
    expect((ag.json() as { error: { code: string } }).error.code).toBe((tests.json() as { error: { code: string } }).error.code);
    expect((tests.json() as { error: { code: string } }).error.code).toBe((none.json() as { error: { code: string } }).error.code);
  });
});

describe('known leak: the box list of a district-wide round', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('an officer sees their own box even behind 500 newer boxes elsewhere', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const town = await buildTown(admin);
    const round = await campaign(admin, { name: '全区核酸', ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c1.compound, siteName: '平江里采样点' });
    const far = await ok<{ id: number }>(admin.post(`/api/campaigns/${round.campaignId}/sites`, { placeId: town.c2.compound, name: '桃园采样点', lanes: 1 }), 201);
    await tube(admin, round.laneId, 'MINE-T-01', [town.c1.a.people[0]]);
    await ok(admin.post('/api/boxes', { barcode: 'BOX-MINE', tubes: ['MINE-T-01'] }), 200);
    // 501 newer boxes at community 2's site, written directly: the API would take minutes
    await t.ctx.db.query(
      `INSERT INTO boxes (round_id, barcode, site_id, packed_at)
       SELECT $1, 'FAR-' || lpad(g::text, 4, '0'), $2, now() + interval '1 hour' + g * interval '1 second' FROM generate_series(1, 501) g`,
      [round.roundId, far.id],
    );
    const { community_officer: officer } = await staffAt(t, admin, town.c1.community, 'c1', ['community_officer']);
    const items = (await ok<{ items: { barcode: string }[] }>(officer!.get(`/api/rounds/${round.roundId}/boxes`), 200)).items;
    expect(items.map((b) => b.barcode)).toContain('BOX-MINE');
    expect(items.some((b) => b.barcode.startsWith('FAR-'))).toBe(false);
  }, 60_000);
});
