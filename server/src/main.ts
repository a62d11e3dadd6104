// Starts the server: migrate, create the administrator, load the demo district into an
// empty database, listen.
import { buildApp } from './app.js';
import { openContext } from './bootstrap.js';
import { loadConfig } from './config.js';
import { ensureAdmin } from './modules/accounts/index.js';
import { loadDemoIfEmpty } from './db/seed/demo.js';
import { warmOpenCampaigns } from './modules/testing/index.js';
import { loggerOptions, passwordBox } from './platform/logging.js';

const config = loadConfig();
const ctx = await openContext(config);
const app = await buildApp(ctx, { logger: loggerOptions(config.logLevel, config.logRequests), requestLog: config.logRequests, background: true });

const admin = await ensureAdmin(ctx);
console.log(
  config.loadDemo
    ? `  演示数据：空库时载入（${config.databaseUrl ? 'LOAD_DEMO=true' : '内置 PGlite 默认'}） / demo: loaded into an empty database (${config.databaseUrl ? 'LOAD_DEMO=true was given' : 'the default on embedded PGlite'})`
    : `  演示数据：不载入 / demo: not loaded (${config.databaseUrl ? 'DATABASE_URL without LOAD_DEMO=true' : 'LOAD_DEMO=false'})`,
);
if (config.loadDemo) {
  const demo = await loadDemoIfEmpty(ctx, { residents: config.demoResidents, log: (m) => app.log.info(m) });
  if (demo) {
    console.log(`  演示辖区已载入 / demo district loaded: ${demo.residents} residents in ${demo.households} households`);
    if (demo.campaign) console.log(`  演示核酸检测 / demo testing campaign: ${demo.campaign.name}, ${demo.campaign.samples} samples so far`);
    for (const u of demo.accounts) console.log(`  演示账号 / demo account: ${u.username} / ${u.password}  (${u.role}, ${u.place})`);
  }
}

await app.listen({ port: config.port, host: config.host });
void warmOpenCampaigns(ctx).catch(() => undefined); // coverage of campaigns under way, counted before anyone asks
console.log(`  Fangkong: http://localhost:${config.port}/   API docs: http://localhost:${config.port}/api/docs`);
if (admin.password) {
  // Printed once, last, in a box: the administrator must change it at first sign-in, and
  // `npm run reset-password` gives a new one when it is lost.
  console.log(passwordBox('admin', admin.password, '首次启动，已创建管理员 / first start: the administrator was created'));
}
console.log(
  config.logRequests === 'json'
    ? '  请求日志：JSON / request log: JSON (LOG_REQUESTS=short for one line per request, off for none)'
    : `  请求日志：${config.logRequests === 'short' ? '每个请求一行' : '关闭'} / request log: ${config.logRequests === 'short' ? 'one line per request' : 'off'} (LOG_REQUESTS=json for structured logs)`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await ctx.db.close();
    process.exit(0);
  });
}
