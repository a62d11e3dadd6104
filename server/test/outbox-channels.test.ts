// The webhook and Web Push channels against real peers on loopback that this test starts: an
// HTTP receiver that checks the HMAC signature, and an HTTPS push service that checks the VAPID
// signature and decrypts the payload (RFC 8291 aes128gcm) with the subscription's own keys.
import crypto, { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ece from 'http_ece';
import { ChannelError } from '../src/modules/outbox/index.js';
import { createWebhookChannel, signWebhook } from '../src/modules/outbox/channels/webhook.js';
import { createPushChannel, loadVapidKeys } from '../src/modules/outbox/channels/push.js';
import { startTestApp, type TestApp } from './helpers.js';

async function rejection(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return err as ChannelError;
  }
  throw new Error('expected the send to fail');
}

const body = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });

describe('webhook channel', () => {
  const secret = 'test-secret-0123456789';
  let server: http.Server;
  let base: string;
  const received: { path: string; verified: boolean; json: unknown; skew: number }[] = [];
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const raw = (await body(req)).toString();
      const ts = String(req.headers['x-fangkong-timestamp']);
      const expected = signWebhook(secret, ts, raw);
      const given = String(req.headers['x-fangkong-signature'] ?? '');
      // what a receiver does: recompute the HMAC and compare in constant time
      const verified = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      received.push({ path: req.url!, verified, json: JSON.parse(raw), skew: Math.abs(Date.now() / 1000 - Number(ts)) });
      const status = Number(req.url!.split('/')[1]);
      if (req.url!.startsWith('/slow')) return void setTimeout(() => res.end('late'), 2000);
      res.statusCode = verified ? status : 401;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const channel = () => createWebhookChannel({ secret, timeoutMs: 500 });

  it('POSTs a signed JSON body; 2xx is delivered', async () => {
    const id = randomUUID();
    expect(await channel().send({ id, address: `${base}/204/hook`, body: '3号楼 请下楼核酸', subject: '核酸' })).toEqual({ delivered: true });
    const last = received.at(-1)!;
    expect(last).toMatchObject({ path: '/204/hook', verified: true, json: { id, subject: '核酸', body: '3号楼 请下楼核酸' } });
    expect(last.skew).toBeLessThan(5);
  });

  it('a wrong secret does not verify (the receiver refuses it: permanent)', async () => {
    const e = await rejection(createWebhookChannel({ secret: 'another', timeoutMs: 500 }).send({ id: randomUUID(), address: `${base}/200/x`, body: 'x' }));
    expect(received.at(-1)!.verified).toBe(false);
    expect(e).toMatchObject({ retryable: false, code: 'HTTP_401' });
  });

  it('5xx and a timeout are retryable, 4xx is permanent, a refused connection is retryable', async () => {
    expect(await rejection(channel().send({ id: randomUUID(), address: `${base}/503/x`, body: 'x' }))).toMatchObject({ retryable: true, code: 'HTTP_503' });
    expect(await rejection(channel().send({ id: randomUUID(), address: `${base}/404/x`, body: 'x' }))).toMatchObject({ retryable: false, code: 'HTTP_404' });
    expect(await rejection(channel().send({ id: randomUUID(), address: `${base}/slow`, body: 'x' }))).toMatchObject({ retryable: true, code: 'TIMEOUT' });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await rejection(channel().send({ id: randomUUID(), address: `http://127.0.0.1:${port}/`, body: 'x' }))).toMatchObject({ retryable: true, code: 'CONNECT' });
    expect(await rejection(channel().send({ id: randomUUID(), address: 'ftp://example.org/', body: 'x' }))).toMatchObject({ retryable: false, code: 'BAD_ADDRESS' });
  });
});

describe('Web Push channel', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-push-'));
  const vapid = loadVapidKeys(dir);
  let server: https.Server;
  let agent: https.Agent;
  let origin: string;
  const pushed: { path: string; vapidOk: boolean; claims: Record<string, unknown>; plain: string | null }[] = [];
  // the browser's side of a subscription: its ECDH key pair and auth secret
  const browser = crypto.createECDH('prime256v1');
  browser.generateKeys();
  const auth = crypto.randomBytes(16);
  const subscription = (p: string) => JSON.stringify({ endpoint: `${origin}${p}`, keys: { p256dh: browser.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } });

  function verifyVapid(header: string | undefined): { ok: boolean; claims: Record<string, unknown> } {
    const m = /^vapid t=([^,]+),\s*k=(.+)$/.exec(header ?? '');
    if (!m || m[2] !== vapid.publicKey) return { ok: false, claims: {} };
    const [h, p, s] = m[1].split('.');
    const point = Buffer.from(m[2], 'base64url');
    const key = crypto.createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') } });
    const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    return { ok, claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
    server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, async (req, res) => {
      const raw = await body(req);
      const v = verifyVapid(req.headers.authorization);
      let plain: string | null;
      try {
        plain = ece.decrypt(raw, { version: 'aes128gcm', privateKey: browser, authSecret: auth.toString('base64url') }).toString();
      } catch {
        plain = null;
      }
      pushed.push({ path: req.url!, vapidOk: v.ok, claims: v.claims, plain });
      res.statusCode = v.ok && plain !== null ? Number(req.url!.split('/')[1]) : 403;
      if (res.statusCode === 201) res.setHeader('location', `${origin}/m/${randomUUID()}`);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new https.Agent({ ca: cert });
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    agent.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const channel = () => createPushChannel({ vapid, subject: 'mailto:ops@example.org', timeoutMs: 2000, agent });

  it('keeps the VAPID keys it generated', () => {
    expect(loadVapidKeys(dir)).toEqual(vapid);
    expect(Buffer.from(vapid.publicKey, 'base64url')).toHaveLength(65);
  });

  it('sends a VAPID-signed, encrypted payload; 201 is sent', async () => {
    const id = randomUUID();
    const outcome = await channel().send({ id, address: subscription('/201/sub-a'), body: '您的核酸结果已出', subject: '结果' });
    expect(outcome.delivered).toBeUndefined();
    expect(outcome.providerId).toMatch(/\/m\//);
    const last = pushed.at(-1)!;
    expect(last.vapidOk).toBe(true);
    expect(last.claims).toMatchObject({ aud: origin, sub: 'mailto:ops@example.org' });
    expect(Number(last.claims.exp)).toBeGreaterThan(Date.now() / 1000);
    expect(JSON.parse(last.plain!)).toEqual({ id, title: '结果', body: '您的核酸结果已出' });
  });

  it('404 and 410 (the subscription is gone) fail for good; 5xx is retryable; a bad subscription is refused', async () => {
    expect(await rejection(channel().send({ id: randomUUID(), address: subscription('/410/gone'), body: 'x' }))).toMatchObject({ retryable: false, code: 'HTTP_410' });
    expect(await rejection(channel().send({ id: randomUUID(), address: subscription('/404/gone'), body: 'x' }))).toMatchObject({ retryable: false, code: 'HTTP_404' });
    expect(await rejection(channel().send({ id: randomUUID(), address: subscription('/503/busy'), body: 'x' }))).toMatchObject({ retryable: true, code: 'HTTP_503' });
    expect(await rejection(channel().send({ id: randomUUID(), address: '{"endpoint":"http://x"}', body: 'x' }))).toMatchObject({ retryable: false, code: 'BAD_ADDRESS' });
  });
});

describe('GET /api/push/vapid-public-key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  it('answers the public key the server signs with, without sign-in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/push/vapid-public-key' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicKey: loadVapidKeys(t.ctx.config.dataDir).publicKey });
  });
});
