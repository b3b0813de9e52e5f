// Rows of the SQLite ledger file: amounts stored as four 32-bit limbs, so that SQL SUM() stays exact.
import { describe, expect, it } from 'vitest';
import { amountLimbs, limbsAmount } from '../../src/storage/sqlite-rows.js';

const MAX = (1n << 128n) - 1n;

describe('amount limbs', () => {
  it('splits an amount into four limbs below 2^32 and joins them again', () => {
    for (const a of [
      0n,
      1n,
      0xffffffffn,
      1n << 32n,
      (1n << 64n) + 5n,
      1n << 96n,
      MAX,
      123456789012345678901234567890n,
    ]) {
      const l = amountLimbs(a);
      expect(
        l.every((x) => Number.isSafeInteger(x) && x >= 0 && x < 2 ** 32),
        String(a),
      ).toBe(true);
      expect(limbsAmount(l.map(BigInt)), String(a)).toBe(a);
    }
    expect(amountLimbs(MAX)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    expect(amountLimbs((1n << 96n) + 2n)).toEqual([2, 0, 0, 1]);
  });

  it('joins limb sums that carry past 2^32 (what SUM() over many entries returns)', () => {
    const amounts = [MAX, MAX, 0xffffffffn, 1n << 100n, 7n];
    const sums = [0n, 0n, 0n, 0n];
    for (const a of amounts) amountLimbs(a).forEach((x, i) => (sums[i]! += BigInt(x)));
    expect(sums.some((s) => s >= 1n << 32n)).toBe(true);
    expect(limbsAmount(sums)).toBe(amounts.reduce((x, y) => x + y, 0n));
  });
});
