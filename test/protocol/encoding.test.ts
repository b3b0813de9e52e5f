// The protocol encodings of protocol.md §1 and §3 that the tree builder, the prover and the verifier share
// (field31 and currencyId are also pinned against the circuits in test/circuits/poseidon.test.ts).
import { FIELD_P } from '../../src/crypto/field.js';
import { describe, expect, it } from 'vitest';
import { FieldError } from '../../src/crypto/errors.js';
import {
  accountField,
  accountIdProblem,
  auditHeadProblem,
  currencyId,
  field31,
  splitAuditHead,
} from '../../src/protocol/encoding.js';

const ID = '00112233445566778899aabbccddeeff'.repeat(2);

describe('protocol encodings', () => {
  it('accountField is field31 of a lowercase 64-digit account id', () => {
    expect(accountField(ID)).toBe(BigInt('0x' + ID.slice(0, 62)));
    expect(accountField(ID)).toBe(field31(ID));
    expect(accountIdProblem(ID)).toBeNull();
  });

  it('accountField refuses anything else, with the reason accountIdProblem gives', () => {
    for (const bad of [ID.toUpperCase(), ID.slice(1), ID + '0', '0x' + ID.slice(2), 42, undefined]) {
      const problem = accountIdProblem(bad);
      expect(problem).toBe(`account id must be 64 lowercase hex digits, got ${JSON.stringify(bad)}`);
      expect(() => accountField(bad as string)).toThrow(FieldError);
      expect(() => accountField(bad as string)).toThrow(problem!);
    }
  });

  it('splitAuditHead: the first and last 16 bytes as integers', () => {
    const hash = 'ff'.repeat(16) + '01'.repeat(16);
    expect(splitAuditHead(hash)).toEqual({ hi: (1n << 128n) - 1n, lo: BigInt('0x' + '01'.repeat(16)) });
    expect(auditHeadProblem(hash)).toBeNull();
    expect(auditHeadProblem('zz')).toBe('audit head hash must be 64 lowercase hex digits, got "zz"');
    expect(() => splitAuditHead('AB'.repeat(32))).toThrow(FieldError);
    expect(() => splitAuditHead('ab'.repeat(31))).toThrow(/audit head hash must be 64 lowercase hex digits/);
  });

  it('currencyId: one byte decimals || the code left-padded to 31 bytes, big-endian (protocol.md §1)', () => {
    expect(currencyId('USD', 2)).toBe((2n << 248n) + 0x555344n);
    expect(currencyId('USD', 2)).toBe(BigInt('0x02' + '00'.repeat(28) + '555344'));
    expect(currencyId('USD', 0)).toBe(0x555344n);
    expect(currencyId('JPYC', 18)).toBe((18n << 248n) + 0x4a505943n);
    expect(currencyId('X'.repeat(31), 36)).toBe(BigInt('0x24' + '58'.repeat(31)));
    expect(currencyId('X'.repeat(31), 36) < FIELD_P).toBe(true);
    // the ledger's grammar [A-Z0-9]{1,31}: no look-alike, invisible or lowercase code
    for (const bad of ['', 'X'.repeat(32), '€', 'usd', 'USD\u200b', 'U\u0405D', 'US D']) {
      expect(() => currencyId(bad, 2)).toThrow(FieldError);
    }
    for (const bad of [-1, 37, 2.5, NaN]) expect(() => currencyId('USD', bad)).toThrow(/decimals/);
  });
});
