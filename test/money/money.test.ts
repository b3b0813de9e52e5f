import { describe, expect, it } from 'vitest';
import {
  CurrencyMismatchError,
  CurrencyRegistry,
  DecimalParseError,
  InvalidAmountError,
  InvalidCurrencyError,
  Money,
  UnknownCurrencyError,
  assertBigintAmount,
  formatAmount,
  formatMinorUnits,
  parseAmount,
} from '../../src/index.js';

describe('currency registry', () => {
  it('has the built-in exponents', () => {
    const r = new CurrencyRegistry();
    const want: Record<string, number> = {
      JPY: 0,
      USD: 2,
      EUR: 2,
      GBP: 2,
      USDC: 6,
      USDT: 6,
      BTC: 8,
      ETH: 18,
      JPYC: 18,
    };
    for (const [code, exp] of Object.entries(want)) expect(r.get(code).exponent).toBe(exp);
    expect(r.list().map((c) => c.code)).toEqual(Object.keys(want).sort());
  });

  it('registers operator assets with valid codes only', () => {
    const r = new CurrencyRegistry();
    expect(r.register('XAU', 3)).toEqual({ code: 'XAU', exponent: 3 });
    expect(r.register('XAU', 3).exponent).toBe(3); // idempotent
    expect(() => r.register('XAU', 4)).toThrow(InvalidCurrencyError);
    expect(r.register('A'.repeat(31), 0).code).toHaveLength(31);
    for (const bad of ['', 'usd', 'US-D', 'A'.repeat(32), 'ÜSD', 'US D']) {
      expect(() => r.register(bad, 2), bad).toThrow(InvalidCurrencyError);
    }
    for (const badExp of [-1, 1.5, 37, Number.NaN])
      expect(() => r.register('ZZZ', badExp)).toThrow(InvalidCurrencyError);
    expect(() => r.get('NOPE')).toThrow(UnknownCurrencyError);
  });
});

