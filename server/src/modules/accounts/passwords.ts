// Password hashing (argon2id) and the password rule.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.js';

export const hashPassword = (plain: string) => hash(plain);
export const verifyPassword = (hashed: string, plain: string) => verify(hashed, plain).catch(() => false);

/** common-passwords.txt, lower case (copied beside the compiled file by the build). */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  fs
    .readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);

/** A password as found in the list: any case, and with symbols around it dropped ("Password123!" is "password123"). */
export function isCommonPassword(plain: string): boolean {
  const lower = plain.toLowerCase();
  return COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(lower.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, ''));
}

/**
 * The password rule: at least 10 characters with letters and digits, not one of the most common
 * passwords, and not containing the account's username (the first thing a guesser tries).
 */
export function assertStrongPassword(plain: string, field = 'newPassword', username?: string) {
  if (plain.length < 10 || !/[A-Za-z]/.test(plain) || !/\d/.test(plain)) {
    throw new AppError('AUTH_PASSWORD_WEAK', { field });
  }
  if (isCommonPassword(plain)) throw new AppError('AUTH_PASSWORD_COMMON', { field });
  if (username && username.length >= 3 && plain.toLowerCase().includes(username.toLowerCase())) {
    throw new AppError('AUTH_PASSWORD_HAS_USERNAME', { field });
  }
}

/** A password a person can type from a printout: no 0/O or 1/l/I. */
export function generatePassword(length = 14): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  while (out.length < length) out += alphabet[crypto.randomInt(alphabet.length)];
  // Guarantee the rule's letter and digit.
  return /\d/.test(out) && /[A-Za-z]/.test(out) ? out : generatePassword(length);
}
