// The ledger: double-entry accounts and transactions over a LedgerStore, every write hash-chained into the
// audit log in the same atomic storage transaction. This class checks the arguments and delegates: the write
// machinery is write-session.ts, currencies ledger-currencies.ts, posting posting.ts, the lifecycle
// lifecycle.ts, balances reserves.ts. Opening a ledger on a store adapter: src/storage/open-ledger.ts.
import type { AuditEvent, AuditHead } from '../audit/event.js';
import { headOf } from '../audit/event.js';
import type { ChainVerification } from '../audit/verify-chain.js';
import { verifyAuditChain } from '../audit/verify-chain.js';
import { InvalidTimeError } from '../errors.js';
import type { Currency, CurrencyRegistry } from '../money/currency.js';
import { assertCurrencyCode, assertExponent, builtinCurrency, defaultCurrencies } from '../money/currency.js';
import { InvalidCurrencyError, UnknownCurrencyError } from '../money/errors.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { Instant } from '../time.js';
import { formatInstant, parseInstant } from '../time.js';
import { accountId, assertExternalRef, assertOwnerType, assertText } from './account.js';
import { DuplicateAccountError, TransactionIntegrityError, UnknownAccountError } from './errors.js';
import { LedgerCurrencies } from './ledger-currencies.js';
import { failTransaction, reverseTransaction, settleTransaction, transactionRecord } from './lifecycle.js';
import { postTransaction } from './posting.js';
import type { ReplayReport } from './replay.js';
import { replayAndCompare } from './replay.js';
import { accountSnapshot, reserveReports } from './reserves.js';
import type { LedgerStore, LedgerStoreFactory } from './store.js';
import { verifiedTransaction } from './transaction.js';
import type {
  Account,
  AccountSnapshot,
  LedgerSnapshot,
  OwnerType,
  ReserveReport,
  Transaction,
  TransactionRecord,
} from './types.js';
import { WriteSession } from './write-session.js';

export interface LedgerOptions {
  /**
   * Extra currencies accounts may be opened in (default: the process-wide registry). The first account opened
   * in one of them records it in the ledger (a CURRENCY_REGISTERED event), as `ledger.registerCurrency` does.
   */
  currencies?: CurrencyRegistry;
}

/** What `Ledger.open` needs besides the store. */
export interface LedgerOpenOptions extends LedgerOptions {
  /** Makes the empty scratch store `replayBalances` rebuilds the audit log into (an in-memory one, usually). */
  replayStore: LedgerStoreFactory;
}

export class Ledger {
  readonly #session: WriteSession;
  readonly #store: LedgerStore;
  readonly #currencies: LedgerCurrencies;
  readonly #replayStore: LedgerStoreFactory;
  /**
   * This ledger's currencies: the built-ins, those recorded in the ledger (CURRENCY_REGISTERED events), and
   * those of `options.currencies` (or the process-wide registry), which are recorded on first use.
   */
  readonly currencies: CurrencyRegistry;

  private constructor(store: LedgerStore, options: LedgerOpenOptions) {
    this.#session = new WriteSession(store);
    this.#store = store;
    this.#currencies = new LedgerCurrencies(this.#session, options.currencies ?? defaultCurrencies);
    this.currencies = this.#currencies.registry;
    this.#replayStore = options.replayStore;
  }

  /**
   * A ledger over any LedgerStore (tests use this to inject storage failures). The store adapters and their
   * factories (`openSqliteLedger`, `openMemoryLedger`, `openLedger`) are in src/storage/open-ledger.ts.
   */
  static open(store: LedgerStore, options: LedgerOpenOptions): Ledger {
    return new Ledger(store, options);
  }

  close(): void {
    this.#session.close();
  }

  get closed(): boolean {
    return this.#session.closed;
  }

  /** The latest audit event (the genesis head for an empty ledger). */
  get head(): AuditHead {
    return this.#session.head;
  }

