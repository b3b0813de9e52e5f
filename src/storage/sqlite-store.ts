// SQLite LedgerStore (better-sqlite3): WAL, busy timeout, versioned schema (sqlite-schema.ts), append-only
// tables, prepared statements (sqlite-statements.ts), rows and amount limbs (sqlite-rows.ts).
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEvent } from '../audit/event.js';
import { StorageError } from '../ledger/errors.js';
import type {
  AccountAggregate,
  LedgerStore,
  StoredCurrency,
  StoredTable,
  StoredValue,
  TxInfo,
  TxOutcome,
  TxReversal,
} from '../ledger/store.js';
import { transactionFromBody } from '../ledger/transaction.js';
import type { Account, Entry, Transaction } from '../ledger/types.js';
import { ensureSchema } from './sqlite-schema.js';
import type { AccountRow, CurrencyRow, EventRow, TxInfoRow } from './sqlite-rows.js';
import { amountLimbs, limbsAmount, toAccount, toCurrency, toEvent, toTxInfo } from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';
import { prepareStatements } from './sqlite-statements.js';

export interface SqliteStoreOptions {
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  busyTimeoutMs?: number;
}

/** Most transactions remembered per write transaction (see `#recent`). */
const RECENT_MAX = 4096;

interface RecentTx {
  no: number;
  initiatedAt: number;
  reverses: string | null;
  outcome: TxOutcome | null;
  reversal: TxReversal | null;
}

