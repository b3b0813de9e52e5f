// Rebuilding ledger state from the audit log alone, and comparing it with the ledger tables.
import type { AuditEvent } from '../audit/event.js';
import { AuditLogError } from '../audit/errors.js';
import type { AccountAggregate, LedgerStore, LedgerStoreFactory, TxInfo } from './store.js';
import { assertCurrencyCode, assertExponent, builtinCurrency } from '../money/currency.js';
import { MAX_INSTANT_MS } from '../time.js';
import { accountId, assertOwnerType } from './account.js';
import { transactionFromBody } from './transaction.js';

export interface ReplayReport {
  readonly ok: boolean;
  readonly events: number;
  readonly accounts: number;
  readonly transactions: number;
  /** Human-readable differences between the replayed log and the tables (at most 50). */
  readonly mismatches: string[];
}

type Obj = Record<string, unknown>;

function parse(e: AuditEvent): Obj {
  try {
    const v: unknown = JSON.parse(e.payload);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
  } catch {
    /* fall through */
  }
  throw new AuditLogError(`event ${e.sequence}: payload is not a JSON object`);
}

function need(cond: boolean, e: AuditEvent, what: string): void {
  if (!cond) throw new AuditLogError(`event ${e.sequence} (${e.type}): ${what}`);
}

/** Applies one audit event to a store (inside an atomic block), validating what the payload claims. */
export function applyEvent(store: LedgerStore, e: AuditEvent): void {
  const p = parse(e);
  switch (e.type) {
    case 'CURRENCY_REGISTERED': {
      const code = p.code;
      assertCurrencyCode(code);
      assertExponent(p.exponent, code);
      need(p.registeredAt === e.at, e, 'registeredAt differs from the event time');
      need(builtinCurrency(code) === undefined, e, `${code} is a built-in currency (never registered)`);
      need(store.getCurrency(code) === undefined, e, `currency ${code} is registered twice`);
      need(Object.keys(p).length === 3, e, 'unexpected payload fields');
      store.insertCurrency({ code, exponent: p.exponent, registeredAt: e.at });
      return;
    }
    case 'ACCOUNT_OPENED': {
      assertOwnerType(p.ownerType);
      const id = accountId(p.ownerType, p.currency as string, p.externalRef as string);
      need(id === p.id, e, `account id ${String(p.id)} does not match its fields (${id})`);
      need(p.openedAt === e.at, e, 'openedAt differs from the event time');
      need(
        builtinCurrency(p.currency as string) !== undefined ||
          store.getCurrency(p.currency as string) !== undefined,
        e,
        `currency ${String(p.currency)} is neither built in nor registered by an earlier event`,
      );
      store.insertAccount(
        Object.freeze({
          id,
          ownerType: p.ownerType,
          currency: p.currency as string,
          externalRef: p.externalRef as string,
          openedAt: e.at,
        }),
      );
      return;
    }
    case 'TX_POSTED': {
      const tx = transactionFromBody(p.id as string, p.transaction);
      need(tx.initiatedAt === e.at, e, 'initiatedAt differs from the event time');
      for (const en of tx.entries) {
        const a = store.getAccount(en.account);
        need(a !== undefined, e, `entry references unknown account ${en.account}`);
        need(
          a!.currency === en.currency,
          e,
          `entry currency ${en.currency} differs from account ${a!.currency}`,
        );
      }
      store.insertTransaction(tx, e.sequence);
      return;
    }
    case 'TX_SETTLED':
    case 'TX_FAILED': {
      const txId = p.txId as string;
      need(store.getTxInfo(txId) !== undefined, e, `unknown transaction ${txId}`);
      need(p.at === e.at, e, 'payload time differs from the event time');
      store.insertOutcome(txId, {
        outcome: e.type === 'TX_SETTLED' ? 'SETTLED' : 'FAILED',
        at: e.at,
        reason: e.type === 'TX_FAILED' ? (p.reason as string) : null,
      });
      return;
    }
    case 'TX_REVERSED': {
      const txId = p.txId as string;
      need(store.getTxInfo(txId) !== undefined, e, `unknown transaction ${txId}`);
      need(p.at === e.at, e, 'payload time differs from the event time');
      store.insertReversal(txId, {
        reversalTxId: p.reversalTxId as string,
        at: e.at,
        reason: p.reason as string,
      });
      return;
    }
    default:
      throw new AuditLogError(`event ${(e as AuditEvent).sequence}: unknown type ${(e as AuditEvent).type}`);
  }
}

