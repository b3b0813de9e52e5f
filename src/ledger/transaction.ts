// Immutable, content-addressed transactions and their builder.
import { taggedHash } from '../audit/tagged-hash.js';
import { HEX64_RE } from '../audit/tagged-hash.js';
import { InvalidArgumentError } from '../errors.js';
import { CurrencyMismatchError, InvalidAmountError } from '../money/errors.js';
import { TransactionIntegrityError, UnbalancedTransactionError } from './errors.js';
import { assertBigintAmount } from '../money/amount.js';
import { assertCurrencyCode } from '../money/currency.js';
import { Money } from '../money/money.js';
import { canonicalJson, jsonString } from '../util/canonical-json.js';
import type { CanonicalValue } from '../util/canonical-json.js';
import type { Instant } from '../time.js';
import { parseInstant } from '../time.js';
import { assertText } from './account.js';
import type { Entry, EntrySide, Transaction } from './types.js';

export const TRANSACTION_ID_TAG = 'zkreserve/1/transaction';
/** Entry amounts are stored as four 32-bit limbs, so each must be below 2^128. */
export const MAX_ENTRY_AMOUNT = (1n << 128n) - 1n;

/** An account id, or an object carrying one (an `Account`); when it carries a currency, it is checked early. */
export type AccountRef = string | { readonly id: string; readonly currency?: string };

export interface TransactionFields {
  purpose: string;
  initiator: string;
  initiatedAt: number;
  entries: readonly Entry[];
  references: readonly string[];
  metadata: Readonly<Record<string, string>>;
  idempotencyKey: string | null;
  reverses: string | null;
}

/** Transactions made by `makeTransaction` (deeply frozen, id verified), with their canonical body JSON. */
const built = new WeakMap<Transaction, string>();

function validateEntry(e: unknown, i: number): Entry {
  if (typeof e !== 'object' || e === null) throw new InvalidArgumentError(`entry ${i} is not an object`);
  const { account, currency, side, amount } = e as Record<string, unknown>;
  if (typeof account !== 'string' || !HEX64_RE.test(account)) {
    throw new InvalidArgumentError(`entry ${i}: account must be a 64-hex-digit account id`);
  }
  assertCurrencyCode(currency);
  if (side !== 'DEBIT' && side !== 'CREDIT')
    throw new InvalidArgumentError(`entry ${i}: side must be DEBIT or CREDIT`);
  assertBigintAmount(amount, `entry ${i} amount`);
  if (amount <= 0n) throw new InvalidAmountError(`entry ${i}: amount must be positive, got ${amount}`);
  if (amount > MAX_ENTRY_AMOUNT)
    throw new InvalidAmountError(`entry ${i}: amount ${amount} exceeds 2^128 - 1`);
  return Object.freeze({ account, currency, side, amount });
}

function assertBalanced(entries: readonly Entry[]): void {
  const net = new Map<string, bigint>();
  for (const e of entries) {
    net.set(e.currency, (net.get(e.currency) ?? 0n) + (e.side === 'DEBIT' ? e.amount : -e.amount));
  }
  for (const [currency, diff] of [...net].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (diff !== 0n) {
      throw new UnbalancedTransactionError(
        `unbalanced ${currency}: debits exceed credits by ${diff} minor units (every currency must balance)`,
      );
    }
  }
}

/**
 * Canonical JSON of the body (what the id hashes). Written by hand for speed with RFC 8785 key order
 * (entries, idempotencyKey, initiatedAt, initiator, metadata, purpose, references, reverses; in an entry:
 * account, amount, currency, side); every string was validated as well-formed, and a test checks this
 * against the generic canonicalJson.
 */
function bodyOf(f: TransactionFields): string {
  let entries = '';
  for (const e of f.entries) {
    entries += `${entries ? ',' : ''}{"account":"${e.account}","amount":"${e.amount}","currency":"${e.currency}","side":"${e.side}"}`;
  }
  const q = jsonString;
  return (
    `{"entries":[${entries}],"idempotencyKey":${f.idempotencyKey === null ? 'null' : q(f.idempotencyKey)}` +
    `,"initiatedAt":${f.initiatedAt},"initiator":${q(f.initiator)},"metadata":${canonicalJson({ ...f.metadata })}` +
    `,"purpose":${q(f.purpose)},"references":[${f.references.map(q).join(',')}]` +
    `,"reverses":${f.reverses === null ? 'null' : `"${f.reverses}"`}}`
  );
}

/** The body as a plain object (for canonicalJson); used to cross-check `bodyOf`. */
export function transactionBodyObject(tx: Transaction): CanonicalValue {
  return {
    purpose: tx.purpose,
    initiator: tx.initiator,
    initiatedAt: tx.initiatedAt,
    entries: tx.entries.map((e) => ({
      account: e.account,
      currency: e.currency,
      side: e.side,
      amount: e.amount,
    })),
    references: [...tx.references],
    metadata: { ...tx.metadata },
    idempotencyKey: tx.idempotencyKey,
    reverses: tx.reverses,
  };
}

