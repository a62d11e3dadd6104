// Password hashing (argon2id) and the password rule.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.js';

export const hashPassword = (plain: string) => hash(plain);
export const verifyPassword = (hashed: string, plain: string) => verify(hashed, plain).catch(() => false);

export function assertStrongPassword(plain: string, field = 'newPassword') {
  if (plain.length < 10 || !/[A-Za-z]/.test(plain) || !/\d/.test(plain)) {
    throw new AppError('AUTH_PASSWORD_WEAK', { field });
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
