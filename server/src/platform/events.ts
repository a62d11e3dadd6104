// Live updates: services publish small events ("samples changed in campaign 7"); SSE
// streams subscribe. On PostgreSQL events go through NOTIFY/LISTEN, so every server process
// behind a load balancer hears every other; on PGlite (one process) they stay in process.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db } from '../db/client.js';
import { groupCommit } from './group-commit.js';

const CHANNEL = 'fangkong_events';

export interface AppEvent {
  topic: string;
  data: Record<string, unknown>;
}

export interface EventBus {
  publish(topic: string, data: Record<string, unknown>): void;
  subscribe(topic: string, fn: (data: Record<string, unknown>) => void): () => void;
  /**
   * Takes one of an account's live-stream places (at most `max` open at once in this process):
   * the function that gives it back, or null when all are taken.
   */
  holdStream(accountId: number, max: number): (() => void) | null;
  close(): Promise<void>;
}

/**
 * Live streams per account. Over the cap the next stream is refused (429), rather than the oldest
 * closed: a browser's EventSource reconnects by itself after its stream ends, so closing the
 * oldest would have N+1 open tabs take the places from each other forever, each reconnect
 * recomputing a board; a refused EventSource stays closed and the console falls back to polling.
 * A stream whose client vanished gives its place back when its socket closes (the 20 s ping
 * finds a dead connection).
 */
function streamPlaces() {
  const open = new Map<number, number>();
  return (accountId: number, max: number) => {
    const held = open.get(accountId) ?? 0;
    if (held >= max) return null;
    open.set(accountId, held + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (open.get(accountId) ?? 1) - 1;
      if (left > 0) open.set(accountId, left);
      else open.delete(accountId);
    };
  };
}

/** A session connection for LISTEN: from the pool, or its own (behind PgBouncer in transaction mode). */
interface ListenConnection {
  client: pg.ClientBase;
  done(): void;
}

async function connectListener(db: Db, listenUrl?: string): Promise<ListenConnection> {
  if (listenUrl) {
    const client = new pg.Client({ connectionString: listenUrl });
    await client.connect();
    return { client, done: () => void client.end().catch(() => undefined) };
  }
  const client = await db.pool!.connect();
  return { client, done: () => client.release(true) };
}

/** listenUrl: where LISTEN connects, when it must not come from the pool (PgBouncer in transaction mode). */
export function createEventBus(db: Db, listenUrl?: string): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let listener: ListenConnection | undefined;
  let closed = false;
  const holdStream = streamPlaces();
  // Events published together go as one statement: the outbox hands a million in-app messages
  // over in batches, and one round trip per event would be a million. (PostgreSQL folds an
  // identical payload sent twice in one statement into one notification: an event says "look
  // again", so the listener loses nothing.)
  const notify = groupCommit<string, void>({
    inFlight: 2,
    maxBatch: 500,
    run: async (payloads) => {
      await db.query('SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) p', [CHANNEL, payloads]);
      return payloads.map(() => undefined);
    },
  });

  // One connection per process held for LISTEN, opened on the first subscriber (scripts that
  // never subscribe must not hold a connection their pool would wait for); re-opened if lost.
  let listening = false;
  const listen = async () => {
    if (closed) return;
    try {
      const conn = await connectListener(db, listenUrl);
      conn.client.on('notification', (n) => {
        if (!n.payload) return;
        try {
          const e = JSON.parse(n.payload) as AppEvent;
          emitter.emit(e.topic, e.data);
        } catch {
          /* not ours */
        }
      });
      conn.client.on('error', () => {
        conn.done();
        listener = undefined;
        setTimeout(listen, 1000).unref();
      });
      await conn.client.query(`LISTEN ${CHANNEL}`);
      listener = conn;
    } catch {
      setTimeout(listen, 1000).unref();
    }
  };

  return {
    publish(topic, data) {
      if (db.pool) {
        // Through PostgreSQL so other processes hear it; this process hears it from LISTEN too.
        notify.submit(JSON.stringify({ topic, data })).catch(() => emitter.emit(topic, data));
      } else {
        emitter.emit(topic, data);
      }
    },
    subscribe(topic, fn) {
      if (db.pool && !listening) {
        listening = true;
        void listen();
      }
      emitter.on(topic, fn);
      return () => emitter.off(topic, fn);
    },
    holdStream,
    async close() {
      closed = true;
      await notify.idle();
      if (listener) {
        await listener.client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        listener.done();
        listener = undefined;
      }
      emitter.removeAllListeners();
    },
  };
}
