// The "bare limit" of a benchmark: a minimal Fastify server on the same database and pool
// size as the app, doing the one statement that the measured route cannot avoid. On
// PostgreSQL (DATABASE_URL) or, like the app by default, on an embedded PGlite folder of
// its own (PGLITE_DIR: a folder opens in one process at a time).
//   BARE=select-by-blind  → SELECT one resident by blind index (search by ID)
//   BARE=select-by-name   → SELECT residents by name prefix (search by name)
//   BARE=insert           → one INSERT into a table of the shape of samples (lane scans)
import Fastify from 'fastify';
import { openDb } from '../../server/src/db/client.js';

const url = process.env.DATABASE_URL || undefined;
// Never an in-memory PGlite by mistake: it would measure an empty database.
if (!url && !process.env.PGLITE_DIR) throw new Error('bare server: set DATABASE_URL or PGLITE_DIR');
const db = await openDb({ url, dataDir: process.env.PGLITE_DIR, poolSize: Number(process.env.POOL_SIZE ?? 10) });
const app = Fastify();
app.get('/api/health', async () => ({ ok: true }));

app.get<{ Querystring: { blind?: string; name?: string } }>('/bare/select-by-blind', async (req) => {
  const { rows } = await db.query('SELECT id, name, id_masked, place_path FROM residents WHERE id_blind = $1', [
    Buffer.from(req.query.blind ?? '', 'hex'),
  ]);
  return { items: rows };
});
app.get<{ Querystring: { name?: string } }>('/bare/select-by-name', async (req) => {
  const { rows } = await db.query(`SELECT id, name, id_masked, place_path FROM residents WHERE name LIKE $1 || '%' ORDER BY id LIMIT 50`, [
    req.query.name ?? '',
  ]);
  return { items: rows };
});
app.get<{ Querystring: { phone?: string } }>('/bare/select-by-phone', async (req) => {
  const { rows } = await db.query('SELECT id, name, id_masked, place_path FROM residents WHERE phone = $1 ORDER BY id LIMIT 50', [
    req.query.phone ?? '',
  ]);
  return { items: rows };
});

// The lane-scan limit: one INSERT into a table shaped like samples (same columns, defaults,
// identity and unique indexes; no foreign keys), with an idempotency key per scan.
if (process.env.BARE_INSERT === '1') {
  await db.query('DROP TABLE IF EXISTS bare_samples');
  await db.query('CREATE TABLE bare_samples (LIKE samples INCLUDING ALL)');
}
app.post<{ Body: { key: string; roundId: number; tubeId: number; residentId: number; placePath: string; siteId: number; laneId: number } }>('/bare/insert', async (req) => {
  const b = req.body;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO bare_samples (round_id, tube_id, resident_id, place_path, site_id, lane_id, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
    [b.roundId, b.tubeId, b.residentId, b.placePath, b.siteId, b.laneId, b.key],
  );
  return { id: rows[0]?.id ?? null };
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
