// Opaque cursors for every list: the last row's id, base64url-encoded.
import { fieldInvalid } from './errors.js';

export function encodeCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString();
  const n = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(n)) throw fieldInvalid('cursor', { 'zh-CN': '分页游标无效', 'en-US': 'not a cursor from this list' });
  return n;
}
