// The ledger: double-entry accounts and transactions over a LedgerStore, every write hash-chained into the
// audit log in the same atomic storage transaction.
import type { AuditEvent, AuditEventType, AuditHead } from '../audit/event.js';
import { headOf, nextEvent } from '../audit/event.js';
import { HEX64_RE } from '../audit/tagged-hash.js';
import type { ChainVerification } from '../audit/verify-chain.js';
import { verifyAuditChain } from '../audit/verify-chain.js';
import { InvalidArgumentError, InvalidTimeError } from '../errors.js';
import { CurrencyMismatchError, InvalidCurrencyError, UnknownCurrencyError } from '../money/errors.js';
import {
  DuplicateAccountError,
  IdempotencyConflictError,
  LedgerClosedError,
  StorageError,
  TimeOrderError,
  TransactionIntegrityError,
  TransactionStateError,
  UnknownAccountError,
  UnknownTransactionError,
} from './errors.js';
import type { Currency } from '../money/currency.js';
import {
  CurrencyRegistry,
  assertCurrencyCode,
  assertExponent,
  builtinCurrency,
  defaultCurrencies,
} from '../money/currency.js';
import { MemoryStore } from '../storage/memory-store.js';
import type { SqliteStoreOptions } from '../storage/sqlite-store.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import type { AccountAggregate, LedgerStore, TxInfo } from './store.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { Instant } from '../time.js';
import { formatInstant, parseInstant } from '../time.js';
import { accountId, assertOwnerType, assertText } from './account.js';
import type { ReplayReport } from './replay.js';
import { replayAndCompare } from './replay.js';
import { reserveReports, userLiability } from './reserves.js';
import { makeTransaction, verifiedTransaction } from './transaction.js';
import type {
  Account,
  AccountSnapshot,
  LedgerSnapshot,
  OwnerType,
  ReserveReport,
  Transaction,
  TransactionRecord,
  TxStatus,
} from './types.js';
import { isDebitNormal } from './types.js';

export interface LedgerOptions {
  /**
   * Extra currencies accounts may be opened in (default: the process-wide registry). The first account opened
   * in one of them records it in the ledger (a CURRENCY_REGISTERED event), as `ledger.registerCurrency` does.
   */
  currencies?: CurrencyRegistry;
}

function statusOf(info: TxInfo): TxStatus {
  if (info.reversal) return 'REVERSED';
  return info.outcome ? info.outcome.outcome : 'PENDING';
}

export class Ledger {
  readonly #store: LedgerStore;
  /**
   * This ledger's currencies: the built-ins, those recorded in the ledger (CURRENCY_REGISTERED events), and
   * those of `options.currencies` (or the process-wide registry), which are recorded on first use.
   */
  readonly currencies: CurrencyRegistry;
  /** Where unrecorded operator currencies may come from (options.currencies or the process-wide registry). */
  readonly #extra: CurrencyRegistry;
  #head: AuditHead;
  #closed = false;
  #inWrite = false;
  /** Set when the current write operation has called a store write. */
  #wrote = false;
  /** The first error of a write inside batch() that failed after it had begun storing. */
  #poisoned: Error | null = null;

  private constructor(store: LedgerStore, options: LedgerOptions = {}) {
    this.#store = store;
    this.#extra = options.currencies ?? defaultCurrencies;
    this.currencies = new CurrencyRegistry();
    for (const c of store.currencies()) this.#learn(c, 'the ledger file');
    for (const c of this.#extra.list()) this.#learn(c, 'the currency registry passed to the ledger');
    this.#head = headOf(store.lastEvent());
  }

  /** Adds `c` to this ledger's registry; a different exponent for a known code names both sources. */
  #learn(c: Currency, source: string): Currency {
    const known = this.currencies.has(c.code) ? this.currencies.get(c.code) : undefined;
    if (known && known.exponent !== c.exponent) {
      throw new InvalidCurrencyError(
        `currency ${c.code} has exponent ${known.exponent} in this ledger${builtinCurrency(c.code) ? ' (built-in)' : ''}, but ${c.exponent} in ${source}`,
      );
    }
    return this.currencies.register(c.code, c.exponent);
  }

