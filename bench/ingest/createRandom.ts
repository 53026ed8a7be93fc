/** The generator's only source of randomness: one seeded stream, so the same seed gives the same bytes. */
export interface Random {
  /** Uniform in [0, 1). */
  rand(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
}

/** mulberry32: a small, fast 32-bit PRNG; uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRandom(seed: number): Random {
  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { rand, int, pick };
}
