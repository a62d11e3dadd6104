// The SMS channel against a real SMSC on loopback (test/support/smsc.ts): bind, submit,
// receipts, UCS-2, concatenation, pacing, throttling, refused credentials, reconnect, the
// submit window and close. Time is only ever checked from below, with room to spare.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type Channel, type DeliveryReceipt } from '../src/modules/outbox/channels/channel.js';
import { createSmppChannel, parseReceiptText, splitSms, type SmppChannelOptions } from '../src/modules/outbox/channels/smpp.js';
import { startSmsc, type Smsc, type SmscOptions } from './support/smsc.js';

const open: { smsc: Smsc; channel: Channel }[] = [];

async function setup(smscOptions: SmscOptions = {}, channelOptions: Partial<SmppChannelOptions> = {}) {
  const smsc = await startSmsc(smscOptions);
  const channel = createSmppChannel({ url: smsc.url, sourceAddr: '10690001', ratePerSecond: 200, reconnectMinMs: 100, ...channelOptions });
  const receipts: DeliveryReceipt[] = [];
  channel.onReceipt((r) => receipts.push(r));
  open.push({ smsc, channel });
  return { smsc, channel, receipts };
}

const msg = (address: string, body: string) => ({ id: randomUUID(), address, body });

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function rejection(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return err as ChannelError;
  }
  throw new Error('expected the send to fail');
}

afterEach(async () => {
  for (const { smsc, channel } of open.splice(0)) {
    await channel.close();
    await smsc.close();
  }
});

