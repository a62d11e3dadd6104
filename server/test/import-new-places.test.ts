// The import's dry run names the places it will create, with the rows that create them, so a
// misspelt compound is seen before the commit instead of becoming a new one.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, startTestApp, ADMIN_PASSWORD, type Client, type TestApp } from './helpers.js';
import { buildTown, freshId, ok, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin);
});
afterAll(() => t?.close());

interface Planned {
  kind: string;
  name: string;
  names: string[];
  rows: number[];
  rowCount: number;
}

async function dryRun(rows: string[]) {
  const form = new FormData();
  form.append('communityId', String(town.c1.community));
  form.append('unknownPlaces', 'create');
  form.append('file', new Blob([`姓名,身份证号,手机号,小区,楼栋,单元,房号\n${rows.join('\n')}\n`]), 'ledger.csv');
  const res = new Response(form);
  const r = await admin.inject({ method: 'POST', url: '/api/imports', payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } });
  expect(r.statusCode).toBe(202);
  const id = r.json().job.id as string;
  for (let i = 0; i < 400; i++) {
    const { job } = await ok<{ job: { status: string; summary: { placesToCreate: number }; placesToCreate: Planned[] } }>(admin.get(`/api/imports/${id}`));
    if (job.status !== 'validating') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('dry run did not finish');
}

it('lists each new place with its path and the rows that name it; existing places are not listed', async () => {
  const person = (i: number, compound: string, building: string) => `居民${i},${freshId('19700101')},1380000${1000 + i},${compound},${building},1单元,${100 + i}`;
  const job = await dryRun([
    person(1, '幸福里小区', '1号楼'), // row 2: all of it exists (grid A's building, found through the compound's grids)
    person(2, '幸福理小区', '1号楼'), // row 3: a misspelt compound: three new places
    person(3, '幸福理小区', '1号楼'), // row 4: the same again
    person(4, '幸福里小区', '9号楼'), // row 5: a new building in the existing compound, and its unit
  ]);
  expect(job.status).toBe('validated');
  expect(job.summary.placesToCreate).toBe(5);
  const byPath = Object.fromEntries(job.placesToCreate.map((p) => [p.names.join(' / '), p]));
  expect(Object.keys(byPath).sort()).toEqual(['幸福理小区', '幸福理小区 / 1号楼', '幸福理小区 / 1号楼 / 1单元', '幸福里小区 / 9号楼', '幸福里小区 / 9号楼 / 1单元'].sort());
  expect(byPath['幸福理小区']).toMatchObject({ kind: 'compound', name: '幸福理小区', rows: [3, 4], rowCount: 2 });
  expect(byPath['幸福理小区 / 1号楼 / 1单元']).toMatchObject({ kind: 'unit', rows: [3, 4] });
  expect(byPath['幸福里小区 / 9号楼']).toMatchObject({ kind: 'building', name: '9号楼', rows: [5], rowCount: 1 });
  // parents come before their children
  const order = job.placesToCreate.map((p) => p.names.join(' / '));
  expect(order.indexOf('幸福理小区')).toBeLessThan(order.indexOf('幸福理小区 / 1号楼'));
});

it('keeps the first five rows of a place and counts the rest', async () => {
  const rows = Array.from({ length: 8 }, (_, i) => `居民${20 + i},${freshId('19710101')},1380000${2000 + i},新建花园,1号楼,1单元,${200 + i}`);
  const job = await dryRun(rows);
  const compound = job.placesToCreate.find((p) => p.kind === 'compound')!;
  expect(compound).toMatchObject({ name: '新建花园', rows: [2, 3, 4, 5, 6], rowCount: 8 });
});
