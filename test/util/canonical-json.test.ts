import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, canonicalJson } from '../../src/index.js';
import type { CanonicalValue } from '../../src/index.js';

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
