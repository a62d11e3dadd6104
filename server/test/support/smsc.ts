// A real SMSC on a loopback port (node-smpp's server), for the SMS channel's tests and the bare
// SMPP benchmark (bench/smpp-bare.ts imports it: one copy). It checks the bind, answers
// submit_sm with a message_id, sends delivery receipts as deliver_sm, can throttle, refuse
// numbers, hold its answers and drop every connection, and records what it was sent — long
// messages reassembled from their UDH parts. Like a real SMSC it owes receipts to the account,
// not the connection: one due while no session is bound waits for the next bind.
import smpp from 'smpp';
import type { PDU, PduFields, Session } from 'smpp';

export interface SmscOptions {
  systemId?: string;
  password?: string;
  /** Numbers whose receipt says stat:UNDELIV. */
  undeliverable?: string[];
  /** Numbers refused at submit with ESME_RINVDSTADR. */
  invalid?: string[];
  /** Accept at most this many submit_sm in any second (the whole SMSC); more get ESME_RTHROTTLED. */
  throttlePerSecond?: number;
  /** Hold each submit_sm_resp this long, so submits stay outstanding (window, drop). */
  responseDelayMs?: number;
  /** Send the receipt before the submit_sm_resp, as some SMSCs under load do. */
  receiptFirst?: boolean;
  /** Send no receipts (a benchmark of submits only). */
  noReceipts?: boolean;
  /** Leave enquire_link unanswered, as a hung SMSC behind a live TCP connection does. */
  muteEnquireLink?: boolean;
  /** Send each receipt this long after the submit_sm_resp. */
  receiptDelayMs?: number;
}

export interface ReceivedSms {
  from: string;
  to: string;
  text: string;
  dataCoding: number;
  /** message_ids given to its parts, in part order. */
  messageIds: string[];
}

