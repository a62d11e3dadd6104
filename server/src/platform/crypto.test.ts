import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIdVault, loadMasterKey } from './crypto.js';

describe('ID vault', () => {
  const vault = createIdVault(crypto.randomBytes(32));

  it('round-trips, with a fresh IV each time', () => {
    const a = vault.encrypt('11010519491231002X');
    const b = vault.encrypt('11010519491231002X');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('11010519491231002X'))).toBe(false);
    expect(vault.decrypt(a)).toBe('11010519491231002X');
  });

  it('detects tampering', () => {
    const c = vault.encrypt('11010519491231002X');
    c[c.length - 1] ^= 1;
    expect(() => vault.decrypt(c)).toThrow();
  });

  it('gives a stable blind index per key, type and number', () => {
    expect(vault.blindIndex('mainland_id', 'X').equals(vault.blindIndex('mainland_id', 'X'))).toBe(true);
    expect(vault.blindIndex('mainland_id', 'X').equals(vault.blindIndex('passport', 'X'))).toBe(false);
    const other = createIdVault(crypto.randomBytes(32));
    expect(other.blindIndex('mainland_id', 'X').equals(vault.blindIndex('mainland_id', 'X'))).toBe(false);
  });

  it('generates a laptop key once and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-key-'));
    const k1 = loadMasterKey(undefined, dir);
    const k2 = loadMasterKey(undefined, dir);
    expect(k1.equals(k2)).toBe(true);
    expect(k1.length).toBe(32);
    expect(() => loadMasterKey('c2hvcnQ=', dir)).toThrow(/32 bytes/);
    fs.rmSync(dir, { recursive: true });
  });
});
