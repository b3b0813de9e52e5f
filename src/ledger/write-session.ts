// The write machinery behind a Ledger: the audit head, one atomic storage transaction per write (or per batch),
// the time-order rule, and appending hash-chained audit events. Every rule of a write runs inside `write`.
import type { AuditEvent, AuditEventType, AuditHead } from '../audit/event.js';
import { headOf, nextEvent } from '../audit/event.js';
import { formatInstant } from '../time.js';
import { LedgerClosedError, StorageError, TimeOrderError } from './errors.js';
import type { LedgerStore } from './store.js';

export class WriteSession {
  readonly store: LedgerStore;
  #head: AuditHead;
  #closed = false;
  #inWrite = false;
  /** Set when the current write operation has called a store write. */
  #wrote = false;
  /** The first error of a write inside batch() that failed after it had begun storing. */
  #poisoned: Error | null = null;

  constructor(store: LedgerStore) {
    this.store = store;
    this.#head = headOf(store.lastEvent());
  }

  /** The latest audit event this session wrote or read (the genesis head for an empty ledger). */
  get head(): AuditHead {
    return this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.store.close();
  }

  assertOpen(): void {
    if (this.#closed) throw new LedgerClosedError();
  }

  /**
   * Runs `fn` in one atomic storage transaction; on error, neither tables nor log nor head change. The head is
   * re-read from storage when the transaction starts, and every rule is checked inside it, so several
   * Ledger instances (processes) on one SQLite file stay consistent. Called again inside `fn` (a batch), it
   * joins the outer transaction.
   */
  write<T>(fn: () => T): T {
    this.assertOpen();
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
      return this.store.atomic(() => {
        this.#head = headOf(this.store.lastEvent());
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
  writer(): LedgerStore {
    this.#wrote = true;
    return this.store;
  }

  /**
   * Runs a store write that may store nothing (it returns false then, as `insertTransactionIfNew` does):
   * only a write that stored something, or threw, counts as having begun storing.
   */
  writeIf(fn: (store: LedgerStore) => boolean): boolean {
    const before = this.#wrote;
    this.#wrote = true;
    const stored = fn(this.store);
    if (!stored) this.#wrote = before;
    return stored;
  }

  /** Refuses a business time before the latest audit event: ledger time never goes backwards. */
  checkTime(at: number, what: string): void {
    if (at < this.#head.at) {
      throw new TimeOrderError(
        `${what} ${formatInstant(at)} is earlier than the latest audit event (sequence ${this.#head.sequence} at ${formatInstant(this.#head.at)}): ledger time never goes backwards`,
      );
    }
  }

  /** Appends the event that follows the head and makes it the head. */
  append(type: AuditEventType, payload: string, at: number): AuditEvent {
    this.#wrote = true;
    const e = nextEvent(this.#head, type, payload, at);
    this.store.appendEvent(e);
    this.#head = headOf(e);
    return e;
  }
}
