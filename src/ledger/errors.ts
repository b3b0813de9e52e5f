// Typed errors of the ledger's rules, and StorageError: the LedgerStore contract (src/ledger/store.ts) is the
// ledger's, so a store adapter and the ledger itself both throw it.
import { InvalidArgumentError, ZkReserveError } from '../errors.js';

export class DuplicateAccountError extends ZkReserveError {
  constructor(id: string) {
    super('DUPLICATE_ACCOUNT', `account ${id} is already open (same owner type, currency and external ref)`);
  }
}

/** An external reference a new account may not have (externalRefRule in src/ledger/account.ts). */
/** An external reference that is empty, too long or not printable: an invalid argument with its own code. */
export class InvalidExternalRefError extends InvalidArgumentError {
  constructor(message: string) {
    super(message, 'INVALID_EXTERNAL_REF');
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
