// Exports are audited before the first byte (issue 11, 1): a full-ID export cut off at 90% once
// left no audit row at all, because the row was written after the stream ended. Here the
// export's page query is held back, the download is cut off as soon as its headers arrive, and
// the audit row must already be there.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildTown, campaign, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
let roundId: number;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, '-ea');
  roundId = (await campaign(admin, { name: '导出审计', ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c1.compound, siteName: '一号点' })).roundId;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => t?.close());

/** Holds back every query whose text matches until released: the export cannot get past its first page. */
function holdQueries(match: RegExp) {
  const db = t.ctx.db;
  const original = db.query.bind(db);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  db.query = (async (text: unknown, params?: unknown[]) => {
    const s = typeof text === 'string' ? text : (text as { text: string }).text;
    if (match.test(s)) await gate;
    return original(text as string, params);
  }) as typeof db.query;
  return () => {
    release();
    db.query = original;
  };
}

/** Starts a download, and cuts it off as soon as the headers are in; answers the status. */
function cutOff(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${url}`, { headers: { cookie: `fk_session=${admin.token}` } }, (res) => {
      resolve(res.statusCode!);
      req.destroy();
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
  });
}

/** The newest audit row id: each test counts only the rows written after it, so tests hold in any order. */
const lastAuditId = async () => Number((await t.ctx.db.query<{ id: string | null }>('SELECT max(id) AS id FROM audit_log')).rows[0].id ?? 0);

const rowsOf = async (action: string, after: number) =>
  (
    await t.ctx.db.query<{ action: string; detail: Record<string, unknown> | null }>('SELECT action, detail FROM audit_log WHERE action = $1 AND id > $2', [
      action,
      after,
    ])
  ).rows;

describe('an export cut off before its first byte is audited', () => {
  it('a full-ID resident export', async () => {
    const before = await lastAuditId();
    const release = holdQueries(/SELECT r\.\*, h\.room FROM residents/);
    try {
      expect(await cutOff('/api/residents/export.xlsx?fullIds=true')).toBe(200);
      const rows = await rowsOf('resident.export', before);
      expect(rows).toHaveLength(1);
      expect(rows[0].detail).toMatchObject({ fullIds: true });
    } finally {
      release();
    }
    // cut off: no row says it finished
    await new Promise((r) => setTimeout(r, 200));
    expect(await rowsOf('resident.export_finished', before)).toHaveLength(0);
  });

  it('the missing list', async () => {
    const before = await lastAuditId();
    const release = holdQueries(/NOT EXISTS \(SELECT 1 FROM samples x/);
    try {
      expect(await cutOff(`/api/rounds/${roundId}/missing.xlsx`)).toBe(200);
      expect(await rowsOf('coverage.export_missing', before)).toHaveLength(1);
    } finally {
      release();
    }
  });

  it('a download read to the end adds the count', async () => {
    const before = await lastAuditId();
    expect((await admin.get(`/api/rounds/${roundId}/missing.xlsx`)).statusCode).toBe(200);
    // the row after the last byte lands just after the answer ends
    await expect.poll(async () => (await rowsOf('coverage.export_missing_finished', before)).map((r) => r.detail?.count)).toContain(8);
  });
});
