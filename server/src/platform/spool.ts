// Where uploaded files and the spreadsheet library's spool files live while a request reads
// them: one folder per process under DATA_DIR (mode 0700, files 0600), emptied at start, so a
// ledger full of ID numbers is never left world-readable in the system's temp folder, not even
// after a crash (issue 11).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The spool root of a data directory; each process has its own folder in it, named by its pid. */
export const spoolRoot = (dataDir: string) => path.join(dataDir, 'spool');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Empties this process's spool folder and the folders of processes no longer running (what a
 * crash left behind), creates this process's folder and points the spreadsheet library's
 * spool files at it. Another live process's folder is left alone (several servers may share DATA_DIR).
 */
export function prepareSpool(dataDir: string): string {
  const root = spoolRoot(dataDir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(root)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  const dir = path.join(root, String(process.pid));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(dir, 'xlsx'), { recursive: true, mode: 0o700 });
  redirectLibrarySpool(path.join(dir, 'xlsx'));
  return dir;
}

/** A new file name in the spool folder. */
export function spoolFile(dir: string, ext: string): string {
  return path.join(dir, `upload-${crypto.randomUUID()}.${ext}`);
}

/** A write stream for a spool file: readable by this user only. */
export function spoolWriteStream(file: string): fs.WriteStream {
  return fs.createWriteStream(file, { mode: 0o600, flags: 'wx' });
}

// ---- the spreadsheet library's spool files
// ExcelJS's streaming reader copies a worksheet that comes before the shared strings into a
// file from the `tmp` package (in os.tmpdir()) and deletes it only when it reads that sheet to
// the end: a reader stopped early (a preview, a header check) left the rows behind until exit.
// Its files go to our folder instead, and each reader deletes the files it made when it closes.
// A file belongs to the reader whose parsing made it (AsyncLocalStorage around each step of the
// reader): one reader closing never deletes a file another reader is still about to open, which
// ExcelJS would answer with an 'error' on a stream nobody listens to (a dead process).

type Callback = (...a: unknown[]) => void;
type TmpFile = (options: object | Callback, cb?: Callback) => void;
const tmp = createRequire(import.meta.url)('tmp') as { file: TmpFile & { fangkong?: AsyncLocalStorage<Set<string>> } };
let libraryDir: string | null = null;

function redirectLibrarySpool(dir: string) {
  libraryDir = dir;
  if (tmp.file.fangkong) return;
  const original = tmp.file;
  const wrapped = ((options: object | Callback, cb?: Callback) => {
    const callback = typeof options === 'function' ? (options as Callback) : cb!;
    const opts = typeof options === 'function' ? {} : options;
    original({ mode: 0o600, prefix: 'xlsx-', ...opts, ...(libraryDir && fs.existsSync(libraryDir) ? { tmpdir: libraryDir } : {}) }, (err: unknown, name: unknown, ...rest: unknown[]) => {
      if (!err) wrapped.fangkong!.getStore()?.add(name as string);
      callback(err, name, ...rest);
    });
  }) as TmpFile & { fangkong?: AsyncLocalStorage<Set<string>> };
  // The store lives on the patched function: a second copy of this module (a test runner's fresh
  // module registry over the same CommonJS `tmp`) finds it there instead of patching twice.
  wrapped.fangkong = new AsyncLocalStorage<Set<string>>();
  tmp.file = wrapped;
}

/**
 * A spreadsheet reader whose spool files are its own: iterate `sheets` (each step runs with this
 * reader's file list) and call `close` when done, after the iteration has ended or been stopped.
 */
export function ownedSpreadsheetReader<T>(reader: AsyncIterable<T>): { sheets: AsyncIterable<T>; close(): void } {
  const files = new Set<string>();
  const store = tmp.file.fangkong;
  const run = <R>(step: () => Promise<R>): Promise<R> => (store ? store.run(files, step) : step());
  const sheets: AsyncIterable<T> = {
    [Symbol.asyncIterator]() {
      const it = reader[Symbol.asyncIterator]();
      return {
        next: () => run(() => it.next()),
        return: (value?: unknown) => run(() => (it.return ? it.return(value) : Promise.resolve({ done: true as const, value: undefined as T }))),
      };
    },
  };
  return {
    sheets,
    close() {
      for (const f of files) fs.rmSync(f, { force: true });
      files.clear();
    },
  };
}
