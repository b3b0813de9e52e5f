// A ledger's currencies: the built-ins, those recorded in the ledger (CURRENCY_REGISTERED events, the store's
// currencies), and those of an extra registry (options.currencies or the process-wide one), which are
// recorded in the ledger on first use.
import type { Currency } from '../money/currency.js';
import { CurrencyRegistry, builtinCurrency } from '../money/currency.js';
import { InvalidCurrencyError, UnknownCurrencyError } from '../money/errors.js';
import type { WriteSession } from './write-session.js';

export class LedgerCurrencies {
  /** Every currency this ledger knows so far. */
  readonly registry = new CurrencyRegistry();
  /** Where unrecorded operator currencies may come from (options.currencies or the process-wide registry). */
  readonly #extra: CurrencyRegistry;
  readonly #session: WriteSession;

  constructor(session: WriteSession, extra: CurrencyRegistry) {
    this.#session = session;
    this.#extra = extra;
    for (const c of session.store.currencies()) this.learn(c, 'the ledger file');
    for (const c of extra.list()) this.learn(c, 'the currency registry passed to the ledger');
  }

  /** Adds `c` to this ledger's registry; a different exponent for a known code names both sources. */
  learn(c: Currency, source: string): Currency {
    const known = this.registry.has(c.code) ? this.registry.get(c.code) : undefined;
    if (known && known.exponent !== c.exponent) {
      throw new InvalidCurrencyError(
        `currency ${c.code} has exponent ${known.exponent} in this ledger${builtinCurrency(c.code) ? ' (built-in)' : ''}, but ${c.exponent} in ${source}`,
      );
    }
    return this.registry.register(c.code, c.exponent);
  }

  /**
   * Registers operator currency `code` (already validated; not built in) at `at`: a CURRENCY_REGISTERED
   * event unless the ledger already records it with this exponent.
   */
  register(code: string, exponent: number, at: number): Currency {
    const c: Currency = Object.freeze({ code, exponent });
    this.#session.write(() => this.record(c, at));
    return this.learn(c, 'the ledger file');
  }

  /**
   * Inside a write: makes sure the ledger records operator currency `c` (nothing to do if it already does;
   * a different recorded exponent throws before anything is stored). Appends CURRENCY_REGISTERED at `at`.
   */
  record(c: Currency, at: number): void {
    const session = this.#session;
    const stored = session.store.getCurrency(c.code);
    if (stored) {
      if (stored.exponent !== c.exponent) {
        throw new InvalidCurrencyError(
          `currency ${c.code} is registered in the ledger with exponent ${stored.exponent}, not ${c.exponent}`,
        );
      }
      return;
    }
    const known = this.registry.has(c.code) ? this.registry.get(c.code) : undefined;
    if (known && known.exponent !== c.exponent) {
      throw new InvalidCurrencyError(
        `currency ${c.code} has exponent ${known.exponent} in this ledger's registry, not ${c.exponent}`,
      );
    }
    session.checkTime(at, 'registeredAt');
    session.writer().insertCurrency({ code: c.code, exponent: c.exponent, registeredAt: at });
    // Canonical: keys in order, code is [A-Z0-9]+, exponent and time are integers.
    session.append(
      'CURRENCY_REGISTERED',
      `{"code":"${c.code}","exponent":${c.exponent},"registeredAt":${at}}`,
      at,
    );
  }

  /** The currency an account may be opened in: this ledger's registry, then the extra registry, then the file. */
  currencyFor(code: string): Currency {
    if (this.registry.has(code)) return this.registry.get(code);
    if (this.#extra.has(code))
      return this.learn(this.#extra.get(code), 'the currency registry passed to the ledger');
    const stored = this.#session.store.getCurrency(code); // recorded by another Ledger instance on the same file
    if (stored) return this.learn(stored, 'the ledger file');
    throw new UnknownCurrencyError(code);
  }
}
