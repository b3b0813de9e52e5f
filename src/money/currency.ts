// Currency registry: code -> number of minor-unit decimals (exponent).
import { InvalidCurrencyError, UnknownCurrencyError } from './errors.js';

export interface Currency {
  readonly code: string;
  /** Number of decimal digits of the minor unit: USD 2 (cents), BTC 8 (satoshi), ETH 18 (wei). */
  readonly exponent: number;
}

/** Codes are uppercase ASCII letters and digits, 1..31 bytes: they become a field element (31 bytes < p). */
const CODE_RE = /^[A-Z0-9]{1,31}$/;
export const MAX_EXPONENT = 36;

export const BUILTIN_CURRENCIES: readonly Currency[] = Object.freeze(
  (
    [
      ['JPY', 0],
      ['USD', 2],
      ['EUR', 2],
      ['GBP', 2],
      ['USDC', 6],
      ['USDT', 6],
      ['BTC', 8],
      ['ETH', 18],
      ['JPYC', 18],
    ] as const
  ).map(([code, exponent]) => Object.freeze({ code, exponent })),
);

/** The ledger's currency grammar `[A-Z0-9]{1,31}` (ASCII only: no look-alike, no invisible character). */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && CODE_RE.test(code);
}

export function assertCurrencyCode(code: unknown): asserts code is string {
  if (!isCurrencyCode(code)) {
    throw new InvalidCurrencyError(
      `invalid currency code ${JSON.stringify(code)}: expected 1..31 uppercase letters or digits`,
    );
  }
}

/** Throws unless `exponent` is an integer 0..MAX_EXPONENT (a JS number: it counts digits, not money). */
export function assertExponent(exponent: unknown, code: string): asserts exponent is number {
  if (
    typeof exponent !== 'number' ||
    !Number.isSafeInteger(exponent) ||
    exponent < 0 ||
    exponent > MAX_EXPONENT
  ) {
    throw new InvalidCurrencyError(
      `invalid exponent ${String(exponent)} for ${code}: expected an integer 0..${MAX_EXPONENT}`,
    );
  }
}

const BUILTIN_BY_CODE: ReadonlyMap<string, Currency> = new Map(BUILTIN_CURRENCIES.map((c) => [c.code, c]));

/** The built-in currency with this code, if any (built-ins need no registration). */
export function builtinCurrency(code: string): Currency | undefined {
  return BUILTIN_BY_CODE.get(code);
}

export class CurrencyRegistry {
  readonly #byCode = new Map<string, Currency>();

  constructor(initial: readonly Currency[] = BUILTIN_CURRENCIES) {
    for (const c of initial) this.register(c.code, c.exponent);
  }

  /** Registers an operator asset. Re-registering with the same exponent is a no-op; a different one throws. */
  register(code: string, exponent: number): Currency {
    assertCurrencyCode(code);
    assertExponent(exponent, code);
    const existing = this.#byCode.get(code);
    if (existing) {
      if (existing.exponent !== exponent) {
        throw new InvalidCurrencyError(
          `currency ${code} is already registered with exponent ${existing.exponent}, not ${exponent}`,
        );
      }
      return existing;
    }
    const c = Object.freeze({ code, exponent });
    this.#byCode.set(code, c);
    return c;
  }

  has(code: string): boolean {
    return this.#byCode.has(code);
  }

  get(code: string): Currency {
    assertCurrencyCode(code);
    const c = this.#byCode.get(code);
    if (!c) throw new UnknownCurrencyError(code);
    return c;
  }

  list(): Currency[] {
    return [...this.#byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}

/** The process-wide registry used when none is passed explicitly. */
export const defaultCurrencies = new CurrencyRegistry();

export function registerCurrency(code: string, exponent: number): Currency {
  return defaultCurrencies.register(code, exponent);
}

export function getCurrency(code: string, registry: CurrencyRegistry = defaultCurrencies): Currency {
  return registry.get(code);
}
