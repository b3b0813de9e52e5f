// Typed access to snarkjs (which ships no types) and clean shutdown of its curve worker threads.
// @ts-expect-error snarkjs has no type declarations
import * as snarkjsModule from 'snarkjs';

export interface Groth16Proof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
}

export type PublicSignals = string[];

/** Verification key in snarkjs JSON format (`zkey export verificationkey`). */
export interface VerificationKey {
  protocol: string;
  curve: string;
  nPublic: number;
  [key: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const snarkjs: any = snarkjsModule;

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
