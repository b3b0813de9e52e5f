// SQLite LedgerStore (better-sqlite3): WAL, busy timeout, versioned schema, append-only tables.
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEvent, AuditEventType } from '../audit/event.js';
import { StorageError } from '../ledger/errors.js';
import { transactionFromBody } from '../ledger/transaction.js';
import type { Account, Entry, OwnerType, Transaction } from '../ledger/types.js';
import { ensureSchema } from './sqlite-schema.js';
import type {
  AccountAggregate,
  LedgerStore,
  StoredCurrency,
  TxInfo,
  TxOutcome,
  TxReversal,
} from '../ledger/store.js';

export interface SqliteStoreOptions {
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  busyTimeoutMs?: number;
}

const MASK32 = 0xffffffffn;
/** Most transactions remembered per write transaction (see `#recent`). */
const RECENT_MAX = 4096;

interface RecentTx {
  no: number;
  initiatedAt: number;
  reverses: string | null;
  outcome: TxOutcome | null;
  reversal: TxReversal | null;
}

interface AccountRow {
  no: number;
  id: string;
  owner_type: string;
  currency: string;
  external_ref: string;
  opened_at: number;
}

interface EventRow {
  seq: number;
  type: string;
  at: number;
  payload: string;
  prev_hash: string;
  hash: string;
}

interface CurrencyRow {
  code: string;
  exponent: number;
  registered_at: number;
}

function toCurrency(r: CurrencyRow): StoredCurrency {
  return Object.freeze({ code: r.code, exponent: r.exponent, registeredAt: r.registered_at });
}

function toAccount(r: AccountRow): Account {
  return Object.freeze({
    id: r.id,
    ownerType: r.owner_type as OwnerType,
    currency: r.currency,
    externalRef: r.external_ref,
    openedAt: r.opened_at,
  });
}

function toEvent(r: EventRow): AuditEvent {
  return Object.freeze({
    sequence: r.seq,
    type: r.type as AuditEventType,
    at: r.at,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  });
}

