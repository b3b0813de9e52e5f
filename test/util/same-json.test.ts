import { describe, expect, it } from 'vitest';
import { sameJson } from '../../src/util/same-json.js';

describe('sameJson', () => {
  it('ignores key order, at every depth', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { d: 'x', c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameJson(JSON.parse('{"x":[{"q":1,"p":2}]}'), { x: [{ p: 2, q: 1 }] })).toBe(true);
    expect(sameJson(null, null)).toBe(true);
  });

  it('refuses a different value, a missing key, another array order or another type', () => {
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ a: null }, {})).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });

  it('is false, not a throw, for values without canonical JSON', () => {
    expect(sameJson({ a: Number.NaN }, { a: Number.NaN })).toBe(false);
    expect(sameJson('\ud800', '\ud800')).toBe(false);
    expect(sameJson(new Date(0), new Date(0))).toBe(false);
  });
});
