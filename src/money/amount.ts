// Exact bigint minor-unit amounts: validation, decimal parsing and formatting. No JS number ever carries money.
import { DecimalParseError, InvalidAmountError } from './errors.js';
import type { CurrencyRegistry } from './currency.js';
import { defaultCurrencies } from './currency.js';

/** Throws unless `value` is a bigint; names what was passed instead (float, unsafe integer, number, ...). */
export function assertBigintAmount(value: unknown, what = 'amount'): asserts value is bigint {
  if (typeof value === 'bigint') return;
  if (typeof value === 'number') {
    const kind = !Number.isFinite(value)
      ? 'a non-finite number'
      : !Number.isInteger(value)
        ? 'a float'
        : !Number.isSafeInteger(value)
          ? 'an unsafe integer'
          : 'a JS number';
    throw new InvalidAmountError(`${what} must be a bigint of minor units, got ${kind} (${String(value)})`);
  }
  throw new InvalidAmountError(`${what} must be a bigint of minor units, got ${typeof value}`);
}

const DECIMAL_RE = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** What a malformed amount's message says is expected: in general, and (strict) in the importers' fuller words. */
const EXPECTED = 'expected digits with an optional "-" and "." fraction';
const EXPECTED_STRICT =
  'expected a decimal like "1234.56" (optional "-", no "+", no thousands separators, no leading zeros)';

export interface ParseAmountOptions {
  /**
   * For imports: more fractional digits than the currency has is an error even when they are zeros
   * ("1.230" USD throws), and a malformed amount's message spells out the accepted form.
   */
  strict?: boolean;
}

/**
 * Parses a decimal string into minor units, exactly: "12.34" USD -> 1234n. More fractional digits than the
 * exponent is an error unless the extra digits are zeros ("0.010" USD = 1n; "0.001" USD throws); with
 * `strict`, even zeros are refused. A leading "-" is accepted (signed amounts); callers that need positive
 * amounts check the sign.
 */
export function parseAmount(
  text: string,
  currency: string,
  registry: CurrencyRegistry = defaultCurrencies,
  options: ParseAmountOptions = {},
): bigint {
  const strict = options.strict === true;
  const { exponent } = registry.get(currency);
  if (typeof text !== 'string') {
    throw new DecimalParseError(`expected a decimal string for ${currency}, got ${typeof text}`);
  }
  const m = DECIMAL_RE.exec(text);
  if (!m) {
    throw new DecimalParseError(
      `malformed ${currency} amount ${JSON.stringify(text)}: ${strict ? EXPECTED_STRICT : EXPECTED}`,
    );
  }
  const [, sign, whole, frac = ''] = m;
  let fraction = frac;
  if (fraction.length > exponent) {
    if (strict || !/^0+$/.test(fraction.slice(exponent))) {
      throw new DecimalParseError(
        `${currency} amount ${JSON.stringify(text)} has ${frac.length} decimals but ${currency} has ${exponent}: refusing to round`,
      );
    }
    fraction = fraction.slice(0, exponent);
  }
  const digits = whole + fraction.padEnd(exponent, '0');
  const v = BigInt(digits);
  return sign === '-' ? -v : v;
}

/** Formats minor units as an exact decimal string with exactly `exponent` fractional digits. */
export function formatAmount(
  amount: bigint,
  currency: string,
  registry: CurrencyRegistry = defaultCurrencies,
): string {
  assertBigintAmount(amount);
  return formatMinorUnits(amount, registry.get(currency).exponent);
}

/**
 * Minor units as an exact decimal string with `decimals` fractional digits (`1234n, 2` is `"12.34"`), for
 * callers that know the exponent but not a registered currency (a bundle's manifest, the browser page).
 */
export function formatMinorUnits(amount: bigint, decimals: number): string {
  const neg = amount < 0n;
  const abs = (neg ? -amount : amount).toString();
  if (decimals === 0) return (neg ? '-' : '') + abs;
  const padded = abs.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  const frac = padded.slice(padded.length - decimals);
  return `${neg ? '-' : ''}${whole}.${frac}`;
}