export function transactionIdOf(bodyJson: string): string {
  return taggedHash(TRANSACTION_ID_TAG, [bodyJson]);
}

/** Validates every field, checks balance per currency, and returns a deeply frozen transaction with its id. */
export function makeTransaction(input: TransactionFields): Transaction {
  const { purpose, initiator, initiatedAt, entries, references, metadata, idempotencyKey, reverses } = input;
  assertText(purpose, 'purpose', 256);
  assertText(initiator, 'initiator', 256);
  const at = parseInstant(initiatedAt, 'initiatedAt');
  if (!Array.isArray(entries) || entries.length === 0)
    throw new UnbalancedTransactionError('a transaction needs entries');
  const es = Object.freeze(entries.map((e, i) => validateEntry(e, i)));
  assertBalanced(es);
  if (!Array.isArray(references)) throw new InvalidArgumentError('references must be an array of strings');
  const refs = Object.freeze(
    references.map((r: unknown, i) => (assertText(r, `reference ${i}`), r as string)),
  );
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidArgumentError('metadata must be an object of strings');
  }
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    assertMetadataKey(k);
    if (typeof v !== 'string')
      throw new InvalidArgumentError(`metadata ${JSON.stringify(k)} must be a string`);
    assertText(v, `metadata ${JSON.stringify(k)}`, 4096);
    meta[k] = v;
  }
  Object.freeze(meta);
  if (idempotencyKey !== null) assertText(idempotencyKey, 'idempotency key', 256);
  if (reverses !== null && (typeof reverses !== 'string' || !HEX64_RE.test(reverses))) {
    throw new InvalidArgumentError('reverses must be null or a transaction id');
  }
  const fields: TransactionFields = {
    purpose,
    initiator,
    initiatedAt: at,
    entries: es,
    references: refs,
    metadata: meta,
    idempotencyKey,
    reverses,
  };
  const bodyJson = bodyOf(fields);
  const tx: Transaction = Object.freeze({ id: transactionIdOf(bodyJson), ...fields }) as Transaction;
  built.set(tx, bodyJson);
  return tx;
}

/**
 * Returns a trusted copy of `tx` with its canonical body JSON. A transaction from `build()` is trusted as is;
 * any other object is revalidated and its id recomputed: a mismatch (edited content) throws.
 */
export function verifiedTransaction(tx: unknown): { tx: Transaction; bodyJson: string } {
  const known = built.get(tx as Transaction);
  if (known !== undefined) return { tx: tx as Transaction, bodyJson: known };
  if (typeof tx !== 'object' || tx === null) throw new TransactionIntegrityError('not a transaction object');
  const t = tx as Record<string, unknown>;
  const copy = makeTransaction({
    purpose: t.purpose as string,
    initiator: t.initiator as string,
    initiatedAt: t.initiatedAt as number,
    entries: t.entries as Entry[],
    references: t.references as string[],
    metadata: t.metadata as Record<string, string>,
    idempotencyKey: (t.idempotencyKey ?? null) as string | null,
    reverses: (t.reverses ?? null) as string | null,
  });
  if (copy.id !== t.id) {
    throw new TransactionIntegrityError(
      `transaction id ${String(t.id)} does not match its content (recomputed ${copy.id}): edited after build()?`,
    );
  }
  return { tx: copy, bodyJson: built.get(copy)! };
}

/** Rebuilds a transaction from its stored canonical body (JSON.parse'd), checking that `id` matches. */
export function transactionFromBody(id: string, body: unknown): Transaction {
  if (typeof body !== 'object' || body === null)
    throw new TransactionIntegrityError(`transaction ${id}: bad body`);
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.entries)) throw new TransactionIntegrityError(`transaction ${id}: bad entries`);
  const entries = (b.entries as Record<string, unknown>[]).map((e) => {
    if (typeof e.amount !== 'string' || !/^[1-9][0-9]*$/.test(e.amount)) {
      throw new TransactionIntegrityError(`transaction ${id}: bad entry amount`);
    }
    return { ...e, amount: BigInt(e.amount) } as unknown as Entry;
  });
  return verifiedTransaction({ ...b, entries, id }).tx;
}

export function transactionBodyJson(tx: Transaction): string {
  return verifiedTransaction(tx).bodyJson;
}

function assertMetadataKey(k: string): void {
  assertText(k, 'metadata key', 256);
  if (k === '__proto__') throw new InvalidArgumentError('metadata key "__proto__" is not allowed');
}

function refId(ref: AccountRef, what: string): string {
  const id = typeof ref === 'string' ? ref : ref?.id;
  if (typeof id !== 'string' || !HEX64_RE.test(id)) {
    throw new InvalidArgumentError(`${what} must be an account or a 64-hex-digit account id`);
  }
  return id;
}

