import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  canonicalJson,
  transactionBodyJson,
  transactionBodyObject,
} from '../../src/index.js';
import type { CanonicalValue } from '../../src/index.js';
import { twoEntryTransaction } from '../ledger/helpers.js';

describe('canonicalJson (RFC 8785)', () => {
  it('matches the canonicalize package on bigint-free values', () => {
    const samples: CanonicalValue[] = [
      { b: 1, a: [true, null, 'x'], c: { z: 1.5, y: -0, x: 1e21 } },
      { '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, a: 'é\n"\\', '1': 4, '10': 5, A: 6 },
      [1, 2.5, 1e-7, 123456789012345680000, 'Ω', {}],
      'plain',
      0,
    ];
    for (const s of samples)
      expect(canonicalJson(s)).toBe((canonicalize as unknown as (v: unknown) => string)(s));
  });

  it('writes bigints as decimal strings and sorts keys', () => {
    expect(canonicalJson({ z: 1n, a: -123456789012345678901234567890n })).toBe(
      '{"a":"-123456789012345678901234567890","z":"1"}',
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('refuses what JSON cannot carry exactly', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(InvalidArgumentError);
    expect(() => canonicalJson('\ud800')).toThrow(/lone surrogate/);
    expect(() => canonicalJson(new Date(0) as never)).toThrow(/plain objects/);
    expect(() => canonicalJson([undefined] as never)).toThrow(/undefined/);
    expect(() => canonicalJson((() => 1) as never)).toThrow(InvalidArgumentError);
  });
});

describe('hand-written transaction body serializer', () => {
  // Fixed cases here; the random property is in test/fuzz/canonical-json.fuzz.test.ts (npm run test:fuzz).
  const cases: [string, string, Record<string, string>, string[], string | null, bigint][] = [
    ['deposit', 'ops', {}, [], null, 1n],
    [
      'é\n"\\\u0001',
      '\ud83d\ude00 Ω',
      { '\u20ac': 'x', '\r': 'y', a: 'é', A: 'z', '10': '1', '1': '2' },
      ['ref "1"', '\u2028'],
      'key\t1',
      (1n << 128n) - 1n,
    ],
    [
      'p',
      'i',
      { '\ud83d\ude00': 'emoji key', '\ufb33': 'sorts by UTF-16 units' },
      ['a', 'b', 'c'],
      'k',
      123456789012345678901234567890n,
    ],
  ];
  it.each(cases)(
    'equals canonicalJson of the body object (%s)',
    (purpose, initiator, metadata, references, idempotencyKey, amount) => {
      const tx = twoEntryTransaction({ purpose, initiator, metadata, references, idempotencyKey, amount });
      expect(transactionBodyJson(tx)).toBe(canonicalJson(transactionBodyObject(tx)));
      expect(transactionBodyJson(tx)).toBe(
        (canonicalize as unknown as (v: unknown) => string)({
          ...(transactionBodyObject(tx) as object),
          entries: tx.entries.map((e) => ({ ...e, amount: String(e.amount) })),
        }),
      );
    },
  );
});
