// Live streams per account (issue 11, availability): one grid worker's 200 board streams slowed
// every scan. An account holds at most STREAMS_PER_USER live streams; the next is refused 429
// until one of them closes. Real HTTP connections (listen on port 0 + fetch), as a browser holds them.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildDistrict, createStaff, type District } from './fixtures.js';
import { campaign } from './factories.js';

const MAX = 2;
let t: TestApp;
let admin: Client;
let d: District;
let base: string;
let campaignId: number;

beforeAll(async () => {
  t = await startTestApp({ maxStreamsPerUser: MAX });
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  d = await buildDistrict(admin);
  ({ campaignId } = await campaign(admin, { name: '限流测试', ownerPlaceId: d.community, coverPlaceIds: [d.compound], sitePlaceId: d.compound, siteName: '广场' }));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  t.app.server.closeAllConnections(); // a failed test may leave a stream open
  await t.close();
});

/** Opens the board stream and reads its first event; the caller cancels it. */
async function open(token: string) {
  const res = await fetch(`${base}/api/campaigns/${campaignId}/board/stream`, { headers: { cookie: `fk_session=${token}` } });
  if (res.status !== 200) return { res, close: async () => undefined };
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
  expect(text).toContain('event: board');
  return { res, close: () => reader.cancel() };
}

describe('live streams per account', () => {
  it(`holds ${MAX} streams and refuses the next with 429 until one closes; another account keeps its own`, async () => {
    await createStaff(admin, 'watcher', 'community_officer', d.community);
    await createStaff(admin, 'watcher2', 'community_officer', d.community);
    const me = await signIn(t.app, 'watcher', 'Staff-pass-2026');
    const other = await signIn(t.app, 'watcher2', 'Staff-pass-2026');

    const held = [];
    for (let i = 0; i < MAX; i++) {
      const s = await open(me.token);
      expect(s.res.status).toBe(200);
      held.push(s);
    }
    const refused = await open(me.token);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.res.json()) as { error: { code: string; messages: Record<string, string> } };
    expect(body.error).toMatchObject({ code: 'STREAMS_TOO_MANY', status: 429 });
    expect(body.error.messages['zh-CN']).toContain(String(MAX));
    expect(body.error.messages['en-US']).toContain(String(MAX));

    const theirs = await open(other.token);
    expect(theirs.res.status).toBe(200);

    // one closed: its place comes back (once the server has seen the socket close)
    await held.pop()!.close();
    const reopen = async () => {
      let s = await open(me.token);
      for (let i = 0; i < 50 && s.res.status === 429; i++) {
        await new Promise((r) => setTimeout(r, 50));
        s = await open(me.token);
      }
      return s;
    };
    const again = await reopen();
    expect(again.res.status).toBe(200);
    // streams refused for a missing campaign give their places back at once
    await again.close();
    const missing = () => fetch(`${base}/api/campaigns/999999/board/stream`, { headers: { cookie: `fk_session=${me.token}` } }).then(async (r) => (await r.text(), r.status));
    let status = await missing();
    for (let i = 0; i < 50 && status === 429; i++) {
      await new Promise((r) => setTimeout(r, 50)); // until the server has seen that socket close
      status = await missing();
    }
    expect(status).toBe(404);
    for (let i = 0; i < MAX; i++) expect(await missing()).toBe(404);
    const last = await reopen();
    expect(last.res.status).toBe(200);

    await Promise.all([last.close(), theirs.close(), ...held.map((s) => s.close())]);
  });
});
