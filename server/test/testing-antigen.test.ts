// Antigen kits: distribution to households, reports by grid workers and by residents with
// their personal code, positives as alerts to the community, idempotent device writes.
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { residentCode } from '../src/platform/codes.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { createStaff, useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
let gridA: Client;
let gridB: Client;
const key = () => crypto.randomUUID();

beforeAll(async () => {
  ({ t, admin, d } = env);
  await createStaff(admin, 'ag-grid-a', 'grid_worker', d.gridA);
  await createStaff(admin, 'ag-grid-b', 'grid_worker', d.gridB);
  gridA = await signIn(t.app, 'ag-grid-a', 'Staff-pass-2026');
  gridB = await signIn(t.app, 'ag-grid-b', 'Staff-pass-2026');
});

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
    const r = await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentA, result: 'negative' });
    expect(r.json()).toMatchObject({ alert: false, replay: false });
    expect((await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentB, result: 'negative' })).statusCode).toBe(404);
    const bad = await gridA.post('/api/antigen/reports', { key: key(), residentId: d.residentA, result: 'maybe' });
    expect(bad.json().error.field).toBe('result');
    const s = (await admin.get('/api/antigen/summary')).json();
    expect(s).toMatchObject({ reports: { negative: 1, positive: 1, invalid: 0 }, openAlerts: 0 });
  });
});
