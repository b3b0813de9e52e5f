// circomlib-compatible Poseidon (via poseidon-lite) and the protocol's commitments (protocol.md §3-§5).
// Browser-safe.
import { poseidon1 } from 'poseidon-lite/poseidon1';
import { poseidon2 } from 'poseidon-lite/poseidon2';
import { poseidon3 } from 'poseidon-lite/poseidon3';
import { poseidon4 } from 'poseidon-lite/poseidon4';
import { poseidon5 } from 'poseidon-lite/poseidon5';
import { poseidon6 } from 'poseidon-lite/poseidon6';
import { poseidon7 } from 'poseidon-lite/poseidon7';
import { poseidon8 } from 'poseidon-lite/poseidon8';
import { poseidon9 } from 'poseidon-lite/poseidon9';
import { poseidon10 } from 'poseidon-lite/poseidon10';
import { poseidon11 } from 'poseidon-lite/poseidon11';
import { poseidon12 } from 'poseidon-lite/poseidon12';
import { poseidon13 } from 'poseidon-lite/poseidon13';
import { poseidon14 } from 'poseidon-lite/poseidon14';
import { poseidon15 } from 'poseidon-lite/poseidon15';
import { poseidon16 } from 'poseidon-lite/poseidon16';
import { FieldError } from './errors.js';
import { assertFieldElement } from './field.js';

type PoseidonFn = (inputs: bigint[]) => bigint;

const BY_ARITY: readonly PoseidonFn[] = [
  poseidon1,
  poseidon2,
  poseidon3,
  poseidon4,
  poseidon5,
  poseidon6,
  poseidon7,
  poseidon8,
  poseidon9,
  poseidon10,
  poseidon11,
  poseidon12,
  poseidon13,
  poseidon14,
  poseidon15,
  poseidon16,
];

/** P(x1, ..., xn): circomlib's Poseidon(n) for 1 <= n <= 16; every input must be a bigint in [0, p). */
export function poseidon(inputs: readonly bigint[]): bigint {
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > 16) {
    throw new FieldError(
      `poseidon takes 1..16 inputs, got ${Array.isArray(inputs) ? inputs.length : typeof inputs}`,
    );
  }
  inputs.forEach((x, i) => assertFieldElement(x, `poseidon input ${i}`));
  return BY_ARITY[inputs.length - 1]!([...inputs]);
}

/** userCommit = P(id, salt). */
export function userCommitment(id: bigint, salt: bigint): bigint {
  return poseidon([id, salt]);
}

/** leaf = P(userCommit, balance); a padding leaf is P(padCommit, 0). */
export function leafHash(userCommit: bigint, balance: bigint): bigint {
  return poseidon([userCommit, balance]);
}

/** sumCommit = P(sum, sumSalt). */
export function sumCommitment(sum: bigint, sumSalt: bigint): bigint {
  return poseidon([sum, sumSalt]);
}

/** The canonical padding child of an aggregation level: root 0, sumCommit P(0, 0) (protocol.md §5). */
export const PAD_CHILD: Readonly<{ root: bigint; sumCommit: bigint }> = Object.freeze({
  root: 0n,
  sumCommit: sumCommitment(0n, 0n),
});
