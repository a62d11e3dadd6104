// Personal codes (个人码): the QR on a household card or a resident's page that a sampler
// scans instead of typing an ID number. The code carries only the resident's id, the version of
// the household's codes and a MAC, so it reveals nothing if photographed and cannot be edited
// into someone else's code (or into a newer version).
//   version 0:  FK1.<id base36>.<first 12 bytes of the MAC, base64url>
//   version ≥1: FK1.<id base36>.<version base36>.<MAC over id and version>
// A lost card: an officer rotates the household's codes (households.code_version + 1); a code of
// an older version is genuine but revoked, and whoever checks it compares the version with the
// household's (the lane, the portal's card sign-in, the self-report).
import crypto from 'node:crypto';
import type { IdVault } from './crypto.js';

const PREFIX = 'FK1';

function macOf(vault: IdVault, id36: string, version: number): string {
  const data = version === 0 ? `${PREFIX}.r.${id36}` : `${PREFIX}.r.${id36}.${version.toString(36)}`;
  return vault.codeMac(data).subarray(0, 12).toString('base64url');
}

export function residentCode(vault: IdVault, residentId: number, version = 0): string {
  const id = residentId.toString(36);
  if (version === 0) return `${PREFIX}.${id}.${macOf(vault, id, 0)}`;
  return `${PREFIX}.${id}.${version.toString(36)}.${macOf(vault, id, version)}`;
}

/** The resident id and code version in a genuine code, or null for anything else (a typo, a forgery, another system's QR). */
export function readResidentCode(vault: IdVault, code: string): { residentId: number; version: number } | null {
  const m = /^FK1\.([0-9a-z]{1,8})(?:\.([0-9a-z]{1,6}))?\.([A-Za-z0-9_-]{16})$/.exec(code.trim());
  if (!m) return null;
  const version = m[2] === undefined ? 0 : parseInt(m[2], 36);
  // version 0 has one spelling only (without the part), so one code never has two forms
  if (m[2] !== undefined && (version === 0 || m[2] !== version.toString(36))) return null;
  const expected = Buffer.from(macOf(vault, m[1], version), 'base64url');
  const given = Buffer.from(m[3], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const id = parseInt(m[1], 36);
  return Number.isSafeInteger(id) && id > 0 ? { residentId: id, version } : null;
}

/** The resident id in a genuine code of any version (whether it is revoked is the caller's question), or null. */
export function verifyResidentCode(vault: IdVault, code: string): number | null {
  return readResidentCode(vault, code)?.residentId ?? null;
}

/** Does this scanner input look like one of our codes (rather than an ID number)? */
export function looksLikeCode(text: string): boolean {
  return text.trim().startsWith(`${PREFIX}.`);
}