describe('SMS over SMPP', () => {
  it('binds on the first send, submits, and matches the delivery receipt by the SMSC message_id', async () => {
    const { smsc, channel, receipts } = await setup({ undeliverable: ['13800000002'] });
    expect(channel.name).toBe('sms');
    expect(smsc.stats.binds).toBe(0); // lazy: nothing before the first send
    const ok = await channel.send(msg('13800000001', 'Your test result is ready.'));
    const bad = await channel.send(msg('13800000002', 'Your test result is ready.'));
    expect(smsc.stats.binds).toBe(1);
    expect(ok.providerId).toBe(smsc.messages[0].messageIds[0]);
    expect(bad.providerId).toBe(smsc.messages[1].messageIds[0]);
    expect(smsc.messages.map((m) => [m.from, m.to, m.text, m.dataCoding])).toEqual([
      ['10690001', '13800000001', 'Your test result is ready.', 0],
      ['10690001', '13800000002', 'Your test result is ready.', 0],
    ]);
    await until(() => receipts.length === 2, 'two receipts');
    const byId = new Map(receipts.map((r) => [r.providerId, r]));
    expect(byId.get(ok.providerId!)).toMatchObject({ status: 'delivered', reason: undefined });
    expect(byId.get(bad.providerId!)).toMatchObject({ status: 'failed', reason: 'UNDELIV err:001' });
    expect(byId.get(ok.providerId!)!.at).toBeInstanceOf(Date);
  });

  it('a receipt that comes before submit_sm_resp still carries the id send() then returns', async () => {
    const { channel, receipts } = await setup({ receiptFirst: true });
    const out = await channel.send(msg('13800000003', 'hello'));
    // Already emitted while send() was waiting: the caller matches it by providerId afterwards.
    expect(receipts.map((r) => r.providerId)).toEqual([out.providerId]);
    expect(receipts[0].status).toBe('delivered');
  });

  it('sends Chinese and Korean as UCS-2 (data_coding 8)', async () => {
    const { smsc, channel } = await setup();
    await channel.send(msg('13800000004', '您的核酸检测结果为阴性。请于明日8:00前往社区服务站。'));
    await channel.send(msg('821012345678', '검사 결과는 음성입니다. 내일 오전 8시에 방문하세요.'));
    expect(smsc.messages.map((m) => [m.text, m.dataCoding])).toEqual([
      ['您的核酸检测结果为阴性。请于明日8:00前往社区服务站。', 8],
      ['검사 결과는 음성입니다. 내일 오전 8시에 방문하세요.', 8],
    ]);
  });

  it('splits a long message with UDH concatenation and reports one receipt under the last part id', async () => {
    const { smsc, channel, receipts } = await setup({ receiptFirst: true });
    const chinese = '请居民于今日下午三点前到小区东门核酸检测点排队采样，携带身份证，佩戴口罩，保持一米间距。'.repeat(4); // 4 × 46 = 184 chars
    const out = await channel.send(msg('13800000005', chinese));
    expect(smsc.messages).toHaveLength(1);
    const [received] = smsc.messages;
    expect(received.text).toBe(chinese);
    expect(received.messageIds).toHaveLength(Math.ceil(chinese.length / 67));
    expect(out.providerId).toBe(received.messageIds.at(-1));
    await until(() => receipts.length > 0, 'the receipt');
    // Each part had its own receipt (each before its part's answer): one comes out, for the message.
    expect(receipts).toEqual([expect.objectContaining({ providerId: out.providerId, status: 'delivered' })]);

    const english = 'Residents of building 3: please come to the east gate for sampling before 3 pm today. '.repeat(4);
    await channel.send(msg('13800000006', english));
    expect(smsc.messages[1].text).toBe(english);
    expect(smsc.messages[1].messageIds).toHaveLength(Math.ceil(english.length / 153));
  });

  it('a long message with an undelivered part has one failed receipt', async () => {
    const { smsc, channel, receipts } = await setup({ undeliverable: ['13800000015'] });
    const out = await channel.send(msg('13800000015', '隔离期间请勿外出。'.repeat(12)));
    expect(smsc.messages[0].messageIds.length).toBeGreaterThan(1);
    await until(() => receipts.length > 0, 'the receipt');
    await new Promise((r) => setTimeout(r, 100)); // no further receipt for the other parts
    expect(receipts).toEqual([expect.objectContaining({ providerId: out.providerId, status: 'failed', reason: 'UNDELIV err:001' })]);
  });

  it('a receipt owed for a message sent before a restart comes through under its id', async () => {
    const { smsc, channel } = await setup({ receiptDelayMs: 200 });
    const out = await channel.send(msg('13800000016', 'sent before the restart'));
    await channel.close(); // before the receipt is due: the SMSC keeps it for the account
    await new Promise((r) => setTimeout(r, 300));
    const again = createSmppChannel({ url: smsc.url, sourceAddr: '10690001', ratePerSecond: 100 });
    open.push({ smsc, channel: again });
    const receipts: DeliveryReceipt[] = [];
    again.onReceipt((r) => receipts.push(r));
    await again.send(msg('13800000016', 'after the restart')); // binds; the owed receipt follows
    await until(() => receipts.some((r) => r.providerId === out.providerId), 'the owed receipt (held 2 s as unknown)');
    expect(receipts.find((r) => r.providerId === out.providerId)).toMatchObject({ status: 'delivered' });
  });

  it('splits texts as the SMSC counts them', () => {
    expect(splitSms('a'.repeat(160)).parts).toHaveLength(1);
    expect(splitSms('a'.repeat(161)).parts.map((p) => p.length)).toEqual([153, 8]);
    // € takes two septets: 80 of them fill one message exactly, 81 do not.
    expect(splitSms('€'.repeat(80)).parts).toHaveLength(1);
    expect(splitSms('€'.repeat(81)).parts.map((p) => p.length)).toEqual([76, 5]);
    expect(splitSms('测'.repeat(70))).toEqual({ dataCoding: 8, parts: ['测'.repeat(70)] });
    expect(splitSms('测'.repeat(71)).parts.map((p) => p.length)).toEqual([67, 4]);
    // A surrogate pair straddling the 67th unit moves whole to the next part.
    const parts = splitSms('测'.repeat(66) + '😷' + '测'.repeat(10)).parts;
    expect(parts.map((p) => p.length)).toEqual([66, 12]);
    expect(parseReceiptText('id:abc sub:001 dlvrd:001 submit date:2612021200 done date:2612021201 stat:DELIVRD err:000 text:id:zzz stat:UNDELIV')).toEqual({
      id: 'abc',
      stat: 'DELIVRD',
      err: '000',
    });
  });

  it('paces sends to ratePerSecond', async () => {
    const rate = 20;
    const count = 11;
    const { smsc, channel } = await setup({}, { ratePerSecond: rate });
    await channel.send(msg('13800000007', 'warm-up')); // the bind is not part of the pacing
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, (_, i) => channel.send(msg('13800000007', `paced ${i}`))));
    const elapsed = performance.now() - started;
    // The first send of the burst waits one interval after the warm-up; count - 1 intervals at the least.
    expect(elapsed).toBeGreaterThanOrEqual(((count - 1) / rate) * 1000 - 5);
    expect(smsc.messages).toHaveLength(count + 1);
  });

  it('a throttled answer is a retryable error naming the status', async () => {
    const { smsc, channel } = await setup({ throttlePerSecond: 2 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => channel.send(msg('13800000008', `burst ${i}`))));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as ChannelError);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBe(smsc.stats.throttled);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const err of failed) {
      expect(err).toBeInstanceOf(ChannelError);
      expect(err).toMatchObject({ retryable: true, code: 'ESME_RTHROTTLED' });
    }
  });

  it('a number the SMSC refuses is a permanent error with the status name', async () => {
    const { channel } = await setup({ invalid: ['13800000009'] });
    const err = await rejection(channel.send(msg('13800000009', 'hi')));
    expect(err).toMatchObject({ retryable: false, code: 'ESME_RINVDSTADR' });
    expect(err.message).toContain('ESME_RINVDSTADR');
    const local = await rejection(channel.send(msg('+86 138', 'hi')));
    expect(local).toMatchObject({ retryable: false, code: 'INVALID_ADDRESS' });
    expect(await rejection(channel.send(msg('13800000009', '')))).toMatchObject({ retryable: false, code: 'EMPTY' });
  });

  it('a wrong password is a permanent error naming it', async () => {
    const smsc = await startSmsc({ password: 'right' });
    const channel = createSmppChannel({ url: smsc.url.replace(':right@', ':wrong@'), sourceAddr: '10690001', ratePerSecond: 100 });
    open.push({ smsc, channel });
    const err = await rejection(channel.send(msg('13800000010', 'hi')));
    expect(err).toMatchObject({ retryable: false, code: 'ESME_RINVPASWD' });
    expect(err.message).toContain('ESME_RINVPASWD');
    expect(smsc.stats).toMatchObject({ binds: 0, refusedBinds: 1, submits: 0 });
  });

  it('an SMSC that is not listening is a retryable error', async () => {
    const smsc = await startSmsc();
    const url = smsc.url;
    await smsc.close();
    const channel = createSmppChannel({ url, sourceAddr: '10690001', ratePerSecond: 100 });
    const err = await rejection(channel.send(msg('13800000011', 'hi')));
    expect(err).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
    await channel.close();
  });

  it('after the SMSC drops the connection, in-flight sends fail retryable and later sends rebind', async () => {
    const { smsc, channel, receipts } = await setup({ responseDelayMs: 300 });
    await channel.send(msg('13800000012', 'before'));
    const inFlight = channel.send(msg('13800000012', 'in flight'));
    await until(() => smsc.stats.submits === 2, 'the second submit to reach the SMSC');
    smsc.dropAll();
    const err = await rejection(inFlight);
    expect(err).toMatchObject({ retryable: true, code: 'DISCONNECTED' });
    // The channel rebinds on its own after the backoff (so receipts keep coming), or on the next send.
    const after = await channel.send(msg('13800000012', 'after'));
    expect(smsc.stats.binds).toBe(2);
    expect(after.providerId).toBe(smsc.messages.at(-1)!.messageIds[0]);
    await until(() => receipts.some((r) => r.providerId === after.providerId), 'the receipt over the new session');
  });

  it('keeps the session alive with enquire_link', async () => {
    const { smsc, channel } = await setup({}, { enquireLinkMs: 50 });
    await channel.send(msg('13800000017', 'hi'));
    await until(() => smsc.stats.enquireLinks >= 2, 'two enquire_links');
    expect(smsc.stats.binds).toBe(1);
  });

  it('drops and rebinds a session whose SMSC stops answering enquire_link', async () => {
    const { smsc, channel } = await setup({ muteEnquireLink: true }, { enquireLinkMs: 50, responseTimeoutMs: 200 });
    await channel.send(msg('13800000018', 'hi'));
    await until(() => smsc.stats.binds >= 2, 'a second bind');
  });

  it('keeps at most windowSize submits outstanding', async () => {
    const { smsc, channel } = await setup({ responseDelayMs: 100 }, { windowSize: 3, ratePerSecond: 1000 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send(msg('13800000013', `windowed ${i}`))));
    expect(smsc.messages).toHaveLength(12);
    expect(smsc.stats.maxOutstanding).toBeLessThanOrEqual(3);
    expect(smsc.stats.maxOutstanding).toBeGreaterThanOrEqual(2); // and the window is used, not one at a time
  });

  it('close() unbinds; a send after it fails without reaching the SMSC', async () => {
    const { smsc, channel } = await setup();
    await channel.send(msg('13800000014', 'last one'));
    await channel.close();
    expect(smsc.stats.unbinds).toBe(1);
    const err = await rejection(channel.send(msg('13800000014', 'too late')));
    expect(err.code).toBe('CLOSED');
    expect(smsc.stats.submits).toBe(1);
  });

  it('rejects a bad configuration naming the field', () => {
    expect(() => createSmppChannel({ url: 'http://x', sourceAddr: '1', ratePerSecond: 1 })).toThrow(/url/);
    expect(() => createSmppChannel({ url: 'smpp://a:b@127.0.0.1:1', sourceAddr: '1', ratePerSecond: 0 })).toThrow(/ratePerSecond/);
    expect(() => createSmppChannel({ url: 'smpp://a:b@127.0.0.1:1', sourceAddr: '1', ratePerSecond: 1, windowSize: 0 })).toThrow(/windowSize/);
  });
});