describe('amount parsing and formatting', () => {
  it('parses exact decimals', () => {
    expect(parseAmount('12.34', 'USD')).toBe(1234n);
    expect(parseAmount('12', 'USD')).toBe(1200n);
    expect(parseAmount('12.3', 'USD')).toBe(1230n);
    expect(parseAmount('0.010', 'USD')).toBe(1n); // extra zero digits are exact
    expect(parseAmount('-5.00', 'USD')).toBe(-500n);
    expect(parseAmount('1000', 'JPY')).toBe(1000n);
    expect(parseAmount('1.000000000000000001', 'ETH')).toBe(1_000_000_000_000_000_001n);
    expect(parseAmount('123456789012345678901234567890.5', 'EUR')).toBe(12345678901234567890123456789050n);
  });

  it('refuses rounding and malformed input', () => {
    expect(() => parseAmount('0.001', 'USD')).toThrow(DecimalParseError);
    expect(() => parseAmount('1.5', 'JPY')).toThrow(DecimalParseError);
    for (const bad of [
      '',
      '.5',
      '5.',
      '+5',
      '1e3',
      '1,000',
      ' 1',
      '1 ',
      '01',
      '--1',
      '0x10',
      'NaN',
      '1.2.3',
    ]) {
      expect(() => parseAmount(bad, 'USD'), bad).toThrow(DecimalParseError);
    }
    expect(() => parseAmount('1', 'NOPE')).toThrow(UnknownCurrencyError);
  });

  it('parses strictly for imports: no extra fractional digits, not even zeros', () => {
    const strict = (text: string, currency: string, registry?: CurrencyRegistry) =>
      parseAmount(text, currency, registry, { strict: true });
    expect(strict('1234.56', 'USD')).toBe(123456n);
    expect(strict('-0.5', 'USD')).toBe(-50n);
    expect(strict('7', 'JPY')).toBe(7n);
    expect(parseAmount('1.230', 'USD')).toBe(123n);
    expect(() => strict('1.230', 'USD')).toThrow(DecimalParseError);
    expect(() => strict('1.230', 'USD')).toThrow(
      'USD amount "1.230" has 3 decimals but USD has 2: refusing to round',
    );
    expect(() => strict('0.001', 'USD')).toThrow(/has 3 decimals but USD has 2/);
    for (const bad of ['', '+5', '1,000.00', '01', '1e3', ' 1', '5.']) {
      expect(() => strict(bad, 'USD'), bad).toThrow(DecimalParseError);
      expect(() => strict(bad, 'USD'), bad).toThrow(/no thousands separators, no leading zeros/);
    }
    expect(() => parseAmount('1,000', 'USD')).toThrow(
      /expected digits with an optional "-" and "." fraction/,
    );
    expect(() => strict('1', 'NOPE')).toThrow(UnknownCurrencyError);
    const r = new CurrencyRegistry();
    r.register('ACME', 4);
    expect(strict('12.3456', 'ACME', r)).toBe(123456n);
    expect(() => strict('12.34560', 'ACME', r)).toThrow(DecimalParseError);
  });

  it('formats with the exponent and round-trips', () => {
    expect(formatAmount(1234n, 'USD')).toBe('12.34');
    expect(formatAmount(-5n, 'USD')).toBe('-0.05');
    expect(formatAmount(0n, 'BTC')).toBe('0.00000000');
    expect(formatAmount(1234n, 'JPY')).toBe('1234');
    expect(formatAmount(1n, 'ETH')).toBe('0.000000000000000001');
    for (const s of ['0.00', '-123.45', '99999999999999999999.99'])
      expect(formatAmount(parseAmount(s, 'USD'), 'USD')).toBe(s);
  });

  it('formats minor units with an explicit exponent (no registry: bundle manifests, the browser page)', () => {
    expect(formatMinorUnits(1234n, 2)).toBe('12.34');
    expect(formatMinorUnits(-5n, 2)).toBe('-0.05');
    expect(formatMinorUnits(1234n, 0)).toBe('1234');
    expect(formatMinorUnits(10n ** 24n, 18)).toBe('1000000.000000000000000000');
    expect(formatMinorUnits(7n, 4)).toBe('0.0007');
  });

  it('never accepts a JS number for money', () => {
    expect(() => assertBigintAmount(1.5)).toThrow(/float/);
    expect(() => assertBigintAmount(2 ** 60)).toThrow(/unsafe integer/);
    expect(() => assertBigintAmount(12)).toThrow(/JS number/);
    expect(() => assertBigintAmount(Number.POSITIVE_INFINITY)).toThrow(/non-finite/);
    expect(() => assertBigintAmount('12')).toThrow(InvalidAmountError);
    expect(() => Money.of(12 as unknown as bigint, 'USD')).toThrow(InvalidAmountError);
    expect(() => formatAmount(12 as unknown as bigint, 'USD')).toThrow(InvalidAmountError);
  });
});

describe('Money', () => {
  it('adds and compares within one currency', () => {
    const a = Money.parse('1.50', 'USD');
    const b = Money.of(25n, 'USD');
    expect(a.plus(b).amount).toBe(175n);
    expect(a.minus(b).amount).toBe(125n);
    expect(b.minus(a).negate().amount).toBe(125n);
    expect(a.compare(b)).toBe(1);
    expect(a.equals(Money.of(150n, 'USD'))).toBe(true);
    expect(a.toString()).toBe('1.50 USD');
    expect(JSON.stringify(a)).toBe('{"currency":"USD","amount":"150"}');
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('never mixes currencies silently', () => {
    const usd = Money.of(100n, 'USD');
    const eur = Money.of(100n, 'EUR');
    expect(() => usd.plus(eur)).toThrow(CurrencyMismatchError);
    expect(() => usd.minus(eur)).toThrow(CurrencyMismatchError);
    expect(() => usd.compare(eur)).toThrow(CurrencyMismatchError);
    expect(usd.equals(eur)).toBe(false);
  });

  it('uses a custom registry for operator assets', () => {
    const r = new CurrencyRegistry();
    r.register('XAU', 3);
    expect(Money.parse('1.234', 'XAU', r).amount).toBe(1234n);
    expect(() => Money.parse('1.2345', 'XAU', r)).toThrow(DecimalParseError);
    expect(() => Money.parse('1', 'XAU')).toThrow(UnknownCurrencyError); // not in the default registry
  });
});
