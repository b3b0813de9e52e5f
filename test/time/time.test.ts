import { describe, expect, it } from 'vitest';
import { InvalidTimeError, formatInstant, parseInstant } from '../../src/index.js';

describe('parseInstant', () => {
  it('accepts Date, zoned ISO strings and integer ms', () => {
    const ms = Date.UTC(2026, 0, 31, 12, 0, 0, 0);
    expect(parseInstant(new Date(ms))).toBe(ms);
    expect(parseInstant(ms)).toBe(ms);
    expect(parseInstant('2026-01-31T12:00:00Z')).toBe(ms);
    expect(parseInstant('2026-01-31T12:00Z')).toBe(ms);
    expect(parseInstant('2026-01-31T21:00:00+09:00')).toBe(ms);
    expect(parseInstant('2026-01-31T07:30:00.000-04:30')).toBe(ms);
    expect(parseInstant('2026-01-31T12:00:00.1Z')).toBe(ms + 100);
    expect(parseInstant('2026-01-31T12:00:00.123000Z')).toBe(ms + 123);
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant(0)).toBe(0);
  });

  it('refuses zone-less, malformed, impossible or imprecise times', () => {
    expect(() => parseInstant('2026-01-31T12:00:00')).toThrow(/no zone/);
    expect(() => parseInstant('2026-01-31')).toThrow(/no zone/);
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00.0001Z',
      '2026-01-01T00:00:00+25:00',
      '2026-01-01 00:00:00Z',
      'yesterday',
      '',
      '1969-12-31T23:59:59Z',
    ]) {
      expect(() => parseInstant(bad), bad).toThrow(InvalidTimeError);
    }
    for (const bad of [1.5, -1, Number.NaN, 2 ** 60, new Date(Number.NaN)]) {
      expect(() => parseInstant(bad), String(bad)).toThrow(InvalidTimeError);
    }
    expect(() => parseInstant(undefined as never)).toThrow(/required/);
    expect(() => parseInstant(null as never)).toThrow(/required/);
    expect(() => parseInstant({} as never)).toThrow(InvalidTimeError);
  });

  it('formats as ISO UTC', () => {
    expect(formatInstant(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.000Z');
    expect(parseInstant(formatInstant(1_767_225_600_123))).toBe(1_767_225_600_123);
    expect(() => formatInstant(1.5)).toThrow(InvalidTimeError);
  });
});