export interface Smsc {
  /** smpp://system_id:password@127.0.0.1:port with the configured credentials. */
  url: string;
  port: number;
  /** Complete messages, in the order their last part arrived. */
  messages: ReceivedSms[];
  stats: { binds: number; refusedBinds: number; unbinds: number; enquireLinks: number; submits: number; throttled: number; receipts: number; maxOutstanding: number };
  /** Cuts every connection, as a crashing SMSC or a network drop does. */
  dropAll(): void;
  waitForMessages(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Date as SMPP receipts write it: YYMMDDhhmm. */
function receiptDate(d: Date) {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

export async function startSmsc(options: SmscOptions = {}): Promise<Smsc> {
  const systemId = options.systemId ?? 'fangkong';
  const password = options.password ?? 'secret';
  const messages: ReceivedSms[] = [];
  const stats = { binds: 0, refusedBinds: 0, unbinds: 0, enquireLinks: 0, submits: 0, throttled: 0, receipts: 0, maxOutstanding: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const accepted: number[] = []; // times of accepted submits, for the throttle
  const partial = new Map<string, { total: number; parts: Map<number, { text: string; id: string }> }>();
  const waiters: (() => void)[] = [];
  let nextId = 0x10000;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const record = (m: ReceivedSms) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  };

  const bound = new Set<Session>();
  const owed: PduFields[] = [];
  const deliver = (preferred: Session, receipt: PduFields) => {
    const session = bound.has(preferred) ? preferred : bound.values().next().value;
    if (!session || !session.deliver_sm(receipt)) owed.push(receipt);
  };

  const sendReceipt = (session: Session, id: string, pdu: PDU, text: string) => {
    const to = pdu.destination_addr ?? '';
    const stat = options.undeliverable?.includes(to) ? 'UNDELIV' : 'DELIVRD';
    const now = receiptDate(new Date());
    stats.receipts += 1;
    deliver(session, {
      source_addr: to,
      destination_addr: pdu.source_addr,
      esm_class: smpp.consts.ESM_CLASS.MC_DELIVERY_RECEIPT,
      short_message:
        `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${now} done date:${now} ` +
        `stat:${stat} err:${stat === 'DELIVRD' ? '000' : '001'} text:${text.slice(0, 20).replace(/[^\x20-\x7e]/g, '?')}`,
    });
  };

  const onSubmit = (session: Session, state: { outstanding: number }, pdu: PDU) => {
    stats.submits += 1;
    const answer = (fields: { command_status?: number; message_id?: string }, receipt?: () => void) => {
      state.outstanding += 1;
      stats.maxOutstanding = Math.max(stats.maxOutstanding, state.outstanding);
      const respond = () => {
        state.outstanding -= 1;
        if (receipt && options.receiptFirst) receipt();
        session.send(pdu.response(fields));
        if (receipt && !options.receiptFirst) {
          if (options.receiptDelayMs) later(options.receiptDelayMs, receipt);
          else receipt();
        }
      };
      if (options.responseDelayMs) later(options.responseDelayMs, respond);
      else respond();
    };
    const to = pdu.destination_addr ?? '';
    if (options.invalid?.includes(to)) return answer({ command_status: smpp.errors.ESME_RINVDSTADR });
    if (options.throttlePerSecond !== undefined) {
      const now = Date.now();
      while (accepted.length && accepted[0] <= now - 1000) accepted.shift();
      if (accepted.length >= options.throttlePerSecond) {
        stats.throttled += 1;
        return answer({ command_status: smpp.errors.ESME_RTHROTTLED });
      }
      accepted.push(now);
    }
    const id = (nextId++).toString(16);
    const sm = pdu.short_message;
    const text = typeof sm?.message === 'string' ? sm.message : (sm?.message?.toString('latin1') ?? '');
    // Concatenation header: IEI 0x00 (8-bit reference) or 0x08 (16-bit).
    const concat = sm?.udh?.find((u) => u[0] === 0x00 || u[0] === 0x08);
    const from = pdu.source_addr ?? '';
    if (concat) {
      const wide = concat[0] === 0x08;
      const ref = wide ? concat.readUInt16BE(2) : concat[2];
      const [total, seq] = wide ? [concat[4], concat[5]] : [concat[3], concat[4]];
      const key = `${from}|${to}|${ref}`;
      const entry = partial.get(key) ?? { total, parts: new Map() };
      entry.parts.set(seq, { text, id });
      partial.set(key, entry);
      if (entry.parts.size === entry.total) {
        partial.delete(key);
        const ordered = [...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
        record({ from, to, text: ordered.map((p) => p.text).join(''), dataCoding: pdu.data_coding ?? 0, messageIds: ordered.map((p) => p.id) });
      }
    } else {
      record({ from, to, text, dataCoding: pdu.data_coding ?? 0, messageIds: [id] });
    }
    const wantsReceipt = !options.noReceipts && ((pdu.registered_delivery ?? 0) & 0x03) !== 0;
    answer({ message_id: id }, wantsReceipt ? () => sendReceipt(session, id, pdu, text) : undefined);
  };

  const server = smpp.createServer((session) => {
    const state = { outstanding: 0 };
    session.on('error', () => {}); // a dropped client; 'close' follows
    session.on('close', () => bound.delete(session));
    const bind = (pdu: PDU) => {
      if (pdu.system_id !== systemId || pdu.password !== password) {
        stats.refusedBinds += 1;
        const status = pdu.system_id !== systemId ? smpp.errors.ESME_RINVSYSID : smpp.errors.ESME_RINVPASWD;
        session.send(pdu.response({ command_status: status }), () => session.close());
        return;
      }
      bound.add(session);
      stats.binds += 1;
      session.send(pdu.response({ system_id: 'fangkong-test-smsc' }));
      for (const receipt of owed.splice(0)) deliver(session, receipt);
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('submit_sm', (pdu: PDU) => {
      if (!bound.has(session)) session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }));
      else onSubmit(session, state, pdu);
    });
    session.on('enquire_link', (pdu: PDU) => {
      stats.enquireLinks += 1;
      if (!options.muteEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => {
      bound.delete(session);
      stats.unbinds += 1;
      session.send(pdu.response(), () => session.close());
    });
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('SMSC did not get a TCP port');
  const port = address.port;

  return {
    url: `smpp://${encodeURIComponent(systemId)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    messages,
    stats,
    dropAll() {
      for (const session of [...server.sessions]) session.destroy();
    },
    async waitForMessages(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`SMSC got ${messages.length} of ${count} messages in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of [...server.sessions]) session.destroy();
      await closed;
    },
  };
}
