// Clean shutdown of snarkjs' curve worker threads, without loading snarkjs: the CLI calls it after every
// command, and a command that never touched snarkjs should not pay its start-up cost.

/**
 * snarkjs caches the BN254 curve (with its worker threads) on `globalThis.curve_bn128`; a process that
 * does snarkjs work does not exit until it is terminated. Safe to call more than once.
 */
export async function terminateCurves(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> | void } | null };
  if (g.curve_bn128) {
    const curve = g.curve_bn128;
    g.curve_bn128 = null;
    await curve.terminate();
  }
}
