// `prove --plan`'s arithmetic (src/prover/run-plan.ts): the tree shape it predicts is the one the tree builder
// makes, the constraint total follows the manifest, and the wall-time estimate scales with the slots.
import { describe, expect, it } from 'vitest';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { B64_N128_K16, B64_N8_K8 } from '../../src/protocol/families.js';
import { calibrationJob, estimateWall, planRun, treeShape } from '../../src/prover/run-plan.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { accountId } from '../../src/ledger/account.js';
import { SECRET, T, devKeys } from './fixtures.js';

const statement = (n: number) => ({
  currency: 'USD',
  decimals: 2,
  snapshotTime: T,
  auditHead: { sequence: 1, hash: 'ab'.repeat(32) },
  reserves: 10n ** 12n,
  users: Array.from({ length: n }, (_, i) => ({
    accountId: accountId('USER', 'USD', `u${i}`),
    externalRef: `u${i}`,
    liability: BigInt(i),
  })),
});

describe('treeShape', () => {
  it('matches the levels buildSolvencyTree makes, padded or not', () => {
    for (const [users, pad] of [[0], [1], [8], [9], [64], [65], [300], [513], [20, 200]] as [
      number,
      number?,
    ][]) {
      const tree = buildSolvencyTree(
        statement(users),
        SECRET,
        B64_N8_K8,
        pad === undefined ? {} : { padToUsers: pad },
      );
      expect(treeShape(B64_N8_K8, users, pad), `${users} users`).toEqual(tree.levelCounts);
    }
  });

  it('for the production family: 10^6 users are 7813 chunks, levels 7813/489/31/2/1', () => {
    expect(treeShape(B64_N128_K16, 1_000_000)).toEqual([7813, 489, 31, 2, 1]);
    expect(treeShape(B64_N128_K16, 300)).toEqual([3, 1]);
  });

  it('refuses a padding below the user count', () => {
    expect(() => treeShape(B64_N8_K8, 10, 9)).toThrow(InvalidArgumentError);
  });
});

describe('planRun and estimateWall', () => {
  it('counts proofs and constraints from the key manifest', async () => {
    const keys = await devKeys();
    const plan = planRun(keys, 100); // 13 chunks, levels [13, 2, 1]
    expect(plan.proofsPerLevel).toEqual([13, 2, 1, 1]);
    expect(plan.proofs).toBe(17);
    expect(plan.constraintsByKind).toEqual({ chunk: 3074, aggregate: 3426, solvency: 535 });
    expect(plan.totalConstraints).toBe(13 * 3074 + 3 * 3426 + 535);
    expect(plan.ptauPower).toBe(12);
    const one = estimateWall(plan, 2, 1);
    expect(one.cpuSeconds).toBeCloseTo((plan.totalConstraints / 3074) * 2, 6);
    expect(estimateWall(plan, 2, 4).wallSeconds).toBeCloseTo(one.cpuSeconds / 4, 6);
    expect(estimateWall(plan, 2, 1000).wallSeconds).toBe(2); // never below one chunk proof
    expect(() => estimateWall(plan, 0, 1)).toThrow(InvalidArgumentError);
    expect(calibrationJob(keys).kind).toBe('chunk');
  });
});