  /** A ledger held in memory only. */
  static memory(options: LedgerOptions = {}): Ledger {
    return new Ledger(new MemoryStore(), options);
  }

  /**
   * A ledger in a SQLite file (created if absent, restored exactly if present, including its registered
   * currencies) or ':memory:'.
   */
  static sqlite(path: string, options: LedgerOptions & SqliteStoreOptions = {}): Ledger {
    const store = new SqliteStore(path, options);
    try {
      return new Ledger(store, options);
    } catch (e) {
      store.close();
      throw e;
    }
  }

  /** A ledger over any LedgerStore (tests use this to inject storage failures). */
  static open(store: LedgerStore, options: LedgerOptions = {}): Ledger {
    return new Ledger(store, options);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#store.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The latest audit event (the genesis head for an empty ledger). */
  get head(): AuditHead {
    return this.#head;
  }

  #open(): void {
    if (this.#closed) throw new LedgerClosedError();
  }

  /**
   * Runs `fn` in one atomic storage transaction; on error, neither tables nor log nor head change. The head is
   * re-read from storage when the transaction starts, and every rule is checked inside it, so several
   * Ledger instances (processes) on one SQLite file stay consistent.
   */
  #write<T>(fn: () => T): T {
    this.#open();
    if (this.#inWrite) {
      // Inside batch(): no savepoint (it would cost ~10% of import speed). A write that fails before it
      // stored anything (every rule is checked first) leaves nothing behind and the batch may go on; one that
      // fails after it began storing poisons the batch, which then rolls back as a whole.
      const saved = this.#head;
      this.#wrote = false;
      try {
        return fn();
      } catch (e) {
        if (this.#wrote) this.#poisoned ??= e as Error;
        else this.#head = saved;
        throw e;
      }
    }
    const saved = this.#head;
    this.#inWrite = true;
    this.#poisoned = null;
    try {
      return this.#store.atomic(() => {
        this.#head = headOf(this.#store.lastEvent());
        const result = fn();
        if (this.#poisoned) {
          throw new StorageError(
            `batch rolled back: a write inside it failed after it had begun storing (${this.#poisoned.message})`,
          );
        }
        return result;
      });
    } catch (e) {
      this.#head = saved;
      throw e;
    } finally {
      this.#inWrite = false;
      this.#poisoned = null;
    }
  }

  /** The store, for a write: records that the current operation has begun storing. */
  #writer(): LedgerStore {
    this.#wrote = true;
    return this.#store;
  }

  /**
   * Runs `fn` (any number of ledger writes) in one storage transaction: all commit together or none do.
   * Each write still appends its own audit event. A write refused by a rule inside the batch writes nothing
   * (the caller may catch it and go on); a write that fails after it began storing (a storage error) makes
   * the whole batch roll back and throw, even if the caller caught that error.
   */
  batch<T>(fn: () => T): T {
    return this.#write(fn);
  }

  #checkTime(at: number, what: string): void {
    if (at < this.#head.at) {
      throw new TimeOrderError(
        `${what} ${formatInstant(at)} is earlier than the latest audit event (sequence ${this.#head.sequence} at ${formatInstant(this.#head.at)}): ledger time never goes backwards`,
      );
    }
  }

  #append(type: AuditEventType, payload: string, at: number): AuditEvent {
    this.#wrote = true;
    const e = nextEvent(this.#head, type, payload, at);
    this.#store.appendEvent(e);
    this.#head = headOf(e);
    return e;
  }

  // ---- currencies -----------------------------------------------------------------------------------------

  /**
   * Records an operator currency in the ledger (a CURRENCY_REGISTERED event at `at`, in the audit chain), so
   * that any process reopening the ledger knows it. Built-in currencies need no registration: registering one
   * with its own exponent is a no-op, with another exponent an error. Re-registering a recorded code with the
   * same exponent is a no-op (nothing written, whatever `at`); with another exponent, InvalidCurrencyError.
   */
  registerCurrency(code: string, exponent: number, options: { at: Instant }): Currency {
    this.#open();
    assertCurrencyCode(code);
    assertExponent(exponent, code);
    if (!options || options.at === undefined) {
      throw new InvalidTimeError('registerCurrency needs { at } (there is no default to "now")');
    }
    const at = parseInstant(options.at, 'registeredAt');
    const builtin = builtinCurrency(code);
    if (builtin) {
      if (builtin.exponent !== exponent) {
        throw new InvalidCurrencyError(
          `${code} is a built-in currency with exponent ${builtin.exponent}, not ${exponent}`,
        );
      }
      return builtin;
    }
    const c: Currency = Object.freeze({ code, exponent });
    this.#write(() => this.#record(c, at));
    return this.#learn(c, 'the ledger file');
  }

  /**
   * Inside a write: makes sure the ledger records operator currency `c` (nothing to do if it already does;
   * a different recorded exponent throws before anything is stored). Appends CURRENCY_REGISTERED at `at`.
   */
  #record(c: Currency, at: number): void {
    const stored = this.#store.getCurrency(c.code);
    if (stored) {
      if (stored.exponent !== c.exponent) {
        throw new InvalidCurrencyError(
          `currency ${c.code} is registered in the ledger with exponent ${stored.exponent}, not ${c.exponent}`,
        );
      }
      return;
    }
    const known = this.currencies.has(c.code) ? this.currencies.get(c.code) : undefined;
    if (known && known.exponent !== c.exponent) {
      throw new InvalidCurrencyError(
        `currency ${c.code} has exponent ${known.exponent} in this ledger's registry, not ${c.exponent}`,
      );
    }
    this.#checkTime(at, 'registeredAt');
    this.#writer().insertCurrency({ code: c.code, exponent: c.exponent, registeredAt: at });
    // Canonical: keys in order, code is [A-Z0-9]+, exponent and time are integers.
    this.#append(
      'CURRENCY_REGISTERED',
      `{"code":"${c.code}","exponent":${c.exponent},"registeredAt":${at}}`,
      at,
    );
  }

  /** The currency an account may be opened in: this ledger's registry, then the extra registry, then the file. */
  #currencyFor(code: string): Currency {
    if (this.currencies.has(code)) return this.currencies.get(code);
    if (this.#extra.has(code))
      return this.#learn(this.#extra.get(code), 'the currency registry passed to the ledger');
    const stored = this.#store.getCurrency(code); // recorded by another Ledger instance on the same file
    if (stored) return this.#learn(stored, 'the ledger file');
    throw new UnknownCurrencyError(code);
  }

  // ---- accounts -------------------------------------------------------------------------------------------

  /**
   * Opens an account. Its currency must be built in, registered in the ledger, or known to the registry given
   * in the options (or the process-wide one): such a currency is recorded in the ledger first (a
   * CURRENCY_REGISTERED event at `openedAt`, in the same storage transaction).
   */
  openAccount(
    ownerType: OwnerType,
    currency: string,
    externalRef: string,
    options: { openedAt: Instant },
  ): Account {
    this.#open();
    assertOwnerType(ownerType);
    assertCurrencyCode(currency);
    const cur = this.#currencyFor(currency);
    assertText(externalRef, 'externalRef');
    if (!options || options.openedAt === undefined) {
      throw new InvalidTimeError('openedAt is required (there is no default to "now")');
    }
    const openedAt = parseInstant(options.openedAt, 'openedAt');
    const id = accountId(ownerType, currency, externalRef);
    const account: Account = Object.freeze({ id, ownerType, currency, externalRef, openedAt });
    const builtin = builtinCurrency(currency) !== undefined;
    this.#write(() => {
      if (this.#store.getAccount(id)) throw new DuplicateAccountError(id);
      this.#checkTime(openedAt, 'openedAt');
      if (!builtin) this.#record(cur, openedAt);
      this.#writer().insertAccount(account);
      this.#append('ACCOUNT_OPENED', canonicalJson({ ...account }), openedAt);
    });
    return account;
  }

  getAccount(id: string): Account | undefined {
    this.#open();
    return this.#store.getAccount(id);
  }

  // ---- transactions ---------------------------------------------------------------------------------------

  /**
   * Posts a built transaction (status PENDING). Posting the same transaction again (same id, i.e. same
   * content, or the same idempotency key with the same content) returns the existing one and writes nothing.
   */
  post(transaction: Transaction): Transaction {
    this.#open();
    const { tx, bodyJson } = verifiedTransaction(transaction);
    if (tx.reverses !== null) {
      throw new TransactionIntegrityError(
        'compensating transactions are made by ledger.reverse(), not posted',
      );
    }
    return this.#write(() => {
      // The common case is a new transaction: check the rules, then insert unless the id or the idempotency
      // key is already stored (one statement, no lookup first). Only when that happens, or when a rule
      // refuses, look for a stored duplicate: it takes precedence (same id: return it; same key: conflict).
      try {
        this.#validateEntries(tx);
        this.#checkTime(tx.initiatedAt, 'initiatedAt');
      } catch (e) {
        const existing = this.#duplicateOf(tx);
        if (existing) return existing;
        throw e;
      }
      this.#wrote = true;
      if (!this.#store.insertTransactionIfNew(tx, this.#head.sequence + 1)) {
        this.#wrote = false; // nothing was stored
        const existing = this.#duplicateOf(tx);
        if (existing) return existing;
        throw new StorageError(`transaction ${tx.id} was not inserted, yet no duplicate is stored`);
      }
      this.#appendPosted(tx, bodyJson);
      return tx;
    });
  }

  /** The stored transaction with `tx`'s id; throws IdempotencyConflictError if only its key is taken. */
  #duplicateOf(tx: Transaction): Transaction | undefined {
    if (this.#store.hasTransaction(tx.id)) return this.#store.getTransaction(tx.id)!;
    if (tx.idempotencyKey !== null) {
      const existing = this.#store.findTransactionIdByIdempotencyKey(tx.idempotencyKey);
      if (existing !== undefined) throw new IdempotencyConflictError(tx.idempotencyKey, existing, tx.id);
    }
    return undefined;
  }

  #validateEntries(tx: Transaction): void {
    for (const e of tx.entries) {
      const a = this.#store.getAccount(e.account);
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

  #insertPosted(tx: Transaction, bodyJson: string): void {
    this.#writer().insertTransaction(tx, this.#head.sequence + 1);
    this.#appendPosted(tx, bodyJson);
  }

  #appendPosted(tx: Transaction, bodyJson: string): void {
    // Canonical: keys "id" < "transaction", the id is hex and bodyJson is already canonical.
    this.#append('TX_POSTED', `{"id":"${tx.id}","transaction":${bodyJson}}`, tx.initiatedAt);
  }

  #info(id: string): TxInfo {
    if (typeof id !== 'string') throw new InvalidArgumentError('transaction id must be a string');
    // Ids are lowercase hex (SQLite's unhex() would also accept uppercase: both stores must agree).
    if (!HEX64_RE.test(id)) throw new UnknownTransactionError(id);
    const info = this.#store.getTxInfo(id);
    if (!info) throw new UnknownTransactionError(id);
    return info;
  }

  /** PENDING -> SETTLED at `settledAt` (not before initiation, not before the latest audit event). */
  settle(id: string, settledAt: Instant): void {
    this.#open();
    const at = parseInstant(settledAt, 'settledAt');
    this.#write(() => {
      const info = this.#info(id);
      const status = statusOf(info);
      if (status !== 'PENDING') {
        throw new TransactionStateError(
          status === 'SETTLED'
            ? `transaction ${id} is already settled (at ${formatInstant(info.outcome!.at)})`
            : `cannot settle transaction ${id}: it is ${status}`,
        );
      }
      if (at < info.initiatedAt) {
        throw new TimeOrderError(
          `settledAt ${formatInstant(at)} is before the transaction's initiation ${formatInstant(info.initiatedAt)}`,
        );
      }
      this.#checkTime(at, 'settledAt');
      this.#writer().insertOutcome(id, { outcome: 'SETTLED', at, reason: null });
      // Canonical: keys "at" < "txId"; `id` names a stored transaction, so it is 64 hex digits.
      this.#append('TX_SETTLED', `{"at":${at},"txId":"${id}"}`, at);
    });
  }

  /** PENDING -> FAILED: the transaction stops counting as pending from `at` on and never settles. */
  fail(id: string, reason: string, at: Instant): void {
    this.#open();
    assertText(reason, 'reason');
    const t = parseInstant(at, 'failedAt');
    this.#write(() => {
      const info = this.#info(id);
      const status = statusOf(info);
      if (status !== 'PENDING')
        throw new TransactionStateError(`cannot fail transaction ${id}: it is ${status}`);
      if (t < info.initiatedAt) {
        throw new TimeOrderError(
          `failedAt ${formatInstant(t)} is before the initiation ${formatInstant(info.initiatedAt)}`,
        );
      }
      this.#checkTime(t, 'failedAt');
      this.#writer().insertOutcome(id, { outcome: 'FAILED', at: t, reason });
      this.#append('TX_FAILED', canonicalJson({ txId: id, at: t, reason }), t);
    });
  }

  /**
   * SETTLED -> REVERSED: posts and settles (at `at`) a compensating transaction with every entry's side
   * swapped, linked to the original. The original stays settled; nothing is edited.
   */
  reverse(id: string, at: Instant, reason: string): Transaction {
    this.#open();
    const t = parseInstant(at, 'reversedAt');
    assertText(reason, 'reason');
    return this.#write(() => {
      const info = this.#info(id);
      const status = statusOf(info);
      if (status !== 'SETTLED') {
        throw new TransactionStateError(
          `cannot reverse transaction ${id}: it is ${status}${status === 'PENDING' ? ' (fail it instead)' : ''}`,
        );
      }
      if (info.reverses !== null) throw new TransactionStateError(`transaction ${id} is itself a reversal`);
      if (t < info.outcome!.at) {
        throw new TimeOrderError(
          `reversedAt ${formatInstant(t)} is before the settlement ${formatInstant(info.outcome!.at)}`,
        );
      }
      this.#checkTime(t, 'reversedAt');
      const original = this.#store.getTransaction(id)!;
      const comp = makeTransaction({
        purpose: 'REVERSAL',
        initiator: original.initiator,
        initiatedAt: t,
        entries: original.entries.map((e) => ({ ...e, side: e.side === 'DEBIT' ? 'CREDIT' : 'DEBIT' })),
        references: [],
        metadata: { reason },
        idempotencyKey: null,
        reverses: id,
      });
      const { bodyJson } = verifiedTransaction(comp);
      this.#insertPosted(comp, bodyJson);
      this.#writer().insertOutcome(comp.id, { outcome: 'SETTLED', at: t, reason: null });
      this.#append('TX_SETTLED', canonicalJson({ txId: comp.id, at: t }), t);
      this.#writer().insertReversal(id, { reversalTxId: comp.id, at: t, reason });
      this.#append('TX_REVERSED', canonicalJson({ txId: id, reversalTxId: comp.id, at: t, reason }), t);
      return comp;
    });
  }

  getTransaction(id: string): TransactionRecord | undefined {
    this.#open();
    if (typeof id !== 'string' || !HEX64_RE.test(id)) return undefined;
    const info = this.#store.getTxInfo(id);
    if (!info) return undefined;
    const o = info.outcome;
    return Object.freeze({
      transaction: this.#store.getTransaction(id)!,
      status: statusOf(info),
      settledAt: o?.outcome === 'SETTLED' ? o.at : null,
      failedAt: o?.outcome === 'FAILED' ? o.at : null,
      failReason: o?.outcome === 'FAILED' ? o.reason : null,
      reversedAt: info.reversal?.at ?? null,
      reversalId: info.reversal?.reversalTxId ?? null,
      reversalReason: info.reversal?.reason ?? null,
    });
  }

  // ---- balances -------------------------------------------------------------------------------------------

  #toSnapshot(a: AccountAggregate): AccountSnapshot {
    const { id, ownerType, currency, externalRef } = a.account;
    const settled = isDebitNormal(ownerType)
      ? a.settledDebits - a.settledCredits
      : a.settledCredits - a.settledDebits;
    return {
      id,
      ownerType,
      currency,
      externalRef,
      settled,
      pendingCredits: a.pendingCredits,
      pendingDebits: a.pendingDebits,
      liability: ownerType === 'USER' ? userLiability(settled, a.pendingCredits) : 0n,
    };
  }

  /** One account's balances at `at`. */
  balance(accountIdValue: string, at: Instant): AccountSnapshot {
    this.#open();
    const t = parseInstant(at, 'balance time');
    if (!this.#store.getAccount(accountIdValue)) throw new UnknownAccountError(accountIdValue);
    const [a] = this.#store.aggregate(t, accountIdValue);
    if (!a) throw new UnknownAccountError(`${accountIdValue} (not yet open at ${formatInstant(t)})`);
    return this.#toSnapshot(a);
  }

  /** Every account opened at or before `at`, with its balances at `at`, and the audit head at `at`. */
  snapshot(at: Instant): LedgerSnapshot {
    this.#open();
    const t = parseInstant(at, 'snapshot time');
    // One read transaction: accounts, sums and head come from the same state of the file.
    return this.#store.read(() => ({
      at: t,
      accounts: this.#store.aggregate(t).map((a) => this.#toSnapshot(a)),
      auditHead: headOf(this.#store.lastEventAtOrBefore(t)),
    }));
  }

  /** Required reserves per currency at `at` (all currencies with accounts at `at`, or just `currency`). */
  requiredReserves(at: Instant, currency?: string): ReserveReport[] {
    const t = parseInstant(at, 'reserve time');
    if (currency !== undefined) {
      assertCurrencyCode(currency);
      if (!this.currencies.has(currency)) throw new UnknownCurrencyError(currency);
    }
    const snap = this.snapshot(t);
    const currencies =
      currency !== undefined ? [currency] : [...new Set(snap.accounts.map((a) => a.currency))];
    return reserveReports(snap.accounts, currencies);
  }

  // ---- audit ----------------------------------------------------------------------------------------------

  /** Head of the chain prefix whose events have time <= at (the genesis head if there is none). */
  auditHeadAt(at: Instant): AuditHead {
    this.#open();
    const t = parseInstant(at, 'audit head time');
    return headOf(this.#store.lastEventAtOrBefore(t));
  }

  /** Every audit event in sequence order. */
  auditEvents(): IterableIterator<AuditEvent> {
    this.#open();
    return this.#store.events();
  }

  /** Recomputes every link and hash of the stored chain; also compares its end with the head held in memory. */
  verifyChain(): ChainVerification {
    this.#open();
    return verifyAuditChain(this.#store.events(), this.#head);
  }

  /** Rebuilds balances from the audit log only and compares them with the ledger tables. */
  replayBalances(): ReplayReport {
    this.#open();
    return replayAndCompare(this.#store.events(), this.#store);
  }
}