/** Opens (or creates) the file with the store's pragmas and schema; closes it again if that fails. */
function openDatabase(path: string, options: SqliteStoreOptions): BetterSqlite3.Database {
  if (typeof path !== 'string' || path.length === 0)
    throw new StorageError('sqlite path must be a non-empty string');
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path);
  } catch (e) {
    throw new StorageError(`cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 10000');
    ensureSchema(db, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** The 8 parameters of one entry row (see `insEntry`). */
function entryParams(txNo: number, accountNo: number, initiatedAt: number, e: Entry): number[] {
  return [txNo, accountNo, initiatedAt, e.side === 'DEBIT' ? 1 : 0, ...amountLimbs(e.amount)];
}

/** An SQL identifier, double-quoted. */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class SqliteStore implements LedgerStore {
  readonly kind = 'sqlite' as const;
  readonly db: BetterSqlite3.Database;
  readonly path: string;
  /** id -> (row number, account). Cleared when an outer atomic block rolls back. */
  #accountCache = new Map<string, { no: number; account: Account }>();
  #depth = 0;
  /**
   * Transactions inserted in the current outer write transaction (at most RECENT_MAX, oldest dropped first),
   * with their lifecycle as written since: a post is usually followed by its settle in the same batch, and
   * this answers getTxInfo without a query. Valid only while this connection holds the write lock (BEGIN
   * IMMEDIATE: no other writer), so it is cleared when the outer transaction ends, commit or rollback.
   */
  #recent = new Map<string, RecentTx>();
  /** The row number of the transaction last looked up by getTxInfo (its settle usually follows). */
  #lastLookup: { id: string; no: number } | null = null;
  readonly #tx: (fn: () => unknown) => unknown;
  readonly #readTx: (fn: () => unknown) => unknown;
  readonly #s: SqliteStatements;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.path = path;
    this.db = openDatabase(path, options);
    const txFn = this.db.transaction((fn: () => unknown) => fn());
    // Writers take the write lock up front (BEGIN IMMEDIATE), so two processes never interleave a
    // read-check-write on the same file; readers get a consistent WAL snapshot (BEGIN DEFERRED).
    this.#tx = txFn.immediate;
    this.#readTx = txFn.deferred;
    this.#s = prepareStatements(this.db);
  }

  atomic<T>(fn: () => T): T {
    this.#depth++;
    try {
      return this.#tx(fn) as T;
    } catch (e) {
      // better-sqlite3 rolled the SQL back ; drop cached rows that may be gone.
      this.#accountCache.clear();
      this.#recent.clear();
      this.#lastLookup = null;
      throw e;
    } finally {
      this.#depth--;
      if (this.#depth === 0) this.#recent.clear();
    }
  }

  read<T>(fn: () => T): T {
    return this.#readTx(fn) as T;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  #needTx(): void {
    if (this.#depth === 0) throw new StorageError('write outside atomic()');
  }

  #account(id: string): { no: number; account: Account } | undefined {
    let c = this.#accountCache.get(id);
    if (!c) {
      const r = this.#s.getAccount.get(id) as AccountRow | undefined;
      if (!r) return undefined;
      c = { no: r.no, account: toAccount(r) };
      this.#accountCache.set(id, c);
    }
    return c;
  }

  #txNo(id: string): number {
    const r = this.#recent.get(id);
    if (r) return r.no;
    if (this.#lastLookup?.id === id) return this.#lastLookup.no;
    const no = this.#s.txNo.get(id) as number | undefined;
    if (no === undefined) throw new StorageError(`unknown transaction ${id}`);
    return no;
  }

  insertAccount(a: Account): void {
    this.#needTx();
    const info = this.#s.insAccount.run(a.id, a.ownerType, a.currency, a.externalRef, a.openedAt);
    this.#accountCache.set(a.id, { no: Number(info.lastInsertRowid), account: a });
  }

  getAccount(id: string): Account | undefined {
    return this.#account(id)?.account;
  }

  countAccounts(): number {
    return this.#s.countAccounts.get() as number;
  }

  insertCurrency(c: StoredCurrency): void {
    this.#needTx();
    this.#s.insCurrency.run(c.code, c.exponent, c.registeredAt);
  }

  getCurrency(code: string): StoredCurrency | undefined {
    const r = this.#s.getCurrency.get(code) as CurrencyRow | undefined;
    return r && toCurrency(r);
  }

  currencies(): StoredCurrency[] {
    return (this.#s.currencies.all() as CurrencyRow[]).map(toCurrency);
  }

  insertTransaction(tx: Transaction, postedSeq: number): void {
    this.#needTx();
    const info = this.#s.insTx.run(tx.id, tx.idempotencyKey, tx.initiatedAt, tx.reverses, postedSeq);
    this.#insertEntries(tx, Number(info.lastInsertRowid));
  }

  insertTransactionIfNew(tx: Transaction, postedSeq: number): boolean {
    this.#needTx();
    const info = this.#s.insTxIfNew.run(tx.id, tx.idempotencyKey, tx.initiatedAt, tx.reverses, postedSeq);
    if (info.changes === 0) return false;
    this.#insertEntries(tx, Number(info.lastInsertRowid));
    return true;
  }

  #entryNo(e: Entry): number {
    const acc = this.#account(e.account);
    if (!acc) throw new StorageError(`entry references unknown account ${e.account}`);
    return acc.no;
  }

  #insertEntries(tx: Transaction, txNo: number): void {
    if (this.#recent.size >= RECENT_MAX) this.#recent.delete(this.#recent.keys().next().value!);
    this.#recent.set(tx.id, {
      no: txNo,
      initiatedAt: tx.initiatedAt,
      reverses: tx.reverses,
      outcome: null,
      reversal: null,
    });
    const es = tx.entries;
    const t = tx.initiatedAt;
    if (es.length === 2) {
      const [x, y] = es as [Entry, Entry];
      this.#s.insEntry2.run(
        ...entryParams(txNo, this.#entryNo(x), t, x),
        ...entryParams(txNo, this.#entryNo(y), t, y),
      );
      return;
    }
    for (const e of es) this.#s.insEntry.run(...entryParams(txNo, this.#entryNo(e), t, e));
  }

  getTransaction(id: string): Transaction | undefined {
    const payload = this.#s.getTx.get(id) as string | undefined;
    if (payload === undefined) return undefined;
    const p = JSON.parse(payload) as { id?: unknown; transaction?: unknown };
    if (p.id !== id) throw new StorageError(`TX_POSTED event of transaction ${id} names ${String(p.id)}`);
    return transactionFromBody(id, p.transaction);
  }

  hasTransaction(id: string): boolean {
    return this.#s.hasTx.get(id) !== undefined;
  }

  getTxInfo(id: string): TxInfo | undefined {
    if (this.#depth > 0) {
      const c = this.#recent.get(id);
      if (c) {
        return { initiatedAt: c.initiatedAt, reverses: c.reverses, outcome: c.outcome, reversal: c.reversal };
      }
    }
    const r = this.#s.txInfo.get(id) as TxInfoRow | undefined;
    if (!r) return undefined;
    this.#lastLookup = { id, no: r.no };
    return toTxInfo(r);
  }

  findTransactionIdByIdempotencyKey(key: string): string | undefined {
    return this.#s.byIdem.get(key) as string | undefined;
  }

  countTransactions(): number {
    return this.#s.countTx.get() as number;
  }

  transactionIds(): IterableIterator<string> {
    return this.#s.txIds.all()[Symbol.iterator]() as IterableIterator<string>;
  }

  insertOutcome(txId: string, o: TxOutcome): void {
    this.#needTx();
    this.#s.insOutcome.run(this.#txNo(txId), o.outcome, o.at, o.reason);
    const c = this.#recent.get(txId);
    if (c) c.outcome = Object.freeze({ outcome: o.outcome, at: o.at, reason: o.reason });
  }

  insertReversal(txId: string, r: TxReversal): void {
    this.#needTx();
    this.#s.insReversal.run(this.#txNo(txId), this.#txNo(r.reversalTxId), r.at, r.reason);
    const c = this.#recent.get(txId);
    if (c) c.reversal = Object.freeze({ reversalTxId: r.reversalTxId, at: r.at, reason: r.reason });
  }

  appendEvent(e: AuditEvent): void {
    this.#needTx();
    this.#s.insEvent.run(e.sequence, e.type, e.at, e.payload, e.prevHash, e.hash);
  }

  lastEvent(): AuditEvent | undefined {
    const r = this.#s.lastEvent.get() as EventRow | undefined;
    return r && toEvent(r);
  }

  lastEventAtOrBefore(t: number): AuditEvent | undefined {
    // Event times never decrease along the chain: binary search on seq for the last event with at <= t.
    const last = this.#s.lastEvent.get() as EventRow | undefined;
    if (!last) return undefined;
    if (last.at <= t) return toEvent(last);
    let lo = 0; // an event (or genesis) with at <= t
    let hi = last.seq; // an event with at > t
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const at = this.#s.eventAtBySeq.get(mid) as number | undefined;
      if (at === undefined) throw new StorageError(`audit event ${mid} is missing`);
      if (at <= t) lo = mid;
      else hi = mid;
    }
    return lo === 0 ? undefined : toEvent(this.#s.eventBySeq.get(lo) as EventRow);
  }

  *events(): IterableIterator<AuditEvent> {
    for (const r of this.#s.events.iterate() as IterableIterator<EventRow>) yield toEvent(r);
  }

  /**
   * Every table of the file (from sqlite_master; columns from PRAGMA table_info, so a new column or table is
   * never missed), rows ordered by all their columns, values exactly as stored (integers as bigint, BLOBs as
   * bytes); and the file's schema objects (tables, indexes, triggers) by type, name and table, as the table
   * `sqlite_master`. The implicit rowid of `entries` (no INTEGER PRIMARY KEY) is not a column: VACUUM may
   * renumber it, and no read of the store uses it.
   */
  tables(): StoredTable[] {
    const db = this.db;
    const names = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
      )
      .pluck()
      .all() as string[];
    const tables: StoredTable[] = names.map((name) => {
      const columns = (db.pragma(`table_info(${quoteIdent(name)})`) as { name: string }[]).map((c) => c.name);
      const list = columns.map(quoteIdent).join(', ');
      return {
        name,
        columns,
        rows: () =>
          db
            .prepare(`SELECT ${list} FROM ${quoteIdent(name)} ORDER BY ${list}`)
            .raw()
            .safeIntegers()
            .iterate() as IterableIterator<StoredValue[]>,
      };
    });
    tables.push({
      name: 'sqlite_master',
      columns: ['type', 'name', 'tbl_name'],
      rows: () =>
        db
          .prepare('SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name, tbl_name')
          .raw()
          .iterate() as IterableIterator<StoredValue[]>,
    });
    return tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  aggregate(t: number, accountId?: string): AccountAggregate[] {
    let accounts: AccountRow[];
    let rows: Iterable<bigint[]>;
    if (accountId === undefined) {
      accounts = this.#s.accountsAt.all(t) as AccountRow[];
      rows = this.#s.aggregate.iterate({ t }) as IterableIterator<bigint[]>;
    } else {
      const r = this.#s.getAccount.get(accountId) as AccountRow | undefined;
      accounts = r && r.opened_at <= t ? [r] : [];
      rows = accounts.length ? (this.#s.aggregateOne.all({ t, a: r!.no }) as bigint[][]) : [];
    }
    // sums[no] = [settledDebits, settledCredits, pendingDebits, pendingCredits]
    const sums = new Map<number, bigint[]>();
    for (const r of rows) {
      const no = Number(r[0]);
      let s = sums.get(no);
      if (!s) sums.set(no, (s = [0n, 0n, 0n, 0n]));
      const slot = (r[1] === 1n ? 0 : 2) + (r[2] === 1n ? 0 : 1);
      s[slot] = limbsAmount(r.slice(3));
    }
    return accounts.map((a) => {
      const s = sums.get(a.no) ?? [0n, 0n, 0n, 0n];
      return {
        account: toAccount(a),
        settledDebits: s[0]!,
        settledCredits: s[1]!,
        pendingDebits: s[2]!,
        pendingCredits: s[3]!,
      };
    });
  }
}
