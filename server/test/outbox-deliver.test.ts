// The outbox's dispatcher (modules/outbox/deliver.ts) on this suite's database: claims, outcomes,
// retries with backoff, leases, pacing, SMPP receipts against the local SMSC, the in-app event,
// exactly-once with two dispatchers, and the development SMS page with the app's own dispatcher.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/client.js';
import { sql } from '../src/db/sql.js';
import {
  ChannelError,
  createDispatcher,
  INAPP_TOPIC,
  notifyQueued,
  outboxModule,
  queueMessages,
  type Channel,
  type ChannelName,
  type DispatcherOptions,
  type OutboundMessage,
} from '../src/modules/outbox/index.js';
import { createSmppChannel } from '../src/modules/outbox/channels/smpp.js';
import { createInappChannel } from '../src/modules/outbox/channels/inapp.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type TestApp } from './helpers.js';
import { startSmsc } from './support/smsc.js';
import { place, staffAt } from './factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.ctx.db.query('DELETE FROM messages');
});

const OPTS: DispatcherOptions = { maxAttempts: 3, retryDelaySeconds: 1, leaseSeconds: 60 };

/** A channel that counts what it was given and answers what `answer` says. */
function countingChannel(name: ChannelName, answer: (m: OutboundMessage, n: number) => Promise<object> | object = () => ({}), ratePerSecond = 100_000) {
  const sent: OutboundMessage[] = [];
  const channel: Channel = {
    name,
    ratePerSecond,
    async send(m) {
      sent.push(m);
      return (await answer(m, sent.length)) as never;
    },
    onReceipt() {},
    async close() {},
  };
  return { channel, sent };
}

async function queue(n: number, channel: ChannelName = 'webhook', address = 'https://receiver.invalid/hook') {
  return queueMessages(
    t.ctx.db,
    Array.from({ length: n }, (_, i) => ({ channel, address, body: `消息 ${i}`, source: 'test', dedupeKey: randomUUID() })),
  );
}

