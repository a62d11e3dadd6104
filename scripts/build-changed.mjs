#!/usr/bin/env node
// Builds the console (web/dist) and the server (server/dist) only when their inputs changed,
// so `npm start` after a restart goes straight to the server.
//
// The rule: a target's fingerprint is the SHA-256 of the path, size and modification time of
// every input file (a file added, removed, edited or touched changes it). After a successful
// build the fingerprint is written into the target's output folder (.build-stamp); the next
// run builds again only when the fingerprint differs or the stamp or the output is missing.
// `--force` builds both regardless. `npm run build` always builds (and refreshes the stamps).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** What each target is built from, what it builds into, and the command. */
export const TARGETS = [
  {
    name: 'web',
    inputs: ['web/src', 'web/public', 'web/scripts', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'web/package.json', 'package-lock.json'],
    output: 'web/dist',
    command: ['npm', ['run', 'build', '-w', 'web']],
  },
  {
    name: 'server',
    inputs: ['server/src', 'server/tsconfig.json', 'server/tsconfig.build.json', 'server/package.json', 'package-lock.json'],
    output: 'server/dist',
    command: ['npm', ['run', 'build', '-w', 'server']],
  },
];

const STAMP = '.build-stamp';

function* files(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return; // an optional input (web/public) that does not exist
  }
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) yield* files(path.join(p, e));
  } else yield [p, st];
}

export function fingerprint(target, base = root) {
  const h = crypto.createHash('sha256');
  for (const input of target.inputs) {
    for (const [file, st] of files(path.join(base, input))) h.update(`${path.relative(base, file)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest('hex');
}

export function stale(target, base = root) {
  const out = path.join(base, target.output);
  let stamp = null;
  try {
    stamp = fs.readFileSync(path.join(out, STAMP), 'utf8').trim();
  } catch {
    // never built by this script
  }
  return stamp !== fingerprint(target, base);
}

export function build(target, base = root) {
  const before = fingerprint(target, base);
  const [cmd, args] = target.command;
  const r = spawnSync(cmd, args, { cwd: base, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // Inputs edited during the build: leave no stamp, so the next start builds again.
  if (fingerprint(target, base) === before) fs.writeFileSync(path.join(base, target.output, STAMP), `${before}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const force = process.argv.includes('--force');
  for (const t of TARGETS) {
    if (force || stale(t)) {
      console.log(`  build ${t.name}: ${force ? '--force' : 'its sources changed since the last build'}`);
      build(t);
    } else console.log(`  build ${t.name}: up to date (${t.output} is built from the current sources), skipped`);
  }
}