function sameInfo(a: TxInfo, b: TxInfo): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function aggKey(a: AccountAggregate): string {
  const { id, ownerType, currency, externalRef, openedAt } = a.account;
  return JSON.stringify([
    id,
    ownerType,
    currency,
    externalRef,
    openedAt,
    String(a.settledDebits),
    String(a.settledCredits),
    String(a.pendingDebits),
    String(a.pendingCredits),
  ]);
}

/**
 * Replays `events` into a fresh store made by `newStore` (an in-memory one: storage/open-ledger.ts) and compares
 * it with `tables`: account rows, transaction counts, each transaction's lifecycle (initiation, outcome,
 * reversal) and every account's sums over all time.
 */
export function replayAndCompare(
  events: Iterable<AuditEvent>,
  tables: LedgerStore,
  newStore: LedgerStoreFactory,
): ReplayReport {
  const replay = newStore();
  let n = 0;
  const mismatches: string[] = [];
  const add = (m: string) => {
    if (mismatches.length < 50) mismatches.push(m);
  };
  try {
    replay.atomic(() => {
      for (const e of events) {
        applyEvent(replay, e);
        n++;
      }
    });
  } catch (err) {
    add(`replay failed: ${(err as Error).message}`);
    return { ok: false, events: n, accounts: 0, transactions: 0, mismatches };
  }
  if (replay.countAccounts() !== tables.countAccounts()) {
    add(`accounts: log has ${replay.countAccounts()}, tables have ${tables.countAccounts()}`);
  }
  const logCurrencies = JSON.stringify(replay.currencies());
  const tableCurrencies = JSON.stringify(tables.currencies());
  if (logCurrencies !== tableCurrencies) {
    add(`currencies: log has ${logCurrencies}, tables have ${tableCurrencies}`);
  }
  if (replay.countTransactions() !== tables.countTransactions()) {
    add(`transactions: log has ${replay.countTransactions()}, tables have ${tables.countTransactions()}`);
  }
  for (const id of replay.transactionIds()) {
    const mine = replay.getTxInfo(id)!;
    let theirs: TxInfo | undefined;
    try {
      theirs = tables.getTxInfo(id);
    } catch (err) {
      add(`transaction ${id}: ${(err as Error).message}`);
      continue;
    }
    if (!theirs) {
      add(`transaction ${id} is in the log but not in the tables`);
      continue;
    }
    try {
      tables.getTransaction(id); // re-derives the id from the stored body
    } catch (err) {
      add(`transaction ${id}: ${(err as Error).message}`);
    }
    if (!sameInfo(mine, theirs)) add(`transaction ${id}: lifecycle differs (log ${JSON.stringify(mine)})`);
  }
  const a = replay.aggregate(MAX_INSTANT_MS);
  const b = tables.aggregate(MAX_INSTANT_MS);
  const bm = new Map(b.map((x) => [x.account.id, aggKey(x)]));
  for (const x of a) {
    const theirs = bm.get(x.account.id);
    if (theirs === undefined) add(`account ${x.account.id} is in the log but not in the tables`);
    else if (theirs !== aggKey(x)) add(`account ${x.account.id}: log ${aggKey(x)} != tables ${theirs}`);
    bm.delete(x.account.id);
  }
  for (const id of bm.keys()) add(`account ${id} is in the tables but not in the log`);
  return {
    ok: mismatches.length === 0,
    events: n,
    accounts: replay.countAccounts(),
    transactions: replay.countTransactions(),
    mismatches,
  };
}
