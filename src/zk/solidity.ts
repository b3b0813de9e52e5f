// Solidity Groth16 verifiers, rendered from snarkjs' own template exactly as `snarkjs zkey export
// solidityverifier` does (from the verification key), with zkreserve's contract names. Node only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CircuitKind } from '../protocol/families.js';
import { snarkjsDependency, snarkjsDir } from './snarkjs-package.js';

/** Contract names, distinct per circuit (snarkjs names every verifier Groth16Verifier). */
export const CONTRACT_NAMES: Record<CircuitKind, string> = {
  solvency: 'ZkReserveSolvencyVerifier',
  chunk: 'ZkReserveChunkVerifier',
  aggregate: 'ZkReserveAggregateVerifier',
};

/** The Solidity source snarkjs would produce for `vkey`, with the contract renamed to `contractName`. */
export function renderSolidityVerifier(vkey: unknown, contractName?: string): string {
  const dir = snarkjsDir();
  const template = readFileSync(path.join(dir, 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
  // ejs is snarkjs' own dependency: load the very copy it uses.
  const ejs = snarkjsDependency('ejs').load<{ render(t: string, data: unknown): string }>();
  const code = ejs.render(template, vkey);
  return contractName ? code.replace(/\bcontract Groth16Verifier\b/, `contract ${contractName}`) : code;
}
