import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdVault } from './crypto.js';
import { looksLikeCode, residentCode, verifyResidentCode } from './codes.js';

describe('personal codes', () => {
  const vault = createIdVault(crypto.randomBytes(32));

  it('round-trips a resident id', () => {
    for (const id of [1, 42, 999_999, 2_000_000_000]) {
      const code = residentCode(vault, id);
      expect(looksLikeCode(code)).toBe(true);
      expect(verifyResidentCode(vault, code)).toBe(id);
    }
  });

  it('rejects an edited id, a code from another key, and junk', () => {
    const code = residentCode(vault, 1234);
    const forged = code.replace(`.${(1234).toString(36)}.`, `.${(1235).toString(36)}.`);
    expect(verifyResidentCode(vault, forged)).toBeNull();
    expect(verifyResidentCode(createIdVault(crypto.randomBytes(32)), code)).toBeNull();
    expect(verifyResidentCode(vault, '120103198503171234')).toBeNull();
    expect(verifyResidentCode(vault, 'FK1..')).toBeNull();
  });
});
