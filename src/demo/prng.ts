// A small seeded PRNG (mulberry32): the demo ledger is the same on every run and every machine.

export interface Prng {
  /** Uniform integer in [0, n), n <= 2^32. */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Uniform bigint in [0, n). */
  big(n: bigint): bigint;
}

export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n: number): number => Math.floor((next() / 0x1_0000_0000) * n);
  return {
    int,
    chance: (p) => next() / 0x1_0000_0000 < p,
    big(n) {
      // 96 random bits, reduced: the bias is negligible for the demo's ranges (n < 2^70).
      const r = (BigInt(next()) << 64n) | (BigInt(next()) << 32n) | BigInt(next());
      return r % n;
    },
  };
}