  #open(): void {
    this.#session.assertOpen();
  }

  /**
   * Runs `fn` (any number of ledger writes) in one storage transaction: all commit together or none do.
   * Each write still appends its own audit event. A write refused by a rule inside the batch writes nothing
   * (the caller may catch it and go on); a write that fails after it began storing (a storage error) makes
   * the whole batch roll back and throw, even if the caller caught that error.
   */
  batch<T>(fn: () => T): T {
    return this.#session.write(fn);
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
    return this.#currencies.register(code, exponent, at);
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
    const cur = this.#currencies.currencyFor(currency);
    assertExternalRef(externalRef);
    if (!options || options.openedAt === undefined) {
      throw new InvalidTimeError('openedAt is required (there is no default to "now")');
    }
    const openedAt = parseInstant(options.openedAt, 'openedAt');
    const id = accountId(ownerType, currency, externalRef);
    const account: Account = Object.freeze({ id, ownerType, currency, externalRef, openedAt });
    const builtin = builtinCurrency(currency) !== undefined;
    const session = this.#session;
    session.write(() => {
      if (this.#store.getAccount(id)) throw new DuplicateAccountError(id);
      session.checkTime(openedAt, 'openedAt');
      if (!builtin) this.#currencies.record(cur, openedAt);
      session.writer().insertAccount(account);
      session.append('ACCOUNT_OPENED', canonicalJson({ ...account }), openedAt);
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
    return this.#session.write(() => postTransaction(this.#session, tx, bodyJson));
  }

  /** PENDING -> SETTLED at `settledAt` (not before initiation, not before the latest audit event). */
  settle(id: string, settledAt: Instant): void {
    this.#open();
    const at = parseInstant(settledAt, 'settledAt');
    this.#session.write(() => settleTransaction(this.#session, id, at));
  }

  /** PENDING -> FAILED: the transaction stops counting as pending from `at` on and never settles. */
  fail(id: string, reason: string, at: Instant): void {
    this.#open();
    assertText(reason, 'reason');
    const t = parseInstant(at, 'failedAt');
    this.#session.write(() => failTransaction(this.#session, id, reason, t));
  }

  /**
   * SETTLED -> REVERSED: posts and settles (at `at`) a compensating transaction with every entry's side
   * swapped, linked to the original. The original stays settled; nothing is edited.
   */
  reverse(id: string, at: Instant, reason: string): Transaction {
    this.#open();
    const t = parseInstant(at, 'reversedAt');
    assertText(reason, 'reason');
    return this.#session.write(() => reverseTransaction(this.#session, id, t, reason));
  }

  getTransaction(id: string): TransactionRecord | undefined {
    this.#open();
    return transactionRecord(this.#store, id);
  }

  // ---- balances -------------------------------------------------------------------------------------------

  /** One account's balances at `at`. */
  balance(accountIdValue: string, at: Instant): AccountSnapshot {
    this.#open();
    const t = parseInstant(at, 'balance time');
    if (!this.#store.getAccount(accountIdValue)) throw new UnknownAccountError(accountIdValue);
    const [a] = this.#store.aggregate(t, accountIdValue);
    if (!a) throw new UnknownAccountError(`${accountIdValue} (not yet open at ${formatInstant(t)})`);
    return accountSnapshot(a);
  }

  /** Every account opened at or before `at`, with its balances at `at`, and the audit head at `at`. */
  snapshot(at: Instant): LedgerSnapshot {
    this.#open();
    const t = parseInstant(at, 'snapshot time');
    // One read transaction: accounts, sums and head come from the same state of the file.
    return this.#store.read(() => ({
      at: t,
      accounts: this.#store.aggregate(t).map(accountSnapshot),
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
    return verifyAuditChain(this.#store.events(), this.#session.head);
  }

  /**
   * Rebuilds the ledger from the audit log only (into a fresh store from `replayStore`, of the same kind as this
   * ledger's) and compares every table with it, row by row and column by column, in one read transaction.
   */
  replayBalances(): ReplayReport {
    this.#open();
    return this.#store.read(() => replayAndCompare(this.#store.events(), this.#store, this.#replayStore));
  }
}
