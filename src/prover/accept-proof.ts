// The acceptance check every proof passes before it goes into a bundle, whatever made it (the local worker
// pool, a queue worker on another machine, a native prover): Groth16 verification under the key set's
// verification key, and public signals equal to the ones the tree says this proof must output.
import { snarkjs } from '../zk/snarkjs.js';
import type { VerificationKey } from '../zk/snarkjs.js';
import type { ProveResult } from './prove-pool.js';

/** Why a proof is refused, or null when it is accepted. Never throws on a malformed result. */
export async function refuseProof(
  vkey: VerificationKey,
  expected: readonly string[],
  result: ProveResult,
): Promise<string | null> {
  const got = Array.isArray(result?.publicSignals) ? result.publicSignals.map(String) : null;
  if (!got || got.length !== expected.length || got.some((v, i) => v !== expected[i])) {
    return "its public signals differ from the tree's";
  }
  let valid: boolean;
  try {
    valid = (await snarkjs.groth16.verify(vkey, expected, result.proof)) === true;
  } catch (e) {
    return `it is malformed (${(e as Error).message})`;
  }
  return valid ? null : 'it does not verify under the verification key';
}
