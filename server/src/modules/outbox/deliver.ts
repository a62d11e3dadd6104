// The outbox's dispatcher: takes due messages, sends each through its channel, records the
// outcome. Several server processes may run one each on the same PostgreSQL database:
//
// - A claim is one UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED) that sets status 'sending',
//   counts the attempt and sets next_attempt_at to the end of a lease, committed before the
//   send. Two processes never claim the same row; a process that dies mid-send leaves rows in
//   'sending' whose lease runs out, and they are claimed again (the only case a message can go
//   out twice: a crash between the peer's answer and the outcome's commit).
// - The outcome is written only where the claim still stands (status 'sending' and the same
//   attempt count), so a process that overran its lease cannot overwrite a newer claim; outcomes
//   and receipts are written many to a statement (outcomes.ts).
// - Retryable failures (throttled, disconnected, 5xx, timeouts) go back to 'queued' with an
//   exponential delay until maxAttempts; the others fail at once. The reason is kept.
// - Each channel is paced to its ratePerSecond (per process) with a bounded number in flight.
// - Woken by the event bus (outbox.queued, published by notifyQueued after a caller's commit),
//   by a timer at the next due retry, and by a slow poll on the job runner.
import type { Db } from '../../db/client.js';
import { sql } from '../../db/sql.js';
import type { EventBus } from '../../platform/events.js';
import type { Jobs } from '../../platform/jobs.js';
import { ChannelError, type Channel, type ChannelName, type DeliveryReceipt } from './channels/channel.js';
import { outcomeWriter, type Outcome } from './outcomes.js';
import { pacer } from './pace.js';

export const QUEUED_TOPIC = 'outbox.queued';
const POLL_QUEUE = 'outbox-poll';

/** Tells every process's dispatcher that messages were queued: call it after the transaction that queued them commits. */
export function notifyQueued(events: EventBus, channels?: readonly ChannelName[]): void {
  events.publish(QUEUED_TOPIC, channels ? { channels: [...channels] } : {});
}

export interface DispatcherOptions {
  maxAttempts: number;
  /** the first retry's delay; doubled at each further attempt */
  retryDelaySeconds: number;
  leaseSeconds: number;
  /** rows one claim takes (default 200) */
  batchSize?: number;
  /** sends in flight at once per channel (default 50) */
  inFlight?: number;
  /** the longest the dispatcher sleeps with nothing due before it looks again (default 30 s) */
  idleMs?: number;
}

export interface Dispatcher {
  /** Look for due messages now (coalesced: a wake while running runs once more after). */
  wake(): void;
  /** Runs every channel until nothing is due now; answers the messages handled. */
  drain(): Promise<number>;
  /** Applies a delivery receipt (SMPP deliver_sm) to the message with that provider id. */
  applyReceipt(channel: ChannelName, receipt: DeliveryReceipt): Promise<boolean>;
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  address: string;
  body: string;
  subject: string | null;
  attempts: number;
  resident_id: number | null;
  user_id: number | null;
}

function reason(err: unknown): { retryable: boolean; code: string; text: string } {
  if (err instanceof ChannelError) return { retryable: err.retryable, code: err.code ?? 'CHANNEL_ERROR', text: err.message.slice(0, 500) };
  return { retryable: true, code: 'INTERNAL', text: String((err as Error)?.message ?? err).slice(0, 500) };
}

