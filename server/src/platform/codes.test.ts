import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdVault } from './crypto.js';
import { looksLikeCode, readResidentCode, residentCode, verifyResidentCode } from './codes.js';

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

describe('versioned personal codes (a household card rotated after a loss)', () => {
  const vault = createIdVault(crypto.randomBytes(32));

  it('version 0 is the old format; later versions carry their number under the MAC', () => {
    expect(residentCode(vault, 77, 0)).toBe(residentCode(vault, 77));
    expect(residentCode(vault, 77).split('.')).toHaveLength(3);
    for (const v of [1, 2, 35, 36, 1000]) {
      const code = residentCode(vault, 77, v);
      expect(code.split('.')).toHaveLength(4);
      expect(readResidentCode(vault, code)).toEqual({ residentId: 77, version: v });
    }
    expect(readResidentCode(vault, residentCode(vault, 77))).toEqual({ residentId: 77, version: 0 });
  });

  it('a version cannot be edited into another, nor spelt a second way', () => {
    const code = residentCode(vault, 77, 1);
    const [p, id, , mac] = code.split('.');
    expect(readResidentCode(vault, [p, id, '2', mac].join('.'))).toBeNull();
    expect(readResidentCode(vault, [p, id, '0', residentCode(vault, 77).split('.')[2]].join('.'))).toBeNull();
    expect(readResidentCode(vault, [p, id, '01', mac].join('.'))).toBeNull();
  });
});
