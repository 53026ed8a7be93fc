const PAIR_LIMIT = 2 ** 26;

/**
 * A set of (from id, to id) pairs in one open-addressing table. A Set of numbers would box every
 * pair above 2^31 and spend most of the run hashing and collecting them.
 */
export class PairSet {
  private table = new Float64Array(1 << 16).fill(-1);
  size = 0;

  add(from: number, to: number): void {
    if (from >= PAIR_LIMIT || to >= PAIR_LIMIT) throw new RangeError("more than 2^26 entities of one type");
    if (this.insert(this.table, from, to)) this.size++;
    if (this.size * 2 > this.table.length) {
      const old = this.table;
      this.table = new Float64Array(old.length * 2).fill(-1);
      for (const key of old) if (key >= 0) this.insert(this.table, Math.floor(key / PAIR_LIMIT), key % PAIR_LIMIT);
    }
  }

  private insert(table: Float64Array, from: number, to: number): boolean {
    const key = from * PAIR_LIMIT + to;
    const mask = table.length - 1;
    const h = Math.imul(from ^ Math.imul(to, 0x85ebca6b), 0x9e3779b1);
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      if (table[i] === key) return false;
      if (table[i] === -1) {
        table[i] = key;
        return true;
      }
    }
  }
}