export function createDispatcher(db: Db, channels: ReadonlyMap<ChannelName, Channel>, options: DispatcherOptions): Dispatcher {
  const batchSize = options.batchSize ?? 200;
  const inFlight = options.inFlight ?? 50;
  const idleMs = options.idleMs ?? 30_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const claim = async (channel: ChannelName, limit: number): Promise<Claimed[]> => {
    const { rows } = await db.query<Claimed>(sql`
      UPDATE messages m
      SET status = 'sending', attempts = m.attempts + 1,
          next_attempt_at = now() + make_interval(secs => ${options.leaseSeconds})
      FROM (SELECT id FROM messages
            WHERE channel = ${channel} AND status IN ('queued', 'sending') AND next_attempt_at <= now()
            ORDER BY next_attempt_at
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED) due
      WHERE m.id = due.id
      RETURNING m.id, m.address, m.body, m.subject, m.attempts, m.resident_id, m.user_id`);
    return rows;
  };

  /** Gives back a claim that will not be sent (the dispatcher stopped with it in hand): due again at once, the attempt not counted. */
  const release = async (batch: Claimed[]) => {
    if (batch.length === 0) return;
    await db.query(sql`
      UPDATE messages m SET status = 'queued', attempts = m.attempts - 1, next_attempt_at = now()
      FROM unnest(${batch.map((b) => b.id)}::uuid[], ${batch.map((b) => b.attempts)}::int[]) AS c(id, attempts)
      WHERE m.id = c.id AND m.status = 'sending' AND m.attempts = c.attempts`);
  };

  const writer = outcomeWriter(db);

  // Outcomes being written: a send's in-flight place is free once the peer has answered; the
  // write goes on, many to a statement. A write that fails leaves the row 'sending' until its
  // lease runs out, and it is claimed again.
  const writes = new Set<Promise<void>>();
  const MAX_WRITES = 2000;
  // An SMSC may send the receipt before the outcome carrying its provider id is written (the
  // tests' SMSC does, at once): the receipt waits for that write instead of missing and trying
  // again later, a statement that finds nothing and a 500 ms wait for every such message.
  const writing = new Map<string, Promise<void>>();

  const record = async (msg: Claimed, channel: Channel) => {
    let outcome: Outcome;
    try {
      const sent = await channel.send({ id: msg.id, address: msg.address, body: msg.body, subject: msg.subject ?? undefined });
      outcome = { id: msg.id, attempts: msg.attempts, status: sent.devOnly ? 'dev' : sent.delivered ? 'delivered' : 'sent', providerId: sent.providerId };
    } catch (err) {
      const why = reason(err);
      const again = why.retryable && msg.attempts < options.maxAttempts;
      outcome = {
        id: msg.id,
        attempts: msg.attempts,
        status: again ? 'queued' : 'failed',
        delaySeconds: again ? options.retryDelaySeconds * 2 ** (msg.attempts - 1) : undefined,
        failureCode: why.code,
        failure: why.text,
      };
    }
    const providerKey = outcome.providerId ? `${channel.name}:${outcome.providerId}` : undefined;
    const w: Promise<void> = writer.outcome
      .submit(outcome)
      .catch(() => undefined)
      .finally(() => {
        writes.delete(w);
        if (providerKey && writing.get(providerKey) === w) writing.delete(providerKey);
      });
    writes.add(w);
    if (providerKey) writing.set(providerKey, w);
    if (writes.size >= MAX_WRITES) await Promise.race(writes);
  };

  /** Sends everything due on one channel; answers how many were handled. */
  const runChannel = async (name: ChannelName, channel: Channel, pace: () => Promise<void>) => {
    let handled = 0;
    // The next batch is claimed as soon as this one is in hand, while its sends go out (they are
    // 'sending', so no claim takes them twice): a claim costs milliseconds, and the channel
    // idled through each one when it waited for it (measured: 90 claims, p50 13 ms, with the
    // sends drained to none). A batch waits for the one before it, so two of them must go out
    // well inside a lease at the channel's rate: a slow channel claims fewer at a time.
    const limit = Math.max(1, Math.min(batchSize, Math.floor((channel.ratePerSecond * options.leaseSeconds) / 4)));
    const running = new Set<Promise<void>>();
    // a claim that fails while the batch before it goes out is thrown where it is awaited
    const ahead = () => {
      const p = claim(name, limit);
      p.catch(() => undefined);
      return p;
    };
    let next: Promise<Claimed[]> | undefined = ahead();
    while (next) {
      const batch = await next;
      next = undefined;
      if (batch.length === 0) break;
      if (stopped) {
        await release(batch);
        break;
      }
      if (batch.length === limit) next = ahead();
      for (const msg of batch) {
        await pace();
        const p: Promise<void> = record(msg, channel).finally(() => running.delete(p));
        running.add(p);
        if (running.size >= inFlight) await Promise.race(running);
      }
      handled += batch.length;
    }
    await Promise.all(running);
    await Promise.all(writes);
    return handled;
  };

  const loops = new Map<ChannelName, { pace: () => Promise<void>; running?: Promise<number>; again: boolean }>();
  for (const [name, channel] of channels) loops.set(name, { pace: pacer(channel.ratePerSecond), again: false });

  const runLoop = (name: ChannelName): Promise<number> => {
    const loop = loops.get(name)!;
    if (loop.running) {
      loop.again = true;
      return loop.running;
    }
    loop.running = (async () => {
      let total = 0;
      try {
        do {
          loop.again = false;
          total += await runChannel(name, channels.get(name)!, loop.pace);
        } while (loop.again && !stopped);
      } finally {
        loop.running = undefined;
      }
      return total;
    })();
    return loop.running;
  };

  /** Sleeps until the next retry or lease end falls due (at most idleMs). */
  const rearm = async () => {
    if (stopped) return;
    const { rows } = await db.query<{ ms: number | null }>(sql`
      SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
      FROM messages WHERE status IN ('queued', 'sending') AND channel = ANY(${[...channels.keys()]})`);
    const ms = rows[0]?.ms;
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => dispatcher.wake(), Math.min(idleMs, Math.max(50, ms ?? idleMs)));
    timer.unref();
  };

  const dispatcher: Dispatcher = {
    wake() {
      if (stopped) return;
      void dispatcher
        .drain()
        .then(rearm)
        .catch(() => {
          // the database is away: look again later
          clearTimeout(timer);
          if (!stopped) timer = setTimeout(() => dispatcher.wake(), 1000).unref();
        });
    },
    async drain() {
      const counts = await Promise.all([...loops.keys()].map((name) => runLoop(name)));
      return counts.reduce((a, b) => a + b, 0);
    },
    async applyReceipt(channel, receipt) {
      await writing.get(`${channel}:${receipt.providerId}`);
      return writer.receipt.submit({ ...receipt, channel });
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...loops.values()].map((l) => l.running?.catch(() => 0)));
      await Promise.all([writer.outcome.idle(), writer.receipt.idle()]);
    },
  };

  // Receipts: the SMSC may answer with a receipt before the send's outcome is written (the
  // channel says so), so one that matches nothing yet is tried again a few times.
  for (const [name, channel] of channels) {
    channel.onReceipt((receipt) => {
      const attempt = (left: number) => {
        void dispatcher.applyReceipt(name, receipt).then(
          (matched) => {
            if (!matched && left > 0 && !stopped) setTimeout(() => attempt(left - 1), 500).unref();
          },
          () => undefined,
        );
      };
      attempt(10);
    });
  }
  return dispatcher;
}

/** The dispatcher on the job runner and the event bus: woken at once on outbox.queued, and by a poll every minute. */
export async function runDispatcher(dispatcher: Dispatcher, events: EventBus, jobs: Jobs): Promise<() => Promise<void>> {
  const unsubscribe = events.subscribe(QUEUED_TOPIC, () => dispatcher.wake());
  await jobs.queue(POLL_QUEUE, { expireInSeconds: 60 });
  await jobs.work(POLL_QUEUE, async () => dispatcher.wake(), { pollingIntervalSeconds: 10 });
  await jobs.schedule(POLL_QUEUE, '* * * * *');
  dispatcher.wake();
  return async () => {
    unsubscribe();
    await dispatcher.stop();
  };
}
