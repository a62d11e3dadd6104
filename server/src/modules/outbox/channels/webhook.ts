// The webhook channel: an HMAC-signed JSON POST to the address (an http(s) URL). The receiver
// checks X-Fangkong-Signature = "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<body>") and
// refuses a timestamp far from its clock (a replay). 2xx is delivered; 5xx, 429, a refused
// connection and a timeout are tried again; any other 4xx fails for good.
import { createHmac } from 'node:crypto';
import { ChannelError, type Channel } from './channel.js';

export interface WebhookOptions {
  secret: string;
  timeoutMs: number;
  ratePerSecond?: number;
}

export const SIGNATURE_HEADER = 'x-fangkong-signature';
export const TIMESTAMP_HEADER = 'x-fangkong-timestamp';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function createWebhookChannel(options: WebhookOptions): Channel {
  return {
    name: 'webhook',
    ratePerSecond: options.ratePerSecond ?? 50,
    async send(message) {
      let url: URL;
      try {
        url = new URL(message.address);
      } catch {
        throw new ChannelError('not a URL', false, 'BAD_ADDRESS');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ChannelError('not an http(s) URL', false, 'BAD_ADDRESS');
      const body = JSON.stringify({ id: message.id, subject: message.subject ?? null, body: message.body });
      const timestamp = String(Math.floor(Date.now() / 1000));
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(options.secret, timestamp, body),
            'x-fangkong-message-id': message.id,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        const timeout = (err as Error).name === 'TimeoutError';
        throw new ChannelError(timeout ? `no answer within ${options.timeoutMs} ms` : `could not connect: ${(err as Error).message}`, true, timeout ? 'TIMEOUT' : 'CONNECT');
      }
      if (res.status >= 200 && res.status < 300) return { delivered: true };
      const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
      throw new ChannelError(`the receiver answered ${res.status}`, retryable, `HTTP_${res.status}`);
    },
    onReceipt() {},
    async close() {},
  };
}
