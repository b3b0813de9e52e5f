// A snarkjs Groth16 proof and its public signals as the arguments of snarkjs' Solidity verifier, exactly as
// `snarkjs zkey export soliditycalldata` writes them: G1 points (x, y); G2 points with each Fp2 coordinate
// as [c1, c0] (the EVM pairing precompile's order), signals as integers.
import type { Groth16Proof } from '../zk/snarkjs.js';
import { AnchorInputError } from './errors.js';

/** The proof part of a verifyProof call. */
export interface ProofCalldata {
  a: readonly [bigint, bigint];
  b: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  c: readonly [bigint, bigint];
}

function int(value: unknown, what: string): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value))
    throw new AnchorInputError(`${what} is not a canonical decimal integer`);
  return BigInt(value);
}

/** The (a, b, c) arguments of verifyProof for `proof`. */
export function proofCalldata(proof: Groth16Proof): ProofCalldata {
  const a = proof.pi_a;
  const b = proof.pi_b;
  const c = proof.pi_c;
  if (
    !Array.isArray(a) ||
    !Array.isArray(b) ||
    !Array.isArray(c) ||
    !Array.isArray(b[0]) ||
    !Array.isArray(b[1])
  )
    throw new AnchorInputError('the proof is not a snarkjs Groth16 proof (pi_a, pi_b, pi_c)');
  return {
    a: [int(a[0], 'pi_a[0]'), int(a[1], 'pi_a[1]')],
    b: [
      [int(b[0][1], 'pi_b[0][1]'), int(b[0][0], 'pi_b[0][0]')],
      [int(b[1][1], 'pi_b[1][1]'), int(b[1][0], 'pi_b[1][0]')],
    ],
    c: [int(c[0], 'pi_c[0]'), int(c[1], 'pi_c[1]')],
  };
}

/** The public signals as integers (each a canonical decimal string). */
export function signalsCalldata(signals: readonly unknown[]): bigint[] {
  return signals.map((s, i) => int(s, `public signal ${i}`));
}
