// Random-input check of the hand-written transaction body serializer against the generic canonicalJson
// (moved out of the default run: it takes about a second). `npm run test:fuzz`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, transactionBodyJson, transactionBodyObject } from '../../src/index.js';
import { twoEntryTransaction } from '../ledger/helpers.js';

describe('hand-written transaction body serializer', () => {
  it('equals canonicalJson of the body object for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: 'binary' }),
        fc.string({ minLength: 1, unit: 'grapheme' }),
        fc.dictionary(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), { maxKeys: 4 }),
        fc.array(fc.string({ minLength: 1, unit: 'binary' }), { maxLength: 3 }),
        fc.option(fc.string({ minLength: 1 }), { nil: null }),
        fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }),
        (purpose, initiator, metadata, references, idempotencyKey, amount) => {
          fc.pre(!('__proto__' in metadata) && !Object.keys(metadata).includes('__proto__'));
          const tx = twoEntryTransaction({
            purpose: purpose.slice(0, 256),
            initiator: initiator.slice(0, 256),
            metadata,
            references,
            idempotencyKey,
            amount,
          });
          expect(transactionBodyJson(tx)).toBe(canonicalJson(transactionBodyObject(tx)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
