// The hand-written serializer of a transaction's body (src/ledger/transaction.ts) equals the generic canonical
// JSON of the body object, and the canonicalize package's output.
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson, transactionBodyJson, transactionBodyObject } from '../../src/index.js';
import { twoEntryTransaction } from './helpers.js';

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
