// Shared helpers of the circuit tests: deterministic test values and witness expectations.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { FIELD_P, field31 } from '../../src/crypto/field.js';
import { leafHash, sumCommitment, userCommitment } from '../../src/crypto/poseidon.js';
import { chunkRoot } from '../../src/tree/chunk-tree.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { WitnessAssertError, calculateWitness, publicSignalsOf } from '../../src/zk/witness.js';
import type { WitnessInput } from '../../src/zk/witness.js';

/** A deterministic field element (248 bits) derived from a label. */
export function fe(label: string): bigint {
  return field31(createHash('sha256').update(label).digest('hex'));
}

export interface ChunkCase {
  input: { userCommit: bigint[]; balance: bigint[]; sumSalt: bigint };
  expected: bigint[];
}

/** A chunk input for `balances` (users numbered from `tag`) and its outputs computed in TypeScript. */
export function chunkCase(balances: readonly bigint[], tag = 'u'): ChunkCase {
  const userCommit = balances.map((_, i) => userCommitment(fe(`${tag}-id-${i}`), fe(`${tag}-salt-${i}`)));
  const sumSalt = fe(`${tag}-sum-salt`);
  const total = balances.reduce((a, b) => a + b, 0n) % FIELD_P;
  const leaves = balances.map((b, i) => leafHash(userCommit[i]!, b));
  return {
    input: { userCommit, balance: [...balances], sumSalt },
    expected: [chunkRoot(leaves), sumCommitment(total, sumSalt)],
  };
}

/** The circuit accepts `input`; returns the witness after checking its public signals equal `expected`. */
export async function expectAccepted(
  circuit: CompiledCircuit,
  input: WitnessInput,
  expected: readonly bigint[],
): Promise<Uint8Array> {
  const wtns = await calculateWitness(circuit.wasmPath, input);
  expect(await publicSignalsOf(wtns, circuit.nPublic)).toEqual(expected);
  return wtns;
}

/** The circuit's constraints reject `input`: no witness can be computed. */
export async function expectRejected(circuit: CompiledCircuit, input: WitnessInput): Promise<void> {
  await expect(calculateWitness(circuit.wasmPath, input)).rejects.toBeInstanceOf(WitnessAssertError);
}
