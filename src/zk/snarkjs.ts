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

export { terminateCurves } from './curves.js';
