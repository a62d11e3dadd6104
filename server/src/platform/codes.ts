// Personal codes (个人码): the QR on a household card or a resident's page that a sampler
// scans instead of typing an ID number. The code carries only the resident's id and a MAC,
// so it reveals nothing if photographed and cannot be edited into someone else's code.
//   FK1.<id base36>.<first 12 bytes of the MAC, base64url>
import crypto from 'node:crypto';
import type { IdVault } from './crypto.js';

const PREFIX = 'FK1';

export function residentCode(vault: IdVault, residentId: number): string {
  const id = residentId.toString(36);
  return `${PREFIX}.${id}.${vault.codeMac(`${PREFIX}.r.${id}`).subarray(0, 12).toString('base64url')}`;
}

/** The resident id in a genuine code, or null for anything else (a typo, a forgery, another system's QR). */
export function verifyResidentCode(vault: IdVault, code: string): number | null {
  const m = /^FK1\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{16})$/.exec(code.trim());
  if (!m) return null;
  const expected = vault.codeMac(`${PREFIX}.r.${m[1]}`).subarray(0, 12);
  const given = Buffer.from(m[2], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const id = parseInt(m[1], 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Does this scanner input look like one of our codes (rather than an ID number)? */
export function looksLikeCode(text: string): boolean {
  return text.trim().startsWith(`${PREFIX}.`);
}
