// The "bare limit" of a benchmark: a minimal Fastify server on the same database and pool
// size as the app, doing the one statement that the measured route cannot avoid.
//   BARE=select-by-blind  → SELECT one resident by blind index (search by ID)
//   BARE=select-by-name   → SELECT residents by name prefix (search by name)
//   BARE=insert           → one INSERT into a table of the shape of samples (lane scans)
import Fastify from 'fastify';
import { openDb } from '../../server/src/db/client.js';

const db = await openDb({ url: process.env.DATABASE_URL, poolSize: Number(process.env.POOL_SIZE ?? 10) });
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

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
