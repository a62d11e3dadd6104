import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FirstRows } from './first-rows.js';

describe('FirstRows', () => {
  it('answers the first row of a repeated key, through many growths, as a Map would', () => {
    const table = new FirstRows(4);
    const reference = new Map<string, number>();
    const keys = Array.from({ length: 50_000 }, () => crypto.randomBytes(32));
    let row = 1;
    // every key once, then a third of them again: the repeats name their first row
    for (const k of [...keys, ...keys.filter((_, i) => i % 3 === 0)]) {
      const id = k.toString('hex', 0, 8);
      expect(table.firstOrRemember(k, row)).toBe(reference.get(id));
      if (!reference.has(id)) reference.set(id, row);
      row++;
    }
  });

  it('tells apart keys that share a slot', () => {
    const table = new FirstRows(2);
    const a = Buffer.alloc(32);
    const b = Buffer.alloc(32);
    b.writeUInt32LE(1, 0); // same low word, so the same slot; a different key
    expect(table.firstOrRemember(a, 2)).toBeUndefined();
    expect(table.firstOrRemember(b, 3)).toBeUndefined();
    expect(table.firstOrRemember(a, 4)).toBe(2);
    expect(table.firstOrRemember(b, 5)).toBe(3);
  });
});
