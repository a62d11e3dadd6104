// The hard rule: a grid worker of grid A cannot read, search, export or guess grid B's residents.
// The district is built once and only read; a test that needs a row (an audit entry) makes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Client, type TestApp } from './helpers.js';
import { useDistrictApp, createStaff, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
let gridA: Client;
beforeAll(async () => {
  ({ t, admin, d } = env);
  await createStaff(admin, 'grid-a', 'grid_worker', d.gridA);
  gridA = await signIn(t.app, 'grid-a', 'Staff-pass-2026');
});

describe('place scope', () => {
  it('lists and searches only their own grid', async () => {
    const all = (await gridA.get('/api/residents')).json().items.map((r: { id: number }) => r.id);
    expect(all).toEqual([d.residentA]);
    expect((await gridA.get(`/api/residents?q=${d.idB}`)).json().items).toEqual([]);
    expect((await gridA.get(`/api/residents?idNumber=${d.idB}`)).json().items).toEqual([]);
    expect((await gridA.get('/api/residents?q=13987654321')).json().items).toEqual([]);
    expect((await gridA.get(`/api/residents?q=${encodeURIComponent('李')}`)).json().items).toEqual([]);
  });

  it('cannot read, reveal, edit or archive grid B residents by guessing their id — same answer as a missing one', async () => {
    const read = await gridA.get(`/api/residents/${d.residentB}`);
    const missing = await gridA.get('/api/residents/987654');
    expect(read.statusCode).toBe(404);
    expect(read.json().error.code).toBe(missing.json().error.code);
    expect((await gridA.post(`/api/residents/${d.residentB}/reveal-id`)).statusCode).toBe(404);
    expect((await gridA.patch(`/api/residents/${d.residentB}`, { name: 'x' })).statusCode).toBe(404);
    expect((await gridA.del(`/api/residents/${d.residentB}`)).statusCode).toBe(404);
    expect((await gridA.get(`/api/households/${d.householdB}`)).statusCode).toBe(404);
    expect((await gridA.post('/api/residents', { householdId: d.householdB, name: '偷偷', idNumber: d.idA })).statusCode).toBe(404);
  });

  it('cannot filter by, browse or count another grid', async () => {
    expect((await gridA.get(`/api/residents?placeId=${d.gridB}`)).statusCode).toBe(404);
    expect((await gridA.get(`/api/places/${d.gridB}`)).statusCode).toBe(404);
    expect((await gridA.get(`/api/places/${d.compound}/children`)).statusCode).toBe(404);
    expect((await gridA.get(`/api/households?placeId=${d.unitB}`)).statusCode).toBe(404);
    const roots = (await gridA.get('/api/places/roots')).json().items;
    expect(roots.map((p: { id: number; residents: number }) => [p.id, p.residents])).toEqual([[d.gridA, 1]]);
  });

  it('exports only their grid', async () => {
    const res = await gridA.get('/api/residents/export.xlsx');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = (book.worksheets[0].getColumn(1).values as string[]).slice(2);
    expect(names).toEqual(['张伟']);
    expect((await gridA.get(`/api/residents/export.xlsx?placeId=${d.gridB}`)).statusCode).toBe(404);
  });

  it('sees the ID number of their own residents only by the logged reveal', async () => {
    expect((await gridA.post(`/api/residents/${d.residentA}/reveal-id`)).json().idNumber).toBe(d.idA);
  });

  it('cannot read the audit log; the command center can', async () => {
    expect((await gridA.get('/api/audit')).statusCode).toBe(403);
    await gridA.post(`/api/residents/${d.residentA}/reveal-id`); // the row this test looks for, made here
    await createStaff(admin, 'center', 'command_center', d.district);
    const center = await signIn(t.app, 'center', 'Staff-pass-2026');
    const items = (await center.get('/api/audit?action=resident.reveal_id')).json().items;
    expect(items.some((a: { username: string }) => a.username === 'grid-a')).toBe(true);
  });

  it('a volunteer or lab operator cannot read the registry at all', async () => {
    await createStaff(admin, 'vol', 'volunteer', d.community);
    const vol = await signIn(t.app, 'vol', 'Staff-pass-2026');
    expect((await vol.get('/api/residents')).statusCode).toBe(403);
  });
});
