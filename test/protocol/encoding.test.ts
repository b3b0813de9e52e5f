// The protocol encodings of protocol.md §1 and §3 that the tree builder, the prover and the verifier share
// (field31 and currencyId are also pinned against the circuits in test/circuits/poseidon.test.ts).
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

  it('currencyId: the UTF-8 bytes big-endian, 1..31 bytes', () => {
    expect(currencyId('USD')).toBe(0x555344n);
    expect(currencyId('€')).toBe(0xe282acn);
    expect(() => currencyId('')).toThrow(FieldError);
    expect(() => currencyId('X'.repeat(32))).toThrow(/at most 31/);
    expect(currencyId('X'.repeat(31))).toBe(BigInt('0x' + '58'.repeat(31)));
  });
});
