// The "bare SMPP submit loop": one node-smpp session, bound as a transceiver, submitting
// `count` messages with at most `window` outstanding and answering the receipts — no outbox,
// no pacing, no database. The outbox's SMS throughput is compared against this figure.
// The SMSC is the one the tests use (server/test/support/smsc.ts), so both see the same peer.
//   node --import tsx bench/smpp-bare.ts [count] [window]   → prints the figure once
import { pathToFileURL } from 'node:url';
import smpp from 'smpp';
import type { PDU, Session } from 'smpp';

export { startSmsc } from '../server/test/support/smsc.js';
export type { Smsc, SmscOptions } from '../server/test/support/smsc.js';

export interface BareSmppResult {
  count: number;
  window: number;
  seconds: number;
  perSecond: number;
}

/** Binds, submits `count` messages (a short Chinese notice, UCS-2, registered_delivery=1) with a window, unbinds. */
export async function measureBareSmpp(options: { url: string; count: number; window: number }): Promise<BareSmppResult> {
  const { count, window } = options;
  if (!(count > 0) || !(window > 0)) throw new Error('count and window must be above 0');
  const url = new URL(options.url);
  const session: Session = smpp.connect({ host: url.hostname, port: Number(url.port) });
  await new Promise<void>((resolve, reject) => {
    session.on('error', reject);
    session.on('connect', () => {
      session.bind_transceiver(
        { system_id: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
        (pdu: PDU) => (pdu.command_status === 0 ? resolve() : reject(new Error(`bind refused: status ${pdu.command_status}`))),
      );
    });
  });
  session.on('deliver_sm', (pdu: PDU) => session.send(pdu.response()));

  let sent = 0;
  let answered = 0;
  let failed = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    session.on('close', () => reject(new Error(`SMSC closed the session after ${answered} answers`)));
    const pump = () => {
      while (sent < count && sent - answered < window) {
        const i = sent++;
        session.submit_sm(
          { source_addr: '10690001', destination_addr: `138${String(i % 100_000_000).padStart(8, '0')}`, registered_delivery: 1, data_coding: 8, short_message: `您的核酸检测结果已出，请登录查看。${i}` },
          (pdu: PDU) => {
            answered += 1;
            if (pdu.command_status !== 0) failed += 1;
            if (answered === count) resolve();
            else pump();
          },
        );
      }
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  session.removeAllListeners('close');
  await new Promise<void>((resolve) => {
    session.unbind(() => session.close(() => resolve()));
  });
  if (failed) throw new Error(`${failed} of ${count} submits were refused`);
  return { count, window, seconds, perSecond: count / seconds };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startSmsc } = await import('../server/test/support/smsc.js');
  const count = Number(process.argv[2] ?? 20_000);
  const window = Number(process.argv[3] ?? 10);
  const smsc = await startSmsc();
  try {
    const r = await measureBareSmpp({ url: smsc.url, count, window });
    console.log(`bare SMPP submit loop: ${r.count} messages, window ${r.window}: ${r.seconds.toFixed(2)} s, ${Math.round(r.perSecond)} messages/s`);
  } finally {
    await smsc.close();
  }
}