async function row(id: string) {
  const { rows } = await t.ctx.db.query<{ status: string; attempts: number; failure_code: string | null; failure: string | null; provider_id: string | null; wait: number }>(
    sql`SELECT status, attempts, failure_code, failure, provider_id, extract(epoch FROM next_attempt_at - now())::float8 AS wait FROM messages WHERE id = ${id}`,
  );
  return rows[0];
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('outbox dispatcher', () => {
  it('sends what is due once and records sent or delivered', async () => {
    const [a, b] = await queue(2);
    const { channel, sent } = countingChannel('webhook', (m) => (m.id === a ? { delivered: true } : { providerId: 'p-1' }));
    const d = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), OPTS);
    expect(await d.drain()).toBe(2);
    expect(await d.drain()).toBe(0);
    expect(sent.map((m) => m.id).sort()).toEqual([a, b].sort());
    expect(await row(a)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await row(b)).toMatchObject({ status: 'sent', attempts: 1, provider_id: 'p-1' });
    await d.stop();
  });

  it('retries a retryable failure with a doubling delay, keeps the reason, and fails after the last attempt', async () => {
    const [id] = await queue(1);
    const { channel, sent } = countingChannel('webhook', () => {
      throw new ChannelError('the receiver answered 503', true, 'HTTP_503');
    });
    const d = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), OPTS);
    await d.drain();
    let r = await row(id);
    expect(r).toMatchObject({ status: 'queued', attempts: 1, failure_code: 'HTTP_503', failure: 'the receiver answered 503' });
    expect(r.wait).toBeGreaterThan(0.5);
    expect(r.wait).toBeLessThanOrEqual(1.01);
    // not due yet: nothing is sent
    expect(await d.drain()).toBe(0);
    await t.ctx.db.query(sql`UPDATE messages SET next_attempt_at = now() WHERE id = ${id}`);
    await d.drain();
    r = await row(id);
    expect(r).toMatchObject({ status: 'queued', attempts: 2 });
    expect(r.wait).toBeGreaterThan(1.5); // 2 × the first delay
    await t.ctx.db.query(sql`UPDATE messages SET next_attempt_at = now() WHERE id = ${id}`);
    await d.drain();
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3, failure_code: 'HTTP_503' });
    expect(sent).toHaveLength(3);
    await d.stop();
  });

  it('fails a permanent failure at once', async () => {
    const [id] = await queue(1);
    const { channel, sent } = countingChannel('webhook', () => {
      throw new ChannelError('the receiver answered 400', false, 'HTTP_400');
    });
    const d = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), OPTS);
    await d.drain();
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, failure_code: 'HTTP_400' });
    expect(sent).toHaveLength(1);
    await d.stop();
  });

  it("takes back a crashed process's claim once its lease ends, and not before", async () => {
    const [id] = await queue(1);
    // another process claimed it and died while sending
    await t.ctx.db.query(sql`UPDATE messages SET status = 'sending', attempts = 1, next_attempt_at = now() + interval '1 hour' WHERE id = ${id}`);
    const { channel, sent } = countingChannel('webhook', () => ({ delivered: true }));
    const d = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), OPTS);
    expect(await d.drain()).toBe(0);
    await t.ctx.db.query(sql`UPDATE messages SET next_attempt_at = now() - interval '1 second' WHERE id = ${id}`);
    expect(await d.drain()).toBe(1);
    expect(sent).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 2 });
    await d.stop();
  });

  it('claims the next batch while one goes out, and gives back the batch in hand when stopped', async () => {
    await queue(25);
    // held open: the first batch is out and the second claimed when stop() comes
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { channel, sent } = countingChannel('webhook', async () => {
      await held;
      return { delivered: true };
    });
    const d = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), { ...OPTS, batchSize: 10, inFlight: 10 });
    d.wake();
    await expect.poll(() => sent.length).toBe(10);
    // the second batch is claimed ahead (leased) before the first is answered
    await expect
      .poll(async () => (await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE status = 'sending'`)).rows[0].n)
      .toBe(20);
    const stopping = d.stop();
    release();
    await stopping;
    const { rows } = await t.ctx.db.query<{ status: string; attempts: number; due: boolean; n: number }>(
      `SELECT status, attempts, next_attempt_at <= now() AS due, count(*)::int AS n FROM messages GROUP BY 1, 2, 3 ORDER BY 1`,
    );
    // the ten sent are delivered; the claimed-ahead ten and the unclaimed five are due again at once, with no attempt counted
    expect(rows).toEqual([
      { status: 'delivered', attempts: 1, due: false, n: 10 },
      { status: 'queued', attempts: 0, due: true, n: 15 },
    ]);
  });

  it("paces a channel to its ratePerSecond", async () => {
    await queue(30);
    const { channel, sent } = countingChannel('webhook', () => ({ delivered: true }), 20);
    const d = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), OPTS);
    const started = Date.now();
    await d.drain();
    expect(sent).toHaveLength(30);
    // 30 at 20/s: the 30th no sooner than 29 gaps of 50 ms after the first
    expect(Date.now() - started).toBeGreaterThanOrEqual(29 * 50 - 20);
    await d.stop();
  });

  it('applies SMPP delivery receipts by provider id (local SMSC)', async () => {
    const smsc = await startSmsc({ undeliverable: ['13900000002'] });
    const channel = createSmppChannel({ url: smsc.url, sourceAddr: '10690001', ratePerSecond: 100, reconnectMinMs: 100 });
    const [ok] = await queue(1, 'sms', '13900000001');
    const [bad] = await queue(1, 'sms', '13900000002');
    const d = createDispatcher(t.ctx.db, new Map([['sms', channel]]), OPTS);
    try {
      await d.drain();
      await until(async () => (await row(ok)).status === 'delivered' && (await row(bad)).status === 'failed', 'both receipts');
      expect((await row(ok)).provider_id).toBe(smsc.messages.find((m) => m.to === '13900000001')!.messageIds.at(-1));
      expect(await row(bad)).toMatchObject({ failure_code: 'RECEIPT' });
      expect((await row(bad)).failure).toMatch(/UNDELIV/);
    } finally {
      await d.stop();
      await channel.close();
      await smsc.close();
    }
  });

  it('in-app: delivered, and the event bus carries whom it is for', async () => {
    const { rows } = await t.ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'admin'`);
    const userId = rows[0].id;
    const [id] = await queueMessages(t.ctx.db, [{ channel: 'inapp', address: `user:${userId}`, userId, body: '你好', source: 'test', dedupeKey: randomUUID() }]);
    const heard: Record<string, unknown>[] = [];
    const off = t.ctx.events.subscribe(INAPP_TOPIC, (data) => heard.push(data));
    // on PostgreSQL the bus's LISTEN connection opens with the first subscription: an event
    // published before it listens is lost, so wait until a warm-up one is heard (in any test order)
    await until(async () => {
      t.ctx.events.publish(INAPP_TOPIC, { messageId: 'warm-up' });
      await new Promise((r) => setTimeout(r, 50));
      return heard.length > 0;
    }, 'the bus listening');
    const real = () => heard.filter((h) => h.messageId !== 'warm-up');
    const d = createDispatcher(t.ctx.db, new Map([['inapp', createInappChannel(t.ctx.events)]]), OPTS);
    await d.drain();
    await until(() => real().length > 0, 'the in-app event');
    expect(real()).toEqual([{ messageId: id, userId }]);
    expect(await row(id)).toMatchObject({ status: 'delivered' });
    off();
    await d.stop();
  });

  it('sends each of 1,000 messages exactly once with two dispatchers on one database', async () => {
    await queue(1000);
    const { channel, sent } = countingChannel('webhook', async () => {
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      return { delivered: true };
    });
    // on PostgreSQL the second dispatcher has its own pool, as a second server process would
    let second = t.ctx.db;
    if (t.ctx.db.kind === 'postgres') {
      const { rows } = await t.ctx.db.query<{ s: string }>('SELECT current_schema() AS s');
      second = await openDb({ url: process.env.TEST_DATABASE_URL, schema: rows[0].s, poolSize: 4 });
    }
    const options = { ...OPTS, batchSize: 50, inFlight: 20 };
    const d1 = createDispatcher(t.ctx.db, new Map([['webhook', channel]]), options);
    const d2 = createDispatcher(second, new Map([['webhook', channel]]), options);
    try {
      const [n1, n2] = await Promise.all([d1.drain(), d2.drain()]);
      expect(n1 + n2).toBe(1000);
      if (t.ctx.db.kind === 'postgres') {
        // both took part
        expect(n1).toBeGreaterThan(0);
        expect(n2).toBeGreaterThan(0);
      }
      expect(sent).toHaveLength(1000);
      expect(new Set(sent.map((m) => m.id)).size).toBe(1000);
      const { rows } = await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE status = 'delivered' AND attempts = 1`);
      expect(rows[0].n).toBe(1000);
    } finally {
      await d1.stop();
      await d2.stop();
      if (second !== t.ctx.db) await second.close();
    }
  });

  it('with no SMS centre, the running server hands an SMS to the development SMS page at once (nothing sent)', async () => {
    await t.ctx.jobs.start();
    const stop = await outboxModule.background!(t.ctx);
    try {
      const [id] = await queueMessages(t.ctx.db, [{ channel: 'sms', address: '13900001234', body: '验证码 654321', source: 'otp', dedupeKey: randomUUID() }]);
      notifyQueued(t.ctx.events, ['sms']);
      await until(async () => (await row(id)).status === 'dev', 'the dev SMS', 10_000);
      const { rows } = await t.ctx.db.query<{ sent_at: string | null; delivered_at: string | null }>(sql`SELECT sent_at, delivered_at FROM messages WHERE id = ${id}`);
      expect(rows[0]).toEqual({ sent_at: null, delivered_at: null });
      const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
      const res = await admin.get('/api/dev-sms?to=0000123');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [{ id, at: expect.any(String), to: '13900001234', text: '验证码 654321', source: 'otp' }], page: 1, hasMore: false });
      expect((await admin.get('/api/dev-sms?to=13800')).json().items).toEqual([]);
    } finally {
      await stop();
      await t.ctx.jobs.stop();
    }
  });

  it('the development SMS page is the administrator\'s alone', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const district = await place(admin, null, 'district', '河西区', { code: '120103' });
    const staff = await staffAt(t, admin, district, 'devsms');
    const answers = await Promise.all(Object.entries(staff).map(async ([role, c]) => [role, (await c!.get('/api/dev-sms')).statusCode] as const));
    expect(answers.length).toBeGreaterThan(5);
    for (const [role, status] of answers) expect([role, status]).toEqual([role, 403]);
    expect((await t.app.inject({ method: 'GET', url: '/api/dev-sms' })).statusCode).toBe(401);
  });
});

describe('with an SMS centre configured', () => {
  it('there is no development SMS page (404)', async () => {
    const t2 = await startTestApp({ outbox: { ...t.ctx.config.outbox, smppUrl: 'smpp://u:p@127.0.0.1:1' } });
    try {
      const admin = await signIn(t2.app, 'admin', ADMIN_PASSWORD);
      const res = await admin.get('/api/dev-sms');
      expect(res.statusCode).toBe(404);
    } finally {
      await t2.close();
    }
  });
});
