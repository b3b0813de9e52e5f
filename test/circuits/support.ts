// Shared helpers of the circuit tests: deterministic test values and witness expectations.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { currencyId, field31 } from '../../src/protocol/encoding.js';
import { PAD_CHILD, leafHash, poseidon, sumCommitment, userCommitment } from '../../src/crypto/poseidon.js';
import { B64_N8_K8, publicSignalNames } from '../../src/protocol/families.js';
import { chunkRoot } from '../../src/tree/chunk-tree.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { WitnessAssertError, calculateWitness, publicSignalsOf } from '../support/witness.js';
import type { WitnessInput } from '../support/witness.js';

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

export interface Child {
  root: bigint;
  sum: bigint;
  salt: bigint;
  commit?: bigint;
}

/** Aggregate input for `children` (padded with PAD_CHILD to K) and its outputs computed in TypeScript. */
export function aggregateCase(k: number, children: Child[], tag: string) {
  const all: Child[] = [...children];
  while (all.length < k) all.push({ root: PAD_CHILD.root, sum: 0n, salt: 0n, commit: PAD_CHILD.sumCommit });
  const childRoot = all.map((c) => c.root);
  const childSumCommit = all.map((c) => c.commit ?? sumCommitment(c.sum, c.salt));
  const sumSalt = fe(`${tag}-agg-salt`);
  const total = all.reduce((a, c) => a + c.sum, 0n);
  const input = {
    childRoot,
    childSumCommit,
    childSum: all.map((c) => c.sum),
    childSumSalt: all.map((c) => c.salt),
    sumSalt,
  };
  const expected = [
    poseidon(childRoot),
    sumCommitment(total % FIELD_P, sumSalt),
    ...childRoot,
    ...childSumCommit,
  ];
  return { input, expected };
}

export const child = (tag: string, sum: bigint): Child => ({
  root: fe(`${tag}-root`),
  sum,
  salt: fe(`${tag}-salt`),
});

export interface SolvencyParams {
  total: bigint;
  reserves: bigint;
  discloseTotal?: bigint;
  disclosedTotal?: bigint;
  /** The total the commitment opens to (default: total). */
  committed?: bigint;
}

/** Solvency input and its public signals (the nine inputs in protocol.md §6 order). */
export function solvencyCase(p: SolvencyParams) {
  const sumSalt = fe('solvency-salt');
  const disclose = p.discloseTotal ?? 0n;
  const input = {
    root: fe('solvency-root'),
    sumCommit: sumCommitment(p.committed ?? p.total, sumSalt),
    reserves: p.reserves,
    snapshotTime: 1_767_225_600_000n,
    currencyId: currencyId('USD', 2),
    auditHeadHi: fe('audit-hi') >> 120n,
    auditHeadLo: fe('audit-lo') >> 120n,
    discloseTotal: disclose,
    disclosedTotal: p.disclosedTotal ?? disclose * p.total,
    total: p.total,
    sumSalt,
  };
  const expected = publicSignalNames(B64_N8_K8, 'solvency').map((name) => input[name as keyof typeof input]);
  return { input, expected };
}
