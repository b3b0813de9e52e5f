import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { sumCommitment } from '../../src/crypto/poseidon.js';
import { compileCircuit } from '../../src/zk/compile.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { B100_N8_K8, B64_N8_K8 } from '../../src/protocol/families.js';
import {
  WitnessInputError,
  calculateWitness,
  checkWitness,
  readSymbols,
  setWitnessValue,
} from '../support/witness.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { chunkCase, expectAccepted, expectRejected } from './support.js';

afterAll(terminateCurves);

describe.each([B64_N8_K8, B100_N8_K8])('Chunk circuit, family $id', (family) => {
  const B = family.balanceBits;
  const N = family.chunkUsers;
  let circuit: CompiledCircuit;
  beforeAll(async () => {
    circuit = await compileCircuit(family, 'chunk');
  });

  const balances = (first: bigint[]): bigint[] => [
    ...first,
    ...Array.from({ length: N - first.length }, () => 0n),
  ];

  it('outputs [root, sumCommit] computed independently in TypeScript', async () => {
    const c = chunkCase(balances([12345n, 0n, 999_999_999n, 1n, 42n, 7n, 100n, 5n]), `chunk-${B}`);
    await expectAccepted(circuit, c.input, c.expected);
    // A different balance changes both outputs.
    const d = chunkCase(balances([12346n, 0n, 999_999_999n, 1n, 42n, 7n, 100n, 5n]), `chunk-${B}`);
    expect(d.expected[0]).not.toBe(c.expected[0]);
    expect(d.expected[1]).not.toBe(c.expected[1]);
  });

  it('an all-padding chunk (balances 0) proves a zero sum', async () => {
    const c = chunkCase(balances([]), `pad-${B}`);
    expect(c.expected[1]).toBe(sumCommitment(0n, c.input.sumSalt));
    await expectAccepted(circuit, c.input, c.expected);
  });

  it(`balance 2^${B} - 1 passes (in every slot)`, async () => {
    const c = chunkCase(
      Array.from({ length: N }, () => (1n << BigInt(B)) - 1n),
      `max-${B}`,
    );
    await expectAccepted(circuit, c.input, c.expected);
  });

  it(`balance 2^${B} fails`, async () => {
    await expectRejected(circuit, chunkCase(balances([1n << BigInt(B)]), `over-${B}`).input);
    await expectRejected(circuit, chunkCase(balances([5n, 6n, 7n, 1n << BigInt(B)]), `over-${B}`).input);
  });

  it('p - 1 ("-1") fails', async () => {
    await expectRejected(circuit, chunkCase(balances([100n, FIELD_P - 1n]), `neg-${B}`).input);
  });

  it('balances chosen to wrap the field (p - x and x + y) fail', async () => {
    const x = 1_000_000n;
    const y = 5n;
    const c = chunkCase(balances([FIELD_P - x, x + y]), `wrap-${B}`);
    // Without range checks the chunk would claim a sum of y.
    expect(c.expected[1]).toBe(sumCommitment(y, c.input.sumSalt));
    await expectRejected(circuit, c.input);
  });

  it(`10^24 as a balance ${B === 100 ? 'passes' : 'fails'} for B = ${B}`, async () => {
    const c = chunkCase(balances([10n ** 24n, 3n]), `wide-${B}`);
    if (B === 100) await expectAccepted(circuit, c.input, c.expected);
    else await expectRejected(circuit, c.input);
  });

  it('a tampered witness violates the r1cs', async () => {
    const c = chunkCase(balances([10n, 20n, 30n]), `tamper-${B}`);
    const wtns = await expectAccepted(circuit, c.input, c.expected);
    expect(await checkWitness(circuit.r1csPath, wtns)).toBe(true);
    const sym = await readSymbols(circuit.symPath);
    // Claim a different root, or a different balance for user 0 with the outputs unchanged.
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, 1, c.expected[0]! + 1n))).toBe(false);
    const b0 = sym.get('main.balance[0]')!;
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, b0, FIELD_P - 1n))).toBe(false);
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, b0, 11n))).toBe(false);
  });

  it('malformed inputs are refused with a typed error', async () => {
    const c = chunkCase(balances([1n]), `shape-${B}`);
    await expect(
      calculateWitness(circuit.wasmPath, { ...c.input, sumSalt: 5 as unknown as bigint }),
    ).rejects.toBeInstanceOf(WitnessInputError);
    await expect(calculateWitness(circuit.wasmPath, { ...c.input, sumSalt: FIELD_P })).rejects.toBeInstanceOf(
      WitnessInputError,
    );
    await expect(
      calculateWitness(circuit.wasmPath, { userCommit: c.input.userCommit, balance: c.input.balance }),
    ).rejects.toBeInstanceOf(WitnessInputError);
  });
});
