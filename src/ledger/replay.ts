// Rebuilding ledger state from the audit log alone, and comparing it with the ledger tables.
import type { AuditEvent } from '../audit/event.js';
import { AuditLogError } from '../audit/errors.js';
import type {
  AccountAggregate,
  LedgerStore,
  LedgerStoreFactory,
  StoredTable,
  StoredValue,
  TxInfo,
} from './store.js';
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

function sameValue(a: StoredValue | undefined, b: StoredValue | undefined): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  return a === b;
}

function showValue(v: StoredValue | undefined): string {
  if (v === undefined) return '(no value)';
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return `${v} (REAL)`;
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  return `x'${[...v].map((x) => x.toString(16).padStart(2, '0')).join('')}' (BLOB)`;
}

function showRow(columns: readonly string[], row: readonly StoredValue[]): string {
  return row.map((v, i) => `${columns[i] ?? `#${i}`}=${showValue(v)}`).join(', ');
}

/** Compares one table row by row and column by column; reports its first difference (if any). */
function compareTable(name: string, mine: StoredTable, theirs: StoredTable, add: (m: string) => void): void {
  if (JSON.stringify(mine.columns) !== JSON.stringify(theirs.columns)) {
    add(
      `table ${name}: the file has columns (${theirs.columns.join(', ')}), the log's replay (${mine.columns.join(', ')})`,
    );
    return;
  }
  const cols = mine.columns;
  const a = mine.rows();
  const b = theirs.rows();
  try {
    for (let row = 1; ; row++) {
      const x = a.next();
      const y = b.next();
      if (x.done && y.done) return;
      if (x.done) {
        add(`table ${name}, row ${row}: a row that no audit event accounts for (${showRow(cols, y.value!)})`);
        return;
      }
      if (y.done) {
        add(
          `table ${name}, row ${row}: missing from the file; the replay of the audit log has (${showRow(cols, x.value)})`,
        );
        return;
      }
      const i = cols.findIndex((_c, k) => !sameValue(x.value[k], y.value[k]));
      if (i >= 0 || x.value.length !== y.value.length) {
        const c = i >= 0 ? i : Math.min(x.value.length, y.value.length);
        add(
          `table ${name}, row ${row} (${showRow(cols, y.value)}): column ${cols[c] ?? `#${c}`} is ` +
            `${showValue(y.value[c])} in the file, ${showValue(x.value[c])} by the audit log`,
        );
        return;
      }
    }
  } finally {
    a.return?.();
    b.return?.();
  }
}

/** Every table of `tables`, row by row and column by column, against the replayed store `replay`. */
function compareRows(replay: LedgerStore, tables: LedgerStore, add: (m: string) => void): void {
  if (replay.kind !== tables.kind) {
    add(`rows not compared: the replay store is a ${replay.kind} store, the ledger's a ${tables.kind} store`);
    return;
  }
  const mine = new Map(replay.tables().map((t) => [t.name, t]));
  const theirs = new Map(tables.tables().map((t) => [t.name, t]));
  for (const [name, t] of mine) {
    const other = theirs.get(name);
    if (!other) add(`table ${name} is missing from the file`);
    else compareTable(name, t, other, add);
  }
  for (const name of theirs.keys()) if (!mine.has(name)) add(`table ${name}: not a ledger table`);
}

/**
 * Replays `events` into a fresh store made by `newStore` (of the same kind as `tables`: storage/open-ledger.ts)
 * and compares it with `tables`: first every table, row by row and column by column (`LedgerStore.tables`: the
 * first differing table, row and column is reported), then, for a readable account of what differs, account
 * rows, transaction counts, each transaction's lifecycle (initiation, outcome, reversal) and every account's
 * sums over all time.
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
    try {
      replay.atomic(() => {
        for (const e of events) {
          applyEvent(replay, e);
          replay.appendEvent(e);
          n++;
        }
      });
    } catch (err) {
      add(`replay failed: ${(err as Error).message}`);
      return { ok: false, events: n, accounts: 0, transactions: 0, mismatches };
    }
    return compareStores(replay, tables, n, mismatches, add);
  } finally {
    replay.close();
  }
}

function compareStores(
  replay: LedgerStore,
  tables: LedgerStore,
  n: number,
  mismatches: string[],
  add: (m: string) => void,
): ReplayReport {
  try {
    compareRows(replay, tables, add);
  } catch (err) {
    add(`rows not compared: ${(err as Error).message}`);
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
