// Live updates: services publish small events ("samples changed in campaign 7"); SSE
// streams subscribe. On PostgreSQL events go through NOTIFY/LISTEN, so every server process
// behind a load balancer hears every other; on PGlite (one process) they stay in process.
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Db } from '../db/client.js';

const CHANNEL = 'fangkong_events';

export interface AppEvent {
  topic: string;
  data: Record<string, unknown>;
}

export interface EventBus {
  publish(topic: string, data: Record<string, unknown>): void;
  subscribe(topic: string, fn: (data: Record<string, unknown>) => void): () => void;
  close(): Promise<void>;
}

export function createEventBus(db: Db): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let listener: pg.PoolClient | undefined;
  let closed = false;

  // One connection per process held for LISTEN, opened on the first subscriber (scripts that
  // never subscribe must not hold a connection their pool would wait for); re-opened if lost.
  let listening = false;
  const listen = async () => {
    if (closed) return;
    try {
      const client = await db.pool!.connect();
      client.on('notification', (n) => {
        if (!n.payload) return;
        try {
          const e = JSON.parse(n.payload) as AppEvent;
          emitter.emit(e.topic, e.data);
        } catch {
          /* not ours */
        }
      });
      client.on('error', () => {
        client.release(true);
        listener = undefined;
        setTimeout(listen, 1000).unref();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
    } catch {
      setTimeout(listen, 1000).unref();
    }
  };

  return {
    publish(topic, data) {
      if (db.pool) {
        // Through PostgreSQL so other processes hear it; this process hears it from LISTEN too.
        db.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ topic, data })]).catch(() => emitter.emit(topic, data));
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
    async close() {
      closed = true;
      if (listener) {
        await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        listener.release();
        listener = undefined;
      }
      emitter.removeAllListeners();
    },
  };
}
