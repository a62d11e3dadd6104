// Web Push (RFC 8030/8291/8292) for an installed PWA: the address is the browser's push
// subscription as JSON ({ endpoint, keys: { p256dh, auth } }); the payload is encrypted to it
// (aes128gcm) and the request signed with our VAPID key. 201/202 is sent (the push service
// holds it for the device, no receipt follows); 404/410 means the subscription is gone (failed
// for good); 429/5xx/timeouts are tried again.
import fs from 'node:fs';
import path from 'node:path';
import type https from 'node:https';
import webpush from 'web-push';
import { ChannelError, type Channel } from './channel.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** VAPID keys from the environment, else generated once into dataDir/vapid.json (kept: subscriptions are bound to the public key). */
export function loadVapidKeys(dataDir: string, publicKey?: string, privateKey?: string): VapidKeys {
  if (publicKey && privateKey) return { publicKey, privateKey };
  const file = path.join(dataDir, 'vapid.json');
  if (fs.existsSync(file)) {
    const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as VapidKeys;
    if (keys.publicKey && keys.privateKey) return { publicKey: keys.publicKey, privateKey: keys.privateKey };
  }
  const keys = webpush.generateVAPIDKeys();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export interface PushOptions {
  vapid: VapidKeys;
  /** mailto: or https: contact for the push service */
  subject: string;
  timeoutMs: number;
  ratePerSecond?: number;
  /** the HTTPS agent (tests trust their own push service's certificate with it) */
  agent?: https.Agent;
}

interface Subscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

function parseSubscription(address: string): Subscription {
  let s: Subscription;
  try {
    s = JSON.parse(address) as Subscription;
  } catch {
    throw new ChannelError('the address is not a push subscription (JSON)', false, 'BAD_ADDRESS');
  }
  if (typeof s?.endpoint !== 'string' || !s.endpoint.startsWith('https://') || typeof s.keys?.p256dh !== 'string' || typeof s.keys?.auth !== 'string') {
    throw new ChannelError('the push subscription lacks an https endpoint or its keys', false, 'BAD_ADDRESS');
  }
  return s;
}

export function createPushChannel(options: PushOptions): Channel {
  return {
    name: 'push',
    ratePerSecond: options.ratePerSecond ?? 50,
    async send(message) {
      const subscription = parseSubscription(message.address);
      const payload = JSON.stringify({ id: message.id, title: message.subject ?? null, body: message.body });
      try {
        const res = await webpush.sendNotification(subscription, payload, {
          vapidDetails: { subject: options.subject, publicKey: options.vapid.publicKey, privateKey: options.vapid.privateKey },
          TTL: 24 * 3600,
          timeout: options.timeoutMs,
          ...(options.agent ? { agent: options.agent } : {}),
        });
        return { providerId: typeof res.headers.location === 'string' ? res.headers.location.slice(0, 500) : undefined };
      } catch (err) {
        if (err instanceof ChannelError) throw err;
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) throw new ChannelError(`the subscription is gone (${status})`, false, `HTTP_${status}`);
        if (status !== undefined) {
          const retryable = status >= 500 || status === 429;
          throw new ChannelError(`the push service answered ${status}`, retryable, `HTTP_${status}`);
        }
        throw new ChannelError(`could not reach the push service: ${(err as Error).message}`, true, 'CONNECT');
      }
    },
    onReceipt() {},
    async close() {},
  };
}
