// The first row of each ID number in a file, for "duplicate of row N". A Map of a million
// string keys held about 70 MB of heap through a whole import; this open-addressing table
// over typed arrays holds 12 bytes a slot (about 24 MB at a million rows) and makes no garbage.
// The key is the first 8 bytes of the ID's HMAC blind index: two different ID numbers share
// them with probability about n²/2⁶⁵, 3 in 100 million for a file of a million rows.
export class FirstRows {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private rows: Int32Array; // 0 = empty slot (file rows start at 1)
  private size = 0;

  constructor(capacity = 1 << 16) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  /** The row that had this blind index first; otherwise remembers `row` for it and returns undefined. */
  firstOrRemember(blind: Buffer, row: number): number | undefined {
    if (row < 1) throw new RangeError('rows are numbered from 1');
    const hi = blind.readUInt32LE(0);
    const lo = blind.readUInt32LE(4);
    const found = this.find(hi, lo);
    if (this.rows[found] !== 0) return this.rows[found];
    this.hi[found] = hi;
    this.lo[found] = lo;
    this.rows[found] = row;
    if (++this.size * 2 > this.rows.length) this.grow();
    return undefined;
  }

  /** The slot holding this key, or the empty slot where it belongs (linear probing). */
  private find(hi: number, lo: number): number {
    const mask = this.rows.length - 1;
    let i = lo & mask; // HMAC output: its bits are already uniform
    while (this.rows[i] !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask;
    return i;
  }

  private grow() {
    const { hi, lo, rows } = this;
    this.hi = new Uint32Array(rows.length * 2);
    this.lo = new Uint32Array(rows.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      const at = this.find(hi[i], lo[i]);
      this.hi[at] = hi[i];
      this.lo[at] = lo[i];
      this.rows[at] = rows[i];
    }
  }
}
