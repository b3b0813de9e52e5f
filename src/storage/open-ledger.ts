// Opening ledgers: the composition of a Ledger with a store adapter. The ledger owns the LedgerStore interface
// and knows no adapter; this module picks them (SQLite for files, memory for tests and replay scratch).
import type { LedgerOptions } from '../ledger/ledger.js';
import { Ledger } from '../ledger/ledger.js';
import type { LedgerStore, LedgerStoreFactory } from '../ledger/store.js';
import { MemoryStore } from './memory-store.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import { SqliteStore } from './sqlite-store.js';

/** The scratch store `replayBalances` rebuilds the audit log of a memory store into: a fresh in-memory store. */
export const memoryReplayStore: LedgerStoreFactory = () => new MemoryStore();

/**
 * The scratch store `replayBalances` rebuilds the audit log of a SQLite ledger into: a fresh SQLite database
 * in memory, so that every table of the file can be compared with it row by row and column by column.
 */
export const sqliteReplayStore: LedgerStoreFactory = () => new SqliteStore(':memory:');

/** The replay store of the same kind as `store` (rows are compared between stores of one kind only). */
export function replayStoreFor(store: LedgerStore): LedgerStoreFactory {
  return store.kind === 'sqlite' ? sqliteReplayStore : memoryReplayStore;
}

/** A ledger over any LedgerStore, replaying into a store of its kind (tests use this to inject failures). */
export function openLedger(store: LedgerStore, options: LedgerOptions = {}): Ledger {
  return Ledger.open(store, { ...options, replayStore: replayStoreFor(store) });
}

/** A ledger held in memory only. */
export function openMemoryLedger(options: LedgerOptions = {}): Ledger {
  return openLedger(new MemoryStore(), options);
}

/**
 * A ledger in a SQLite file (created if absent, restored exactly if present, including its registered
 * currencies) or ':memory:'. The file is closed again when the ledger cannot be opened on it.
 */
export function openSqliteLedger(path: string, options: LedgerOptions & SqliteStoreOptions = {}): Ledger {
  const store = new SqliteStore(path, options);
  try {
    return openLedger(store, options);
  } catch (e) {
    store.close();
    throw e;
  }
}
