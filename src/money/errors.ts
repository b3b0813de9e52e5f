// Typed errors of money: amounts, decimal text and currencies.
import { ZkReserveError } from '../errors.js';

/** A money amount that is not a bigint, out of range, or not allowed here (zero / negative transfer). */
export class InvalidAmountError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_AMOUNT', message);
  }
}

/** A decimal string that is malformed or has more fractional digits than the currency allows. */
export class DecimalParseError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_DECIMAL', message);
  }
}

/** Two amounts (or an amount and an account) of different currencies were combined. */
export class CurrencyMismatchError extends ZkReserveError {
  constructor(message: string) {
    super('CURRENCY_MISMATCH', message);
  }
}

export class UnknownCurrencyError extends ZkReserveError {
  constructor(code: string) {
    super('UNKNOWN_CURRENCY', `unknown currency ${JSON.stringify(code)} (register it first)`);
  }
}

/** A malformed currency code or a conflicting registration. */
export class InvalidCurrencyError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_CURRENCY', message);
  }
}
