// The Groth16 verifier contract of one circuit, for one key set: snarkjs' Solidity template rendered from the
// verification key (src/zk/solidity.ts, exactly what `export-verifier` writes) and compiled with the pinned
// solc. Deterministic: the same key gives the same bytecode. Node only.
import type { CircuitKind } from '../protocol/families.js';
import type { VerificationKey } from '../zk/snarkjs.js';
import { CONTRACT_NAMES, renderSolidityVerifier } from '../zk/solidity.js';
import { compileContract } from './solc.js';
import type { CompiledContract } from './solc.js';

/** Compiles the `kind` verifier of `vkey` (contract CONTRACT_NAMES[kind]). */
export function compileVerifier(vkey: VerificationKey, kind: CircuitKind): CompiledContract {
  const name = CONTRACT_NAMES[kind];
  const file = `${name}.sol`;
  return compileContract({ [file]: renderSolidityVerifier(vkey, name) }, file, name);
}
