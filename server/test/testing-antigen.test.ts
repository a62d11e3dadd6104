// Antigen kits: distribution to households, reports by grid workers and by residents with
// their personal code, positives as alerts to the community, idempotent device writes.
// Every test gets its own app and district (the summaries count everything in it) and makes the
// kits and reports it looks for with the steps below, so the tests pass in any order.
import crypto from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { residentCode } from '../src/platform/codes.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { createStaff, useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp({ each: true });
let t: TestApp;
let admin: Client;
let d: District;
let gridA: Client;
let gridB: Client;
const key = () => crypto.randomUUID();

beforeEach(async () => {
  ({ t, admin, d } = env);
  await createStaff(admin, 'ag-grid-a', 'grid_worker', d.gridA);
  await createStaff(admin, 'ag-grid-b', 'grid_worker', d.gridB);
  gridA = await signIn(t.app, 'ag-grid-a', 'Staff-pass-2026');
  gridB = await signIn(t.app, 'ag-grid-b', 'Staff-pass-2026');
});

/** Grid A's worker hands household A four kits. */
async function fourKitsToA() {
  const r = await gridA.post('/api/antigen/distributions', { key: key(), householdId: d.householdA, kits: 4 });
  expect(r.statusCode, r.body).toBeLessThan(300);
}
/** Resident B reports a positive with their code; grid B's worker acknowledges the alert. */
async function positiveFromBAcknowledged() {
  const r = await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: key(), code: residentCode(t.ctx.vault, d.residentB), result: 'positive' } });
  expect(r.statusCode, r.body).toBeLessThan(300);
  const [alert] = (await gridB.get('/api/antigen/alerts?open=true')).json().items;
  expect((await gridB.post(`/api/antigen/alerts/${alert.id}/acknowledge`)).json().acknowledged).toBe(true);
}
/** Grid A's worker reports resident A: negative now, or `result` at `testedAt`. */
async function reportForA(result: string, testedAt?: string) {
  const r = await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentA, result, ...(testedAt ? { testedAt } : {}) });
  expect(r.statusCode, r.body).toBeLessThan(300);
}

