import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { compileCircuit } from '../../src/zk/compile.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { B100_N8_K8, B64_N8_K8 } from '../../src/protocol/families.js';
import { checkWitness, setWitnessValue } from '../support/witness.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { expectAccepted, expectRejected, solvencyCase } from './support.js';

afterAll(terminateCurves);

describe.each([B64_N8_K8, B100_N8_K8])('Solvency circuit, family $id', (family) => {
  const S = family.sumBits;
  const max = (1n << BigInt(S)) - 1n;
  let circuit: CompiledCircuit;
  beforeAll(async () => {
    circuit = await compileCircuit(family, 'solvency');
  });

  it('public signals are the nine inputs in protocol order', async () => {
    const c = solvencyCase({ total: 1000n, reserves: 1500n });
    expect(c.expected).toHaveLength(9);
    await expectAccepted(circuit, c.input, c.expected);
  });

  it('total == reserves passes, total > reserves fails', async () => {
    const eq = solvencyCase({ total: 123_456_789n, reserves: 123_456_789n });
    await expectAccepted(circuit, eq.input, eq.expected);
    await expectRejected(circuit, solvencyCase({ total: 123_456_789n, reserves: 123_456_788n }).input);
    const top = solvencyCase({ total: max, reserves: max });
    await expectAccepted(circuit, top.input, top.expected);
    await expectRejected(circuit, solvencyCase({ total: max, reserves: max - 1n }).input);
    const zero = solvencyCase({ total: 0n, reserves: 0n });
    await expectAccepted(circuit, zero.input, zero.expected);
  });

  it(`reserves >= 2^${S} fail, reserves = p - 1 fails`, async () => {
    await expectRejected(circuit, solvencyCase({ total: 5n, reserves: max + 1n }).input);
    await expectRejected(circuit, solvencyCase({ total: 5n, reserves: FIELD_P - 1n }).input);
    await expectRejected(circuit, solvencyCase({ total: 5n, reserves: FIELD_P - 1n - max }).input);
  });

  it(`a committed total of 2^${S} or p - 1 fails even with enough reserves`, async () => {
    await expectRejected(circuit, solvencyCase({ total: max + 1n, reserves: max }).input);
    await expectRejected(circuit, solvencyCase({ total: FIELD_P - 1n, reserves: max }).input);
  });

  it('a sum commitment that does not open fails', async () => {
    await expectRejected(circuit, solvencyCase({ total: 100n, reserves: 200n, committed: 101n }).input);
  });

  it('disclosure: discloseTotal in {0, 1} and disclosedTotal == discloseTotal * total', async () => {
    const shown = solvencyCase({ total: 777n, reserves: 800n, discloseTotal: 1n });
    expect(shown.input.disclosedTotal).toBe(777n);
    await expectAccepted(circuit, shown.input, shown.expected);
    await expectRejected(circuit, solvencyCase({ total: 777n, reserves: 800n, discloseTotal: 2n }).input);
    await expectRejected(
      circuit,
      solvencyCase({ total: 777n, reserves: 800n, discloseTotal: 1n, disclosedTotal: 778n }).input,
    );
    await expectRejected(
      circuit,
      solvencyCase({ total: 777n, reserves: 800n, discloseTotal: 1n, disclosedTotal: 0n }).input,
    );
    await expectRejected(
      circuit,
      solvencyCase({ total: 777n, reserves: 800n, discloseTotal: 0n, disclosedTotal: 777n }).input,
    );
  });

  it('a tampered witness violates the r1cs (reserves, root, snapshotTime)', async () => {
    const c = solvencyCase({ total: 1000n, reserves: 1000n });
    const wtns = await expectAccepted(circuit, c.input, c.expected);
    expect(await checkWitness(circuit.r1csPath, wtns)).toBe(true);
    // Witness layout: [1, root, sumCommit, reserves, snapshotTime, ...].
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, 3, 999n))).toBe(false);
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, 1, c.input.root + 1n))).toBe(false);
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, 4, c.input.snapshotTime + 1n))).toBe(
      false,
    );
  });
});
