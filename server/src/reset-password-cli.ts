// npm run reset-password -- <username>: a new one-time password for an administrator, set from
// the machine that holds the database (DATABASE_URL, or the PGlite folder in DATA_DIR), printed
// in the same box as on first start. On PGlite the server must be stopped first (one process).
import { loadConfig } from './config.js';
import { openDb, PgliteBusyError } from './db/client.js';
import { resetAdminPassword } from './modules/accounts/index.js';
import { passwordBox } from './platform/logging.js';

const username = process.argv[2]?.trim();
if (!username) {
  console.error('用法 / usage: npm run reset-password -- <administrator username>   (e.g. npm run reset-password -- admin)');
  process.exit(2);
}

const config = loadConfig();
let db;
try {
  db = await openDb({ url: config.databaseUrl, poolSize: 2, dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite` });
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('users')::text AS t`);
  if (!rows[0].t) {
    console.error(`数据库中还没有账号（服务器从未在此启动过） / no accounts in this database yet (the server never started on it): ${config.databaseUrl ? 'DATABASE_URL' : `${config.dataDir}/pglite`}`);
    process.exitCode = 1;
  } else {
    const r = await resetAdminPassword(db, username);
    if (r.ok) {
      console.log(passwordBox(username, r.password, `已重置密码${r.reenabled ? '并重新启用账号' : ''} / password reset${r.reenabled ? ', account enabled again' : ''}`));
      console.log('  其他会话已退出 / its sessions were signed out. A running server on PostgreSQL keeps its sign-in waits for this account until it restarts or POST /api/users/:id/unlock.');
    } else {
      const list = r.admins.length ? r.admins.join(', ') : '—';
      console.error(
        r.reason === 'not_admin'
          ? `${username} 不是管理员；其他账号由管理员在控制台重置 / ${username} is not an administrator: other accounts are reset by an administrator in the console. Administrators: ${list}`
          : `没有账号 ${username} / no account ${username}. Administrators: ${list}`,
      );
      process.exitCode = 1;
    }
  }
} catch (err) {
  if (err instanceof PgliteBusyError) {
    console.error(err.message);
    process.exitCode = 3;
  } else throw err;
} finally {
  await db?.close();
}
