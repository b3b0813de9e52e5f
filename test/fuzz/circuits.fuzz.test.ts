// Property-based fuzzing of the circuits (fast-check; `npm run test:fuzz`, not in the default run).
// Random inputs biased to the boundaries: what is in range proves with outputs equal to the independent
// TypeScript computation; anything out of range, or chosen to wrap the BN254 field, cannot be witnessed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { compileCircuit } from '../../src/zk/compile.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { B100_N8_K8, B64_N8_K8 } from '../../src/protocol/families.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import {
  aggregateCase,
  child,
  chunkCase,
  expectAccepted,
  expectRejected,
  solvencyCase,
} from '../circuits/support.js';

afterAll(terminateCurves);

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

/** A value in [0, 2^bits), biased towards 0, 1 and the top of the range. */
function inRange(bits: number): fc.Arbitrary<bigint> {
  const max = (1n << BigInt(bits)) - 1n;
  return fc.oneof(
    fc.constantFrom(0n, 1n, max, max - 1n),
    fc.bigInt({ min: 0n, max }),
    fc.bigInt({ min: 0n, max: 1n << 20n }),
  );
}

/** A value that is not in [0, 2^bits): 2^bits and above, or "negative" (p - k). */
function outOfRange(bits: number): fc.Arbitrary<bigint> {
  const top = 1n << BigInt(bits);
  return fc.oneof(
    fc.constantFrom(top, FIELD_P - 1n, FIELD_P - top),
    fc.bigInt({ min: top, max: top << 64n }),
    fc.bigInt({ min: 1n, max: top }).map((k) => FIELD_P - k),
  );
}

describe.each([B64_N8_K8, B100_N8_K8])('circuits of family $id under random inputs', (family) => {
  const B = family.balanceBits;
  const S = family.sumBits;
  const N = family.chunkUsers;
  const K = family.aggChildren;
  let chunk: CompiledCircuit;
  let aggregate: CompiledCircuit;
  let solvency: CompiledCircuit;

  beforeAll(async () => {
    chunk = await compileCircuit(family, 'chunk');
    aggregate = await compileCircuit(family, 'aggregate');
    solvency = await compileCircuit(family, 'solvency');
  });

  it('Chunk: any in-range balances prove, with root and sum commitment as computed in TypeScript', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(inRange(B), { minLength: N, maxLength: N }), async (balances) => {
        const c = chunkCase(balances, 'fuzz');
        await expectAccepted(chunk, c.input, c.expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('Chunk: one out-of-range or negative balance anywhere cannot be witnessed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(inRange(B), { minLength: N, maxLength: N }),
        fc.nat({ max: N - 1 }),
        outOfRange(B),
        async (balances, slot, bad) => {
          balances[slot] = bad;
          await expectRejected(chunk, chunkCase(balances, 'fuzz').input);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Chunk: a "negative" balance cancelling another (field wrap-around) cannot be witnessed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: (1n << BigInt(B)) - 1n }),
        fc.nat({ max: N - 2 }),
        async (x, slot) => {
          const balances: bigint[] = Array.from({ length: N }, () => 0n);
          balances[slot] = x;
          balances[slot + 1] = FIELD_P - x; // sums to 0 mod p
          await expectRejected(chunk, chunkCase(balances, 'wrap').input);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Aggregate: in-range child sums prove; an out-of-range or wrapping child sum cannot be witnessed', async () => {
    const childSum = inRange(S - 4); // K = 8 children: the total stays below 2^S
    await fc.assert(
      fc.asyncProperty(
        fc.array(childSum, { minLength: 1, maxLength: K }),
        fc.nat({ max: K - 1 }),
        outOfRange(S),
        async (sums, slot, bad) => {
          const good = aggregateCase(
            K,
            sums.map((s, i) => child(`fuzz-${i}`, s)),
            'fuzz',
          );
          await expectAccepted(aggregate, good.input, good.expected);
          const badSums = Array.from({ length: K }, (_, i) => sums[i] ?? 0n);
          badSums[slot] = bad;
          const tampered = aggregateCase(
            K,
            badSums.map((s, i) => child(`fuzz-${i}`, s)),
            'fuzz',
          );
          await expectRejected(aggregate, tampered.input);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Solvency: proves exactly when total <= reserves, both in range', async () => {
    await fc.assert(
      fc.asyncProperty(inRange(S), inRange(S), async (total, reserves) => {
        const c = solvencyCase({ total, reserves });
        if (total <= reserves) await expectAccepted(solvency, c.input, c.expected);
        else await expectRejected(solvency, c.input);
      }),
      { numRuns: RUNS },
    );
  });

  it('Solvency: out-of-range (or negative) reserves or total never prove', async () => {
    await fc.assert(
      fc.asyncProperty(inRange(S), outOfRange(S), fc.boolean(), async (ok, bad, badIsReserves) => {
        const c = badIsReserves
          ? solvencyCase({ total: ok, reserves: bad })
          : solvencyCase({ total: bad, reserves: ok });
        await expectRejected(solvency, c.input);
      }),
      { numRuns: RUNS },
    );
  });
});

it('the property helpers produce what they claim', () => {
  fc.assert(fc.property(inRange(64), (v) => v >= 0n && v < 1n << 64n));
  fc.assert(fc.property(outOfRange(64), (v) => (v >= 1n << 64n && v < FIELD_P) || v === FIELD_P - 1n));
  expect(FIELD_P - 1n >= 1n << 64n).toBe(true);
});