describe('antigen kits', () => {
  it('hands kits to a household once per key, only in my grid', async () => {
    const k = key();
    const first = await gridA.post('/api/antigen/distributions', { key: k, householdId: d.householdA, kits: 4 });
    expect(first.json()).toMatchObject({ kits: 4, householdTotal: 4, replay: false });
    expect((await gridA.post('/api/antigen/distributions', { key: k, householdId: d.householdA, kits: 4 })).json()).toMatchObject({ householdTotal: 4, replay: true });
    expect((await gridA.post('/api/antigen/distributions', { key: key(), householdId: d.householdB, kits: 4 })).json().error.code).toBe('HOUSEHOLD_NOT_FOUND');
    expect((await gridA.post('/api/antigen/distributions', { key: key(), householdId: d.householdA, kits: 0 })).json().error.field).toBe('kits');
    const s = (await admin.get(`/api/antigen/summary?placeId=${d.compound}`)).json();
    expect(s).toMatchObject({ households: 2, reached: 1, kits: 4 });
  });

  it('a positive reported by a resident with their code is an alert for their grid, until acknowledged', async () => {
    const code = residentCode(t.ctx.vault, d.residentB);
    const k = key();
    const self = await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: k, code, result: 'positive' } });
    expect(self.json()).toEqual({ received: true, replay: false, name: '李*' });
    expect((await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: k, code, result: 'positive' } })).json().replay).toBe(true);
    const forged = await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: key(), code: code.slice(0, -2) + 'xx', result: 'positive' } });
    expect(forged.json().error).toMatchObject({ code: 'CODE_INVALID', field: 'code' });

    expect((await gridA.get('/api/antigen/alerts?open=true')).json().items).toEqual([]);
    const alerts = (await gridB.get('/api/antigen/alerts?open=true')).json().items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ resident: { name: '李娜' }, reportedBy: null, gridWorkers: [{ name: 'ag-grid-b' }] });
    expect((await gridB.post(`/api/antigen/alerts/${alerts[0].id}/acknowledge`)).json().acknowledged).toBe(true);
    expect((await gridB.get('/api/antigen/alerts?open=true')).json().items).toEqual([]);
  });

  it('a grid worker reports for a resident of their grid only', async () => {
    await positiveFromBAcknowledged();
    const r = await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentA, result: 'negative' });
    expect(r.json()).toMatchObject({ alert: false, replay: false });
    expect((await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentB, result: 'negative' })).statusCode).toBe(404);
    const bad = await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentA, result: 'maybe' });
    expect(bad.json().error.field).toBe('result');
    const s = (await admin.get('/api/antigen/summary')).json();
    expect(s).toMatchObject({ reports: { negative: 1, positive: 1, invalid: 0 }, openAlerts: 0 });
  });

  it("the household page: kits with who and when, and its members' results, newest test first, only in my area", async () => {
    await fourKitsToA();
    await positiveFromBAcknowledged();
    await reportForA('negative');
    const earlier = new Date(Date.now() - 2 * 3600_000).toISOString();
    await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentA, result: 'invalid', testedAt: earlier });
    const h = (await gridA.get(`/api/households/${d.householdA}/antigen`)).json();
    expect(h.kitsTotal).toBe(4);
    expect(h.distributions).toEqual([{ id: expect.any(Number), at: expect.any(String), kits: 4, by: 'ag-grid-a' }]);
    expect(h.reports.map((r: { result: string }) => r.result)).toEqual(['negative', 'invalid']);
    expect(h.reports[1]).toMatchObject({ residentId: d.residentA, name: '张伟', testedAt: earlier, by: 'ag-grid-a', acknowledgedAt: null });
    expect((await gridA.get(`/api/households/${d.householdB}/antigen`)).json().error.code).toBe('HOUSEHOLD_NOT_FOUND');

    // the resident's own report says so (by: null), and the alert's acknowledgement shows
    const b = (await admin.get(`/api/households/${d.householdB}/antigen`)).json();
    expect(b).toMatchObject({ distributions: [], kitsTotal: 0, reports: [{ name: '李娜', result: 'positive', by: null }] });
    expect(b.reports[0].acknowledgedAt).not.toBeNull();
  });

  it("a resident's results for their page, only in my area", async () => {
    await positiveFromBAcknowledged();
    const mine = (await gridB.get(`/api/residents/${d.residentB}/antigen`)).json();
    expect(mine.items).toEqual([expect.objectContaining({ residentId: d.residentB, result: 'positive', by: null })]);
    expect((await gridA.get(`/api/residents/${d.residentB}/antigen`)).statusCode).toBe(404);
  });

  it('counts open alerts for the menu, and sums up per child place', async () => {
    await fourKitsToA();
    await positiveFromBAcknowledged();
    await reportForA('negative');
    await reportForA('invalid', new Date(Date.now() - 2 * 3600_000).toISOString());
    const code = residentCode(t.ctx.vault, d.residentA);
    await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: key(), code, result: 'positive' } });
    expect((await gridA.get('/api/antigen/alerts/count')).json()).toEqual({ open: 1 });
    expect((await gridB.get('/api/antigen/alerts/count')).json()).toEqual({ open: 0 });

    const s = (await admin.get(`/api/antigen/summary?placeId=${d.compound}&by=children`)).json();
    expect(s).toMatchObject({ households: 2, reached: 1, kits: 4, reports: { negative: 1, positive: 2, invalid: 1 }, openAlerts: 1 });
    expect(s.rows).toEqual([
      { placeId: d.gridA, name: '第一网格', kind: 'grid', households: 1, reached: 1, kits: 4, reports: { negative: 1, positive: 1, invalid: 1 }, openAlerts: 1 },
      { placeId: d.gridB, name: '第二网格', kind: 'grid', households: 1, reached: 0, kits: 0, reports: { negative: 0, positive: 1, invalid: 0 }, openAlerts: 0 },
    ]);
    // my own area when no place is named; a grid worker's children are their buildings
    const mineA = (await gridA.get('/api/antigen/summary?by=children')).json();
    expect(mineA.rows).toMatchObject([{ placeId: d.buildingA, kits: 4, openAlerts: 1 }]);
    expect((await gridA.get(`/api/antigen/summary?placeId=${d.gridB}`)).json().error.code).toBe('PLACE_NOT_FOUND');

    const [alert] = (await gridA.get('/api/antigen/alerts?open=true')).json().items;
    await gridA.post(`/api/antigen/alerts/${alert.id}/acknowledge`);
    expect((await gridA.get('/api/antigen/alerts/count')).json()).toEqual({ open: 0 });
  });
});