function limbs(sum: readonly bigint[]): bigint {
  return sum[0]! + (sum[1]! << 32n) + (sum[2]! << 64n) + (sum[3]! << 96n);
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
  readonly #s: Record<string, BetterSqlite3.Statement>;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    if (typeof path !== 'string' || path.length === 0)
      throw new StorageError('sqlite path must be a non-empty string');
    this.path = path;
    try {
      this.db = new Database(path);
    } catch (e) {
      throw new StorageError(`cannot open ${path}: ${(e as Error).message}`);
    }
    try {
      this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('cache_size = -65536');
      this.db.pragma('wal_autocheckpoint = 10000');
      ensureSchema(this.db, path);
    } catch (e) {
      this.db.close();
      throw e;
    }
    const db = this.db;
    const txFn = db.transaction((fn: () => unknown) => fn());
    // Writers take the write lock up front (BEGIN IMMEDIATE), so two processes never interleave a
    // read-check-write on the same file; readers get a consistent WAL snapshot (BEGIN DEFERRED).
    this.#tx = txFn.immediate;
    this.#readTx = txFn.deferred;
    this.#s = {
      insAccount: db.prepare(
        'INSERT INTO accounts (id, owner_type, currency, external_ref, opened_at) VALUES (?, ?, ?, ?, ?)',
      ),
      getAccount: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      countAccounts: db.prepare('SELECT count(*) FROM accounts').pluck(),
      insTx: db.prepare(
        'INSERT INTO transactions (id, idempotency_key, initiated_at, reverses, posted_seq) VALUES (unhex(?), ?, ?, ?, ?)',
      ),
      // Same, but a duplicate id or idempotency key inserts nothing (changes = 0) instead of raising.
      insTxIfNew: db.prepare(
        'INSERT INTO transactions (id, idempotency_key, initiated_at, reverses, posted_seq) VALUES (unhex(?), ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      insEntry: db.prepare(
        'INSERT INTO entries (tx_no, account_no, initiated_at, side, a0, a1, a2, a3) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // A two-entry transaction (a transfer) in one statement.
      insEntry2: db.prepare(
        'INSERT INTO entries (tx_no, account_no, initiated_at, side, a0, a1, a2, a3) VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insCurrency: db.prepare('INSERT INTO currencies (code, exponent, registered_at) VALUES (?, ?, ?)'),
      getCurrency: db.prepare('SELECT * FROM currencies WHERE code = ?'),
      currencies: db.prepare('SELECT * FROM currencies ORDER BY code'),
      getTx: db
        .prepare(
          'SELECT e.payload FROM transactions t JOIN audit_events e ON e.seq = t.posted_seq WHERE t.id = unhex(?)',
        )
        .pluck(),
      hasTx: db.prepare('SELECT 1 FROM transactions WHERE id = unhex(?)').pluck(),
      txNo: db.prepare('SELECT no FROM transactions WHERE id = unhex(?)').pluck(),
      txInfo: db.prepare(`
        SELECT t.no, t.initiated_at, t.reverses, o.outcome, o.at AS o_at, o.reason AS o_reason,
               r.at AS r_at, r.reason AS r_reason, lower(hex(rt.id)) AS r_id
        FROM transactions t
        LEFT JOIN tx_outcomes o ON o.tx_no = t.no
        LEFT JOIN tx_reversals r ON r.tx_no = t.no
        LEFT JOIN transactions rt ON rt.no = r.reversal_tx_no
        WHERE t.id = unhex(?)`),
      byIdem: db.prepare('SELECT lower(hex(id)) FROM transactions WHERE idempotency_key = ?').pluck(),
      countTx: db.prepare('SELECT count(*) FROM transactions').pluck(),
      txIds: db.prepare('SELECT lower(hex(id)) FROM transactions ORDER BY no').pluck(),
      insOutcome: db.prepare('INSERT INTO tx_outcomes (tx_no, outcome, at, reason) VALUES (?, ?, ?, ?)'),
      insReversal: db.prepare(
        'INSERT INTO tx_reversals (tx_no, reversal_tx_no, at, reason) VALUES (?, ?, ?, ?)',
      ),
      insEvent: db.prepare(
        'INSERT INTO audit_events (seq, type, at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      lastEvent: db.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1'),
      eventBySeq: db.prepare('SELECT * FROM audit_events WHERE seq = ?'),
      eventAtBySeq: db.prepare('SELECT at FROM audit_events WHERE seq = ?').pluck(),
      events: db.prepare('SELECT * FROM audit_events ORDER BY seq'),
      accountsAt: db.prepare('SELECT * FROM accounts WHERE opened_at <= ? ORDER BY id'),
      // One pass over the entries (no per-account query): group by account, settled-or-pending, side.
      aggregate: db
        .prepare(
          `SELECT e.account_no,
                  CASE WHEN o.outcome = 'SETTLED' AND o.at <= @t THEN 1 ELSE 0 END AS settled,
                  e.side, SUM(e.a0), SUM(e.a1), SUM(e.a2), SUM(e.a3)
           FROM entries e NOT INDEXED
           LEFT JOIN tx_outcomes o ON o.tx_no = e.tx_no
           WHERE e.initiated_at <= @t AND (o.tx_no IS NULL OR o.at > @t OR o.outcome = 'SETTLED')
           GROUP BY e.account_no, settled, e.side`,
        )
        .raw()
        .safeIntegers(),
      aggregateOne: db
        .prepare(
          `SELECT e.account_no,
                  CASE WHEN o.outcome = 'SETTLED' AND o.at <= @t THEN 1 ELSE 0 END AS settled,
                  e.side, SUM(e.a0), SUM(e.a1), SUM(e.a2), SUM(e.a3)
           FROM entries e
           LEFT JOIN tx_outcomes o ON o.tx_no = e.tx_no
           WHERE e.account_no = @a AND e.initiated_at <= @t AND (o.tx_no IS NULL OR o.at > @t OR o.outcome = 'SETTLED')
           GROUP BY e.account_no, settled, e.side`,
        )
        .raw()
        .safeIntegers(),
    };
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
      const r = this.#s.getAccount!.get(id) as AccountRow | undefined;
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
    const no = this.#s.txNo!.get(id) as number | undefined;
    if (no === undefined) throw new StorageError(`unknown transaction ${id}`);
    return no;
  }

  insertAccount(a: Account): void {
    this.#needTx();
    const info = this.#s.insAccount!.run(a.id, a.ownerType, a.currency, a.externalRef, a.openedAt);
    this.#accountCache.set(a.id, { no: Number(info.lastInsertRowid), account: a });
  }

  getAccount(id: string): Account | undefined {
    return this.#account(id)?.account;
  }

  countAccounts(): number {
    return this.#s.countAccounts!.get() as number;
  }

  insertCurrency(c: StoredCurrency): void {
    this.#needTx();
    this.#s.insCurrency!.run(c.code, c.exponent, c.registeredAt);
  }

  getCurrency(code: string): StoredCurrency | undefined {
    const r = this.#s.getCurrency!.get(code) as CurrencyRow | undefined;
    return r && toCurrency(r);
  }

  currencies(): StoredCurrency[] {
    return (this.#s.currencies!.all() as CurrencyRow[]).map(toCurrency);
  }

  insertTransaction(tx: Transaction, postedSeq: number): void {
    this.#needTx();
    const info = this.#s.insTx!.run(tx.id, tx.idempotencyKey, tx.initiatedAt, tx.reverses, postedSeq);
    this.#insertEntries(tx, Number(info.lastInsertRowid));
  }

  insertTransactionIfNew(tx: Transaction, postedSeq: number): boolean {
    this.#needTx();
    const info = this.#s.insTxIfNew!.run(tx.id, tx.idempotencyKey, tx.initiatedAt, tx.reverses, postedSeq);
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
      const a = x.amount;
      const b = y.amount;
      this.#s.insEntry2!.run(
        txNo,
        this.#entryNo(x),
        t,
        x.side === 'DEBIT' ? 1 : 0,
        Number(a & MASK32),
        Number((a >> 32n) & MASK32),
        Number((a >> 64n) & MASK32),
        Number((a >> 96n) & MASK32),
        txNo,
        this.#entryNo(y),
        t,
        y.side === 'DEBIT' ? 1 : 0,
        Number(b & MASK32),
        Number((b >> 32n) & MASK32),
        Number((b >> 64n) & MASK32),
        Number((b >> 96n) & MASK32),
      );
      return;
    }
    for (const e of es) {
      const a = e.amount;
      this.#s.insEntry!.run(
        txNo,
        this.#entryNo(e),
        t,
        e.side === 'DEBIT' ? 1 : 0,
        Number(a & MASK32),
        Number((a >> 32n) & MASK32),
        Number((a >> 64n) & MASK32),
        Number((a >> 96n) & MASK32),
      );
    }
  }

  getTransaction(id: string): Transaction | undefined {
    const payload = this.#s.getTx!.get(id) as string | undefined;
    if (payload === undefined) return undefined;
    const p = JSON.parse(payload) as { id?: unknown; transaction?: unknown };
    if (p.id !== id) throw new StorageError(`TX_POSTED event of transaction ${id} names ${String(p.id)}`);
    return transactionFromBody(id, p.transaction);
  }

  hasTransaction(id: string): boolean {
    return this.#s.hasTx!.get(id) !== undefined;
  }

  getTxInfo(id: string): TxInfo | undefined {
    if (this.#depth > 0) {
      const c = this.#recent.get(id);
      if (c) {
        return { initiatedAt: c.initiatedAt, reverses: c.reverses, outcome: c.outcome, reversal: c.reversal };
      }
    }
    const r = this.#s.txInfo!.get(id) as
      | {
          no: number;
          initiated_at: number;
          reverses: string | null;
          outcome: 'SETTLED' | 'FAILED' | null;
          o_at: number | null;
          o_reason: string | null;
          r_at: number | null;
          r_reason: string | null;
          r_id: string | null;
        }
      | undefined;
    if (!r) return undefined;
    this.#lastLookup = { id, no: r.no };
    return {
      initiatedAt: r.initiated_at,
      reverses: r.reverses,
      outcome: r.outcome === null ? null : { outcome: r.outcome, at: r.o_at!, reason: r.o_reason },
      reversal: r.r_at === null ? null : { reversalTxId: r.r_id!, at: r.r_at, reason: r.r_reason! },
    };
  }

  findTransactionIdByIdempotencyKey(key: string): string | undefined {
    return this.#s.byIdem!.get(key) as string | undefined;
  }

  countTransactions(): number {
    return this.#s.countTx!.get() as number;
  }

  transactionIds(): IterableIterator<string> {
    return this.#s.txIds!.all()[Symbol.iterator]() as IterableIterator<string>;
  }

  insertOutcome(txId: string, o: TxOutcome): void {
    this.#needTx();
    this.#s.insOutcome!.run(this.#txNo(txId), o.outcome, o.at, o.reason);
    const c = this.#recent.get(txId);
    if (c) c.outcome = Object.freeze({ outcome: o.outcome, at: o.at, reason: o.reason });
  }

  insertReversal(txId: string, r: TxReversal): void {
    this.#needTx();
    this.#s.insReversal!.run(this.#txNo(txId), this.#txNo(r.reversalTxId), r.at, r.reason);
    const c = this.#recent.get(txId);
    if (c) c.reversal = Object.freeze({ reversalTxId: r.reversalTxId, at: r.at, reason: r.reason });
  }

  appendEvent(e: AuditEvent): void {
    this.#needTx();
    this.#s.insEvent!.run(e.sequence, e.type, e.at, e.payload, e.prevHash, e.hash);
  }

  lastEvent(): AuditEvent | undefined {
    const r = this.#s.lastEvent!.get() as EventRow | undefined;
    return r && toEvent(r);
  }

  lastEventAtOrBefore(t: number): AuditEvent | undefined {
    // Event times never decrease along the chain: binary search on seq for the last event with at <= t.
    const last = this.#s.lastEvent!.get() as EventRow | undefined;
    if (!last) return undefined;
    if (last.at <= t) return toEvent(last);
    let lo = 0; // an event (or genesis) with at <= t
    let hi = last.seq; // an event with at > t
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const at = this.#s.eventAtBySeq!.get(mid) as number | undefined;
      if (at === undefined) throw new StorageError(`audit event ${mid} is missing`);
      if (at <= t) lo = mid;
      else hi = mid;
    }
    return lo === 0 ? undefined : toEvent(this.#s.eventBySeq!.get(lo) as EventRow);
  }

  *events(): IterableIterator<AuditEvent> {
    for (const r of this.#s.events!.iterate() as IterableIterator<EventRow>) yield toEvent(r);
  }

  aggregate(t: number, accountId?: string): AccountAggregate[] {
    let accounts: AccountRow[];
    let rows: Iterable<bigint[]>;
    if (accountId === undefined) {
      accounts = this.#s.accountsAt!.all(t) as AccountRow[];
      rows = this.#s.aggregate!.iterate({ t }) as IterableIterator<bigint[]>;
    } else {
      const r = this.#s.getAccount!.get(accountId) as AccountRow | undefined;
      accounts = r && r.opened_at <= t ? [r] : [];
      rows = accounts.length ? (this.#s.aggregateOne!.all({ t, a: r!.no }) as bigint[][]) : [];
    }
    // sums[no] = [settledDebits, settledCredits, pendingDebits, pendingCredits]
    const sums = new Map<number, bigint[]>();
    for (const r of rows) {
      const no = Number(r[0]);
      let s = sums.get(no);
      if (!s) sums.set(no, (s = [0n, 0n, 0n, 0n]));
      const slot = (r[1] === 1n ? 0 : 2) + (r[2] === 1n ? 0 : 1);
      s[slot] = limbs(r.slice(3));
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
