import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { sumCommitment } from '../../src/crypto/poseidon.js';
import { compileCircuit } from '../../src/zk/compile.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { B100_N8_K8, B64_N8_K8 } from '../../src/protocol/families.js';
import { checkWitness, readSymbols, setWitnessValue } from '../support/witness.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { aggregateCase, child, expectAccepted, expectRejected } from './support.js';

afterAll(terminateCurves);

describe.each([B64_N8_K8, B100_N8_K8])('Aggregate circuit, family $id', (family) => {
  const S = family.sumBits;
  const K = family.aggChildren;
  const max = (1n << BigInt(S)) - 1n;
  let circuit: CompiledCircuit;
  beforeAll(async () => {
    circuit = await compileCircuit(family, 'aggregate');
  });

  it('outputs [root, sumCommit, childRoot[], childSumCommit[]] computed in TypeScript (full level)', async () => {
    const children = Array.from({ length: K }, (_, i) => child(`full-${S}-${i}`, BigInt(i) * 1_000_003n));
    const c = aggregateCase(K, children, `full-${S}`);
    expect(c.expected).toHaveLength(2 + 2 * K);
    await expectAccepted(circuit, c.input, c.expected);
  });

  it('padding children (root 0, sumCommit P(0, 0)) past the end contribute 0', async () => {
    const c = aggregateCase(K, [child(`pad-${S}-0`, 77n), child(`pad-${S}-1`, 23n)], `pad-${S}`);
    expect(c.expected[1]).toBe(sumCommitment(100n, c.input.sumSalt));
    await expectAccepted(circuit, c.input, c.expected);
  });

  it(`a child sum of 2^${S} - 1 passes, 2^${S} fails, p - 1 fails`, async () => {
    const ok = aggregateCase(K, [child(`edge-${S}`, max)], `edge-${S}`);
    await expectAccepted(circuit, ok.input, ok.expected);
    await expectRejected(circuit, aggregateCase(K, [child(`edge-${S}`, max + 1n)], `edge-${S}`).input);
    await expectRejected(circuit, aggregateCase(K, [child(`edge-${S}`, FIELD_P - 1n)], `edge-${S}`).input);
  });

  it(`children that each fit but sum to 2^${S} fail`, async () => {
    const half = 1n << BigInt(S - 1);
    const ok = aggregateCase(K, [child(`sum-${S}-a`, half), child(`sum-${S}-b`, half - 1n)], `sum-${S}`);
    await expectAccepted(circuit, ok.input, ok.expected);
    await expectRejected(
      circuit,
      aggregateCase(K, [child(`sum-${S}-a`, half), child(`sum-${S}-b`, half)], `sum-${S}`).input,
    );
  });

  it('child sums chosen to wrap the field (p - x and x + y) fail', async () => {
    const x = 10n ** 12n;
    const c = aggregateCase(
      K,
      [child(`wrap-${S}-a`, FIELD_P - x), child(`wrap-${S}-b`, x + 9n)],
      `wrap-${S}`,
    );
    expect(c.expected[1]).toBe(sumCommitment(9n, c.input.sumSalt));
    await expectRejected(circuit, c.input);
  });

  it('a child sum commitment that does not open fails', async () => {
    const a = child(`open-${S}-a`, 500n);
    const good = aggregateCase(K, [a, child(`open-${S}-b`, 1n)], `open-${S}`);
    await expectAccepted(circuit, good.input, good.expected);
    // Commitment to 500, claimed sum 501.
    const wrongSum = aggregateCase(K, [{ ...a, commit: sumCommitment(500n, a.salt) }], `open-${S}`);
    wrongSum.input.childSum[0] = 501n;
    await expectRejected(circuit, wrongSum.input);
    // Right sum, wrong salt.
    const wrongSalt = aggregateCase(K, [{ ...a, commit: sumCommitment(500n, a.salt + 1n) }], `open-${S}`);
    await expectRejected(circuit, wrongSalt.input);
    // A padding slot that claims a non-zero sum under P(0, 0).
    const fakePad = aggregateCase(K, [a], `open-${S}`);
    fakePad.input.childSum[K - 1] = 1n;
    await expectRejected(circuit, fakePad.input);
  });

  it('a tampered witness violates the r1cs', async () => {
    const c = aggregateCase(K, [child(`tw-${S}-a`, 10n), child(`tw-${S}-b`, 20n)], `tw-${S}`);
    const wtns = await expectAccepted(circuit, c.input, c.expected);
    expect(await checkWitness(circuit.r1csPath, wtns)).toBe(true);
    const sym = await readSymbols(circuit.symPath);
    expect(await checkWitness(circuit.r1csPath, setWitnessValue(wtns, 2, c.expected[1]! + 1n))).toBe(false);
    expect(
      await checkWitness(circuit.r1csPath, setWitnessValue(wtns, sym.get('main.childSum[0]')!, 11n)),
    ).toBe(false);
    expect(
      await checkWitness(circuit.r1csPath, setWitnessValue(wtns, sym.get('main.childSumCommit[1]')!, 3n)),
    ).toBe(false);
  });
});
