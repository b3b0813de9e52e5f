// In-memory LedgerStore. Atomicity through an undo log: a failed `atomic` block undoes its writes.
import type { AuditEvent } from '../audit/event.js';
import { StorageError } from '../ledger/errors.js';
import type { Account, Transaction } from '../ledger/types.js';
import { canonicalJson } from '../util/canonical-json.js';
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

interface TxRow {
  tx: Transaction;
  outcome: TxOutcome | null;
  reversal: TxReversal | null;
}

export class MemoryStore implements LedgerStore {
  readonly kind = 'memory' as const;
  readonly #accounts = new Map<string, Account>();
  readonly #txs = new Map<string, TxRow>();
  readonly #idempotency = new Map<string, string>();
  readonly #events: AuditEvent[] = [];
  readonly #currencies = new Map<string, StoredCurrency>();
  #undo: (() => void)[] = [];
  #depth = 0;
  #closed = false;

  atomic<T>(fn: () => T): T {
    this.#open();
    const mark = this.#undo.length;
    this.#depth++;
    try {
      return fn();
    } catch (e) {
      while (this.#undo.length > mark) this.#undo.pop()!();
      throw e;
    } finally {
      this.#depth--;
      if (this.#depth === 0) this.#undo = [];
    }
  }

  read<T>(fn: () => T): T {
    this.#open();
    return fn();
  }

  close(): void {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new StorageError('store is closed');
  }

  #write(undo: () => void): void {
    this.#open();
    if (this.#depth === 0) throw new StorageError('write outside atomic()');
    this.#undo.push(undo);
  }

  insertAccount(account: Account): void {
    if (this.#accounts.has(account.id)) throw new StorageError(`account ${account.id} already stored`);
    this.#write(() => this.#accounts.delete(account.id));
    this.#accounts.set(account.id, account);
  }

  getAccount(id: string): Account | undefined {
    return this.#accounts.get(id);
  }

  countAccounts(): number {
    return this.#accounts.size;
  }

  insertCurrency(currency: StoredCurrency): void {
    if (this.#currencies.has(currency.code))
      throw new StorageError(`currency ${currency.code} already stored`);
    this.#write(() => this.#currencies.delete(currency.code));
    this.#currencies.set(currency.code, Object.freeze({ ...currency }));
  }

  getCurrency(code: string): StoredCurrency | undefined {
    return this.#currencies.get(code);
  }

  currencies(): StoredCurrency[] {
    return [...this.#currencies.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  insertTransactionIfNew(tx: Transaction): boolean {
    if (this.#txs.has(tx.id)) return false;
    if (tx.idempotencyKey !== null && this.#idempotency.has(tx.idempotencyKey)) return false;
    this.insertTransaction(tx);
    return true;
  }

  insertTransaction(tx: Transaction): void {
    if (this.#txs.has(tx.id)) throw new StorageError(`transaction ${tx.id} already stored`);
    if (tx.idempotencyKey !== null && this.#idempotency.has(tx.idempotencyKey)) {
      throw new StorageError(`idempotency key ${tx.idempotencyKey} already stored`);
    }
    for (const e of tx.entries) {
      if (!this.#accounts.has(e.account))
        throw new StorageError(`entry references unknown account ${e.account}`);
    }
    this.#write(() => {
      this.#txs.delete(tx.id);
      if (tx.idempotencyKey !== null) this.#idempotency.delete(tx.idempotencyKey);
    });
    this.#txs.set(tx.id, { tx, outcome: null, reversal: null });
    if (tx.idempotencyKey !== null) this.#idempotency.set(tx.idempotencyKey, tx.id);
  }

  getTransaction(id: string): Transaction | undefined {
    return this.#txs.get(id)?.tx;
  }

  hasTransaction(id: string): boolean {
    return this.#txs.has(id);
  }

  getTxInfo(id: string): TxInfo | undefined {
    const row = this.#txs.get(id);
    if (!row) return undefined;
    return {
      initiatedAt: row.tx.initiatedAt,
      reverses: row.tx.reverses,
      outcome: row.outcome,
      reversal: row.reversal,
    };
  }

  findTransactionIdByIdempotencyKey(key: string): string | undefined {
    return this.#idempotency.get(key);
  }

  countTransactions(): number {
    return this.#txs.size;
  }

  transactionIds(): IterableIterator<string> {
    return this.#txs.keys();
  }

  #row(txId: string): TxRow {
    const row = this.#txs.get(txId);
    if (!row) throw new StorageError(`unknown transaction ${txId}`);
    return row;
  }

  insertOutcome(txId: string, outcome: TxOutcome): void {
    const row = this.#row(txId);
    if (row.outcome) throw new StorageError(`transaction ${txId} already has an outcome`);
    this.#write(() => (row.outcome = null));
    row.outcome = Object.freeze({ ...outcome });
  }

  insertReversal(txId: string, reversal: TxReversal): void {
    const row = this.#row(txId);
    if (row.reversal) throw new StorageError(`transaction ${txId} already reversed`);
    this.#write(() => (row.reversal = null));
    row.reversal = Object.freeze({ ...reversal });
  }

  appendEvent(event: AuditEvent): void {
    const last = this.#events[this.#events.length - 1];
    if (event.sequence !== (last ? last.sequence + 1 : 1))
      throw new StorageError('audit event out of sequence');
    this.#write(() => this.#events.pop());
    this.#events.push(event);
  }

  lastEvent(): AuditEvent | undefined {
    return this.#events[this.#events.length - 1];
  }

  lastEventAtOrBefore(t: number): AuditEvent | undefined {
    // Event times never decrease along the chain: binary search for the last one with at <= t.
    let lo = 0;
    let hi = this.#events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#events[mid]!.at <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.#events[lo - 1];
  }

  events(): IterableIterator<AuditEvent> {
    return this.#events.values();
  }

  /**
   * The store's content as tables (in memory nothing can edit them behind the ledger's back, but the replay
   * check is the same for every store): rows in insertion order, which replay reproduces.
   */
  tables(): StoredTable[] {
    const table = (name: string, columns: string[], rows: () => Iterable<StoredValue[]>): StoredTable => ({
      name,
      columns,
      rows: () => [...rows()][Symbol.iterator](),
    });
    const n = (x: number | null) => (x === null ? null : BigInt(x));
    const txs = () => this.#txs.values();
    return [
      table('accounts', ['id', 'owner_type', 'currency', 'external_ref', 'opened_at'], () =>
        [...this.#accounts.values()].map((a) => [
          a.id,
          a.ownerType,
          a.currency,
          a.externalRef,
          n(a.openedAt),
        ]),
      ),
      table('audit_events', ['seq', 'type', 'at', 'payload', 'prev_hash', 'hash'], () =>
        this.#events.map((e) => [n(e.sequence), e.type, n(e.at), e.payload, e.prevHash, e.hash]),
      ),
      table('currencies', ['code', 'exponent', 'registered_at'], () =>
        this.currencies().map((c) => [c.code, n(c.exponent), n(c.registeredAt)]),
      ),
      table('entries', ['tx_id', 'index', 'account', 'currency', 'side', 'amount'], () =>
        [...txs()].flatMap(({ tx }) =>
          tx.entries.map((e, i) => [tx.id, n(i), e.account, e.currency, e.side, e.amount]),
        ),
      ),
      table(
        'transactions',
        [
          'id',
          'purpose',
          'initiator',
          'initiated_at',
          'references',
          'metadata',
          'idempotency_key',
          'reverses',
        ],
        () =>
          [...txs()].map(({ tx }) => [
            tx.id,
            tx.purpose,
            tx.initiator,
            n(tx.initiatedAt),
            canonicalJson([...tx.references]),
            canonicalJson({ ...tx.metadata }),
            tx.idempotencyKey,
            tx.reverses,
          ]),
      ),
      table('tx_outcomes', ['tx_id', 'outcome', 'at', 'reason'], () =>
        [...txs()].flatMap(({ tx, outcome: o }) => (o ? [[tx.id, o.outcome, n(o.at), o.reason]] : [])),
      ),
      table('tx_reversals', ['tx_id', 'reversal_tx_id', 'at', 'reason'], () =>
        [...txs()].flatMap(({ tx, reversal: r }) => (r ? [[tx.id, r.reversalTxId, n(r.at), r.reason]] : [])),
      ),
    ];
  }

  aggregate(t: number, accountId?: string): AccountAggregate[] {
    const sums = new Map<string, [bigint, bigint, bigint, bigint]>();
    const accounts = accountId === undefined ? [...this.#accounts.values()] : [this.#accounts.get(accountId)];
    for (const a of accounts) if (a && a.openedAt <= t) sums.set(a.id, [0n, 0n, 0n, 0n]);
    for (const { tx, outcome } of this.#txs.values()) {
      if (tx.initiatedAt > t) continue;
      const settled = outcome !== null && outcome.outcome === 'SETTLED' && outcome.at <= t;
      if (!settled && outcome !== null && outcome.outcome === 'FAILED' && outcome.at <= t) continue;
      for (const e of tx.entries) {
        const s = sums.get(e.account);
        if (!s) continue;
        s[(settled ? 0 : 2) + (e.side === 'DEBIT' ? 0 : 1)] += e.amount;
      }
    }
    return [...sums.keys()].sort().map((id) => {
      const s = sums.get(id)!;
      return {
        account: this.#accounts.get(id)!,
        settledDebits: s[0],
        settledCredits: s[1],
        pendingDebits: s[2],
        pendingCredits: s[3],
      };
    });
  }
}
