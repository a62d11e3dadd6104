// Bounds what an XLSX expands to before exceljs reads it. exceljs inflates each part of the
// zip in memory-hungry ways (the shared strings are cached whole, a cell's text is one string),
// and a zip's own size fields are claims: a 300 KB file can declare 1 KB and inflate to
// 300 MB. So every part is inflated here, counted as it goes and abandoned at the limit, and
// the XML is scanned for a text run (between two '<') or a row (between two '<row') longer
// than a cell or a row may be. The parts must also tile the file from byte 0 to the central
// directory, so exceljs' sequential reader cannot meet a part this check did not see.
import fs from 'node:fs';
import zlib from 'node:zlib';
import unzipper from 'unzipper';
import type { ImportLimits } from '../../../config.js';
import { AppError } from '../../../platform/errors.js';

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

function tooLarge(part: string, limit: number): AppError {
  return new AppError('IMPORT_TOO_LARGE', { field: 'file', params: { part, limit: mb(limit) } });
}

function damaged(): AppError {
  return new AppError('IMPORT_DAMAGED', { field: 'file' });
}

/** The longest text a cell may hold, as XML bytes: every character an entity (&#x10000;) at worst. */
const runLimit = (l: ImportLimits) => l.maxCellChars * 10 + 1024;

async function readAt(fd: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fd.read(buf, 0, length, position);
  if (bytesRead < length) throw damaged();
  return buf;
}

export async function checkXlsx(file: string, limits: ImportLimits): Promise<void> {
  let dir: unzipper.CentralDirectory;
  try {
    dir = await unzipper.Open.file(file);
  } catch {
    throw damaged();
  }
  if (dir.files.length > limits.maxXlsxParts) throw tooLarge(`${dir.files.length} parts`, limits.maxXlsxParts);
  const fd = await fs.promises.open(file, 'r');
  try {
    const entries = [...dir.files].sort((a, b) => a.offsetToLocalFileHeader - b.offsetToLocalFileHeader);
    let expected = 0;
    let total = 0;
    for (const e of entries) {
      if (e.offsetToLocalFileHeader !== expected) throw damaged();
      const head = await readAt(fd, e.offsetToLocalFileHeader, 30);
      if (head.readUInt32LE(0) !== 0x04034b50) throw damaged();
      const start = e.offsetToLocalFileHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
      let end = start + e.compressedSize;
      if (e.flags & 0x8) {
        // A data descriptor follows the data: crc, sizes (4 or 8 bytes each), an optional signature.
        const sig = await readAt(fd, end, 4);
        const base = sig.readUInt32LE(0) === 0x08074b50 ? 4 : 0;
        const zip64 = e.compressedSize >= 0xffffffff || e.uncompressedSize >= 0xffffffff;
        end += base + (zip64 ? 20 : 12);
      }
      expected = end;
      const partLimit = /^xl\/sharedStrings\.xml$/i.test(e.path)
        ? Math.min(limits.maxSharedStringsBytes, limits.maxXlsxBytes)
        : limits.maxXlsxBytes;
      const size = await inflatedSize(
        file,
        e.path,
        start,
        e.compressedSize,
        e.compressionMethod,
        Math.min(partLimit, limits.maxXlsxBytes - total),
        limits,
      );
      total += size;
    }
    if (expected !== dir.offsetToStartOfCentralDirectory) throw damaged();
  } finally {
    await fd.close();
  }
}

/** Inflates one part, counting; throws once it passes `limit` or holds an over-long text run or row. */
function inflatedSize(
  file: string,
  part: string,
  start: number,
  compressed: number,
  method: number,
  limit: number,
  limits: ImportLimits,
): Promise<number> {
  if (method !== 0 && method !== 8) return Promise.reject(damaged());
  const xml = /\.(xml|rels)$/i.test(part);
  const sheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(part);
  const maxRun = runLimit(limits);
  return new Promise((resolve, reject) => {
    const input = compressed > 0 ? fs.createReadStream(file, { start, end: start + compressed - 1 }) : null;
    if (!input) return resolve(0);
    const inflate = method === 8 ? zlib.createInflateRaw() : null;
    const out = inflate ? input.pipe(inflate) : input;
    let size = 0;
    let sinceLt = 0; // bytes since the last '<'
    let sinceRow = 0; // bytes since the last '<row'
    let tail = ''; // the last bytes of the previous chunk, to find '<row' across chunks
    const stop = (err: AppError) => {
      input.destroy();
      inflate?.destroy();
      reject(err);
    };
    out.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(tooLarge(part, limit));
      if (!xml) return;
      let at = 0;
      for (let i = chunk.indexOf(0x3c); i >= 0; i = chunk.indexOf(0x3c, i + 1)) {
        if (sinceLt + (i - at) > maxRun)
          return stop(new AppError('IMPORT_CELL_TOO_LONG_IN', { field: 'file', params: { part, limit: limits.maxCellChars } }));
        sinceLt = 0;
        at = i + 1;
      }
      sinceLt += chunk.length - at;
      if (sinceLt > maxRun)
        return stop(new AppError('IMPORT_CELL_TOO_LONG_IN', { field: 'file', params: { part, limit: limits.maxCellChars } }));
      if (!sheet) return;
      const text = tail + chunk.toString('latin1');
      const last = text.lastIndexOf('<row');
      sinceRow = last >= 0 ? text.length - last : sinceRow + chunk.length;
      if (sinceRow > limits.maxRowBytes)
        return stop(new AppError('IMPORT_ROW_TOO_LONG_IN', { field: 'file', params: { part, limit: mb(limits.maxRowBytes) } }));
      tail = text.slice(-4);
    });
    out.on('error', () => stop(damaged()));
    out.on('end', () => resolve(size));
  });
}
