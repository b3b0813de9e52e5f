// Money: an immutable (currency, bigint minor units) pair that refuses to mix currencies.
import { CurrencyMismatchError } from './errors.js';
import { assertBigintAmount, formatAmount, parseAmount } from './amount.js';
import type { CurrencyRegistry } from './currency.js';
import { defaultCurrencies } from './currency.js';

export class Money {
  readonly currency: string;
  readonly amount: bigint;

  private constructor(amount: bigint, currency: string) {
    this.amount = amount;
    this.currency = currency;
    Object.freeze(this);
  }

  /** `Money.of(1234n, 'USD')` is 12.34 USD. A JS number for `amount` throws. */
  static of(amount: bigint, currency: string, registry: CurrencyRegistry = defaultCurrencies): Money {
    assertBigintAmount(amount);
    registry.get(currency);
    return new Money(amount, currency);
  }

  /** Exact decimal parsing: `Money.parse('12.34', 'USD')` is 1234n cents; "0.001" USD throws. */
  static parse(text: string, currency: string, registry: CurrencyRegistry = defaultCurrencies): Money {
    return new Money(parseAmount(text, currency, registry), currency);
  }

  static zero(currency: string, registry: CurrencyRegistry = defaultCurrencies): Money {
    return Money.of(0n, currency, registry);
  }

  #same(other: Money, op: string): void {
    if (!(other instanceof Money)) throw new CurrencyMismatchError(`cannot ${op} a non-Money value`);
    if (other.currency !== this.currency) {
      throw new CurrencyMismatchError(`cannot ${op} ${this.currency} and ${other.currency}`);
    }
  }

  plus(other: Money): Money {
    this.#same(other, 'add');
    return new Money(this.amount + other.amount, this.currency);
  }

  minus(other: Money): Money {
    this.#same(other, 'subtract');
    return new Money(this.amount - other.amount, this.currency);
  }

  negate(): Money {
    return new Money(-this.amount, this.currency);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.#same(other, 'compare');
    return this.amount < other.amount ? -1 : this.amount > other.amount ? 1 : 0;
  }

  equals(other: Money): boolean {
    return other instanceof Money && other.currency === this.currency && other.amount === this.amount;
  }

  isZero(): boolean {
    return this.amount === 0n;
  }

  isPositive(): boolean {
    return this.amount > 0n;
  }

  format(registry: CurrencyRegistry = defaultCurrencies): string {
    return formatAmount(this.amount, this.currency, registry);
  }

  toString(): string {
    return `${this.format()} ${this.currency}`;
  }

  /** JSON form: amount as a decimal string of minor units (never a JSON number). */
  toJSON(): { currency: string; amount: string } {
    return { currency: this.currency, amount: this.amount.toString() };
  }
}