function assertMoney(m: unknown, what: string): asserts m is Money {
  if (!(m instanceof Money)) {
    if (typeof m === 'number' || typeof m === 'bigint') {
      assertBigintAmount(m as never, what); // throws for numbers with a precise message
      throw new InvalidAmountError(`${what} must be a Money value (currency + amount), got a bare bigint`);
    }
    throw new InvalidAmountError(`${what} must be a Money value`);
  }
}

/** Builds a balanced, immutable transaction. `transfer(from, to, m)` debits `from` and credits `to`. */
export class TransactionBuilder {
  readonly #purpose: string;
  readonly #initiator: string;
  readonly #initiatedAt: number;
  readonly #entries: Entry[] = [];
  readonly #references: string[] = [];
  readonly #metadata: Record<string, string> = {};
  #idempotencyKey: string | null = null;

  constructor(purpose: string, initiator: string, options: { initiatedAt: Instant }) {
    assertText(purpose, 'purpose', 256);
    assertText(initiator, 'initiator', 256);
    this.#purpose = purpose;
    this.#initiator = initiator;
    this.#initiatedAt = parseInstant(options?.initiatedAt, 'initiatedAt');
  }

  #entry(ref: AccountRef, money: Money, side: EntrySide, what: string): void {
    assertMoney(money, `${what} amount`);
    if (money.amount <= 0n) {
      throw new InvalidAmountError(`${what} amount must be positive, got ${money.amount} ${money.currency}`);
    }
    const account = refId(ref, what);
    if (typeof ref === 'object' && ref.currency !== undefined && ref.currency !== money.currency) {
      throw new CurrencyMismatchError(
        `${what} account ${account} is ${ref.currency}, the amount is ${money.currency}`,
      );
    }
    this.#entries.push({ account, currency: money.currency, side, amount: money.amount });
  }

  /** One debit entry (low level: the transaction must still balance per currency at build()). */
  debit(account: AccountRef, money: Money): this {
    this.#entry(account, money, 'DEBIT', 'debit');
    return this;
  }

  /** One credit entry (low level). */
  credit(account: AccountRef, money: Money): this {
    this.#entry(account, money, 'CREDIT', 'credit');
    return this;
  }

  /** Debits `from` and credits `to` with the same positive amount. */
  transfer(from: AccountRef, to: AccountRef, money: Money): this {
    if (refId(from, 'from') === refId(to, 'to'))
      throw new InvalidArgumentError('transfer from an account to itself');
    assertMoney(money, 'transfer amount');
    if (money.amount <= 0n) {
      throw new InvalidAmountError(`transfer amount must be positive, got ${money.amount} ${money.currency}`);
    }
    this.#entry(from, money, 'DEBIT', 'from');
    this.#entry(to, money, 'CREDIT', 'to');
    return this;
  }

  /**
   * Currency conversion in two legs, each balanced in its own currency:
   * `sell` moves from `from` to `via.sell`, `buy` moves from `via.buy` to `to`
   * (via accounts are typically FX_GAIN_LOSS or CLEARING accounts of each currency).
   */
  fxConvert(
    from: AccountRef,
    to: AccountRef,
    sell: Money,
    buy: Money,
    via: { sell: AccountRef; buy: AccountRef },
  ): this {
    assertMoney(sell, 'sell');
    assertMoney(buy, 'buy');
    if (sell.currency === buy.currency) {
      throw new InvalidArgumentError(`fxConvert needs two different currencies, got ${sell.currency} twice`);
    }
    if (!via || via.sell === undefined || via.buy === undefined) {
      throw new InvalidArgumentError('fxConvert needs via.sell and via.buy accounts');
    }
    this.transfer(from, via.sell, sell);
    this.transfer(via.buy, to, buy);
    return this;
  }

  reference(ref: string): this {
    assertText(ref, 'reference');
    this.#references.push(ref);
    return this;
  }

  metadata(key: string, value: string): this {
    assertMetadataKey(key);
    if (typeof value !== 'string')
      throw new InvalidArgumentError(`metadata ${JSON.stringify(key)} must be a string`);
    if (Object.prototype.hasOwnProperty.call(this.#metadata, key)) {
      throw new InvalidArgumentError(`metadata ${JSON.stringify(key)} set twice`);
    }
    this.#metadata[key] = value;
    return this;
  }

  idempotencyKey(key: string): this {
    assertText(key, 'idempotency key', 256);
    this.#idempotencyKey = key;
    return this;
  }

  build(): Transaction {
    return makeTransaction({
      purpose: this.#purpose,
      initiator: this.#initiator,
      initiatedAt: this.#initiatedAt,
      entries: this.#entries,
      references: this.#references,
      metadata: this.#metadata,
      idempotencyKey: this.#idempotencyKey,
      reverses: null,
    });
  }
}
