// The channels this server delivers with, from its configuration: SMS over SMPP when SMPP_URL is
// set, else the development SMS page; in-app over the event bus; webhooks signed with
// WEBHOOK_SECRET; Web Push with the VAPID keys.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type https from 'node:https';
import type { Config } from '../../../config.js';
import type { EventBus } from '../../../platform/events.js';
import type { Channel, ChannelName } from './channel.js';
import { createDevSmsChannel } from './dev-sms.js';
import { createInappChannel } from './inapp.js';
import { createPushChannel, loadVapidKeys, type VapidKeys } from './push.js';
import { createSmppChannel } from './smpp.js';
import { createWebhookChannel } from './webhook.js';

export interface ChannelRegistry {
  channels: ReadonlyMap<ChannelName, Channel>;
  /** false: SMS goes to the development SMS page, nothing is sent */
  realSms: boolean;
  vapid: VapidKeys;
  close(): Promise<void>;
}

/** WEBHOOK_SECRET, else one generated once into dataDir/webhook-secret. */
export function loadWebhookSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'webhook-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function createChannelRegistry(config: Config, events: EventBus, extra: { pushAgent?: https.Agent } = {}): ChannelRegistry {
  const o = config.outbox;
  const vapid = loadVapidKeys(config.dataDir, o.vapidPublicKey, o.vapidPrivateKey);
  const list: Channel[] = [
    o.smppUrl ? createSmppChannel({ url: o.smppUrl, sourceAddr: o.smppSourceAddr, ratePerSecond: o.smsRate }) : createDevSmsChannel(),
    createInappChannel(events),
    createWebhookChannel({ secret: loadWebhookSecret(config.dataDir, o.webhookSecret), timeoutMs: o.webhookTimeoutMs }),
    createPushChannel({ vapid, subject: o.vapidSubject, timeoutMs: o.webhookTimeoutMs, agent: extra.pushAgent }),
  ];
  const channels = new Map(list.map((c) => [c.name, c] as const));
  return {
    channels,
    realSms: Boolean(o.smppUrl),
    vapid,
    async close() {
      await Promise.all(list.map((c) => c.close().catch(() => undefined)));
    },
  };
}
