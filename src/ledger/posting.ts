// Posting a built transaction: the entry rules, idempotency (same content or same key), and the TX_POSTED event.
import { CurrencyMismatchError } from '../money/errors.js';
import { formatInstant } from '../time.js';
import { IdempotencyConflictError, StorageError, TimeOrderError, UnknownAccountError } from './errors.js';
import type { LedgerStore } from './store.js';
import type { Transaction } from './types.js';
import type { WriteSession } from './write-session.js';

/**
 * Inside a write: posts `tx` (verified, not a reversal; `bodyJson` is its canonical body). Posting the same
 * transaction again (same id, or the same idempotency key with the same content) returns the stored one and
 * writes nothing; the same key with other content is an IdempotencyConflictError.
 */
export function postTransaction(session: WriteSession, tx: Transaction, bodyJson: string): Transaction {
  // The common case is a new transaction: check the rules, then insert unless the id or the idempotency
  // key is already stored (one statement, no lookup first). Only when that happens, or when a rule
  // refuses, look for a stored duplicate: it takes precedence (same id: return it; same key: conflict).
  try {
    validateEntries(session.store, tx);
    session.checkTime(tx.initiatedAt, 'initiatedAt');
  } catch (e) {
    const existing = duplicateOf(session.store, tx);
    if (existing) return existing;
    throw e;
  }
  if (!session.writeIf((store) => store.insertTransactionIfNew(tx, session.head.sequence + 1))) {
    const existing = duplicateOf(session.store, tx);
    if (existing) return existing;
    throw new StorageError(`transaction ${tx.id} was not inserted, yet no duplicate is stored`);
  }
  appendPosted(session, tx, bodyJson);
  return tx;
}

/** Inside a write: stores a transaction known to be new (a compensating one) with its TX_POSTED event. */
export function insertPosted(session: WriteSession, tx: Transaction, bodyJson: string): void {
  session.writer().insertTransaction(tx, session.head.sequence + 1);
  appendPosted(session, tx, bodyJson);
}

function appendPosted(session: WriteSession, tx: Transaction, bodyJson: string): void {
  // Canonical: keys "id" < "transaction", the id is hex and bodyJson is already canonical.
  session.append('TX_POSTED', `{"id":"${tx.id}","transaction":${bodyJson}}`, tx.initiatedAt);
}

/** The stored transaction with `tx`'s id; throws IdempotencyConflictError if only its key is taken. */
function duplicateOf(store: LedgerStore, tx: Transaction): Transaction | undefined {
  if (store.hasTransaction(tx.id)) return store.getTransaction(tx.id)!;
  if (tx.idempotencyKey !== null) {
    const existing = store.findTransactionIdByIdempotencyKey(tx.idempotencyKey);
    if (existing !== undefined) throw new IdempotencyConflictError(tx.idempotencyKey, existing, tx.id);
  }
  return undefined;
}

/** Every entry's account exists, is in the entry's currency and is open when the transaction starts. */
function validateEntries(store: LedgerStore, tx: Transaction): void {
  for (const e of tx.entries) {
    const a = store.getAccount(e.account);
    if (!a) throw new UnknownAccountError(e.account);
    if (a.currency !== e.currency) {
      throw new CurrencyMismatchError(
        `account ${a.id} (${a.ownerType} ${a.externalRef}) is ${a.currency}; entry is ${e.currency}`,
      );
    }
    if (a.openedAt > tx.initiatedAt) {
      throw new TimeOrderError(
        `account ${a.id} opens at ${formatInstant(a.openedAt)}, after the transaction`,
      );
    }
  }
}
