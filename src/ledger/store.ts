// The storage interface behind a Ledger. Implementations only persist; every rule lives in the Ledger.
// Every method that writes must be called inside `atomic`.
import type { AuditEvent } from '../audit/event.js';
import type { Account, Transaction } from './types.js';

export interface TxOutcome {
  readonly outcome: 'SETTLED' | 'FAILED';
  readonly at: number;
  /** Failure reason; null for SETTLED. */
  readonly reason: string | null;
}

export interface TxReversal {
  readonly reversalTxId: string;
  readonly at: number;
  readonly reason: string;
}

/** What the lifecycle rules need to know about a stored transaction, without decoding its body. */
export interface TxInfo {
  readonly initiatedAt: number;
  readonly reverses: string | null;
  readonly outcome: TxOutcome | null;
  readonly reversal: TxReversal | null;
}

/** An operator currency recorded in the ledger (CURRENCY_REGISTERED event). Built-ins are never stored. */
export interface StoredCurrency {
  readonly code: string;
  readonly exponent: number;
  readonly registeredAt: number;
}

/** Per-account sums of entry amounts at an instant T (see `LedgerStore.aggregate`). */
export interface AccountAggregate {
  readonly account: Account;
  readonly settledDebits: bigint;
  readonly settledCredits: bigint;
  readonly pendingDebits: bigint;
  readonly pendingCredits: bigint;
}

/** A stored value as a table holds it: SQL NULL, INTEGER (bigint), REAL, TEXT or BLOB. */
export type StoredValue = null | bigint | number | string | Uint8Array;

/**
 * One table of a store, as `replayAndCompare` compares it with the same table of a store rebuilt from the
 * audit log: its columns (in their declared order) and every row, column by column.
 */
export interface StoredTable {
  readonly name: string;
  readonly columns: readonly string[];
  /** Every row, in an order that depends only on the rows' values (two stores with the same rows agree). */
  rows(): IterableIterator<readonly StoredValue[]>;
}

export interface LedgerStore {
  readonly kind: 'memory' | 'sqlite';
  /** Runs `fn` atomically: if it throws, none of its writes remain. Nested calls join the outer one. */
  atomic<T>(fn: () => T): T;
  /** Runs `fn` (reads only) against one consistent state of the store. */
  read<T>(fn: () => T): T;
  close(): void;

  insertAccount(account: Account): void;
  getAccount(id: string): Account | undefined;
  countAccounts(): number;

  insertCurrency(currency: StoredCurrency): void;
  getCurrency(code: string): StoredCurrency | undefined;
  /** Every recorded currency, sorted by code. */
  currencies(): StoredCurrency[];

  /** `postedSeq` is the sequence of the TX_POSTED audit event that carries the transaction's body. */
  insertTransaction(tx: Transaction, postedSeq: number): void;
  /**
   * Like `insertTransaction`, but when a transaction with the same id or the same idempotency key is already
   * stored it writes nothing and returns false (the caller then finds out which).
   */
  insertTransactionIfNew(tx: Transaction, postedSeq: number): boolean;
  getTransaction(id: string): Transaction | undefined;
  hasTransaction(id: string): boolean;
  getTxInfo(id: string): TxInfo | undefined;
  findTransactionIdByIdempotencyKey(key: string): string | undefined;
  countTransactions(): number;
  /** Ids of every stored transaction, in posting order. */
  transactionIds(): IterableIterator<string>;
  insertOutcome(txId: string, outcome: TxOutcome): void;
  insertReversal(txId: string, reversal: TxReversal): void;

  appendEvent(event: AuditEvent): void;
  lastEvent(): AuditEvent | undefined;
  /** The event with the greatest sequence among those with `at <= t`. */
  lastEventAtOrBefore(t: number): AuditEvent | undefined;
  /** Every event in sequence order (streamed). */
  events(): IterableIterator<AuditEvent>;

  /**
   * One pass over all entries: for each account opened at or before `t` (sorted by id), the sums of
   * - settled debits / credits: entries of transactions with a SETTLED outcome at or before t;
   * - pending debits / credits: entries of transactions initiated at or before t, not settled at or before t,
   *   and not failed at or before t.
   * With `accountId`, only that account (if opened at or before t).
   */
  aggregate(t: number, accountId?: string): AccountAggregate[];

  /**
   * Every table of the store (for SQLite: every table of the file, and its schema objects), sorted by name:
   * everything that a read of the store (balances, snapshots, transaction records, the audit log) can
   * depend on. A store rebuilt from the audit log into a fresh store of the same kind has exactly the same
   * tables and rows as an honest store (`replayAndCompare` checks this).
   */
  tables(): StoredTable[];
}

/** Makes a new, empty store (`replayAndCompare` rebuilds the audit log into one). */
export type LedgerStoreFactory = () => LedgerStore;
