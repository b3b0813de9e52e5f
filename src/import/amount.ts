// Strict decimal amounts for imports: more fractional digits than the currency has is an error, even zeros.
import type { CurrencyRegistry } from '../money/currency.js';
import { defaultCurrencies } from '../money/currency.js';
import { parseAmount } from '../money/amount.js';

const STRICT_RE = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Parses a signed decimal in major units ("1234.56", "-0.5") into minor units; throws with a precise reason. */
export function parseStrictAmount(
  text: string,
  currency: string,
  registry: CurrencyRegistry = defaultCurrencies,
): bigint {
  const { exponent } = registry.get(currency);
  if (!STRICT_RE.test(text)) {
    throw new Error(
      `malformed ${currency} amount ${JSON.stringify(text)}: expected a decimal like "1234.56" (optional "-", no "+", no thousands separators, no leading zeros)`,
    );
  }
  const dot = text.indexOf('.');
  const decimals = dot < 0 ? 0 : text.length - dot - 1;
  if (decimals > exponent) {
    throw new Error(
      `${currency} amount ${JSON.stringify(text)} has ${decimals} decimals but ${currency} has ${exponent}: refusing to round`,
    );
  }
  return parseAmount(text, currency, registry);
}
