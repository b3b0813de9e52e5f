// Typed errors shared by every zkreserve module. Each has a stable `code` for programmatic handling.

export class ZkReserveError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

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

/** A missing, malformed or zone-less time. */
export class InvalidTimeError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_TIME', message);
  }
}

export class InvalidArgumentError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export class DuplicateAccountError extends ZkReserveError {
  constructor(id: string) {
    super('DUPLICATE_ACCOUNT', `account ${id} is already open (same owner type, currency and external ref)`);
  }
}

export class UnknownAccountError extends ZkReserveError {
  constructor(id: string) {
    super('UNKNOWN_ACCOUNT', `unknown account ${id}`);
  }
}

export class UnknownTransactionError extends ZkReserveError {
  constructor(id: string) {
    super('UNKNOWN_TRANSACTION', `unknown transaction ${id}`);
  }
}

/** Debits and credits of some currency do not sum to the same amount. */
export class UnbalancedTransactionError extends ZkReserveError {
  constructor(message: string) {
    super('UNBALANCED', message);
  }
}

/** The same idempotency key was posted with different content. */
export class IdempotencyConflictError extends ZkReserveError {
  constructor(key: string, existingId: string, newId: string) {
    super(
      'IDEMPOTENCY_CONFLICT',
      `idempotency key ${JSON.stringify(key)} already used by transaction ${existingId} with different content (${newId})`,
    );
  }
}

/** A lifecycle transition that is not allowed from the transaction's current status. */
export class TransactionStateError extends ZkReserveError {
  constructor(message: string) {
    super('TX_STATE', message);
  }
}

/** A write whose business time is before an event already in the audit chain, or settle before initiation. */
export class TimeOrderError extends ZkReserveError {
  constructor(message: string) {
    super('TIME_ORDER', message);
  }
}

/** A transaction object whose id does not match its content, or that is not a built transaction. */
export class TransactionIntegrityError extends ZkReserveError {
  constructor(message: string) {
    super('TX_INTEGRITY', message);
  }
}

export class SchemaVersionError extends ZkReserveError {
  constructor(message: string) {
    super('SCHEMA_VERSION', message);
  }
}

export class StorageError extends ZkReserveError {
  constructor(message: string) {
    super('STORAGE', message);
  }
}

export class LedgerClosedError extends ZkReserveError {
  constructor() {
    super('LEDGER_CLOSED', 'the ledger is closed');
  }
}

/** The audit log is malformed in a way that prevents replay. */
export class AuditLogError extends ZkReserveError {
  constructor(message: string) {
    super('AUDIT_LOG', message);
  }
}
