// A SQLite ledger file: reopened exactly, shared by several Ledger instances, with its pragmas.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidCurrencyError,
  Money,
  SCHEMA_VERSION,
  SqliteStore,
  StorageError,
  TransactionBuilder,
  openSqliteLedger,
} from '../../src/index.js';
import { T, acmeLedger, populate, usd } from '../ledger/helpers.js';
import { tempFiles } from './helpers.js';

const tmpFile = tempFiles('file');

describe('SQLite file', () => {
  it('reopens to exactly the same ledger and keeps enforcing the rules', () => {
    const path = tmpFile();
    const a = openSqliteLedger(path);
    const { ids } = populate(a);
    const snap = a.snapshot(T('06:00:00'));
    const mid = a.snapshot(T('02:30:00'));
    const head = a.head;
    const events = [...a.auditEvents()];
    a.close();

    const b = openSqliteLedger(path);
    expect(b.head).toEqual(head);
    expect(b.snapshot(T('06:00:00'))).toEqual(snap);
    expect(b.snapshot(T('02:30:00'))).toEqual(mid);
    expect([...b.auditEvents()]).toEqual(events);
    expect(b.getTransaction(ids[1]!)!.status).toBe('REVERSED');
    expect(b.verifyChain()).toMatchObject({ ok: true, length: 12 });
    expect(b.replayBalances().ok).toBe(true);
    expect(() => b.openAccount('USER', 'USD', 'late', { openedAt: T('04:00:00') })).toThrow(
      /never goes backwards/,
    );
    expect(() => b.openAccount('USER', 'USD', 'alice', { openedAt: T('06:00:00') })).toThrow(/already open/);
    b.close();

    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('lets two Ledger instances on one file write in turn without forking the chain', () => {
    const path = tmpFile();
    const a = openSqliteLedger(path);
    const b = openSqliteLedger(path);
    const reserve = a.openAccount('RESERVE', 'USD', 'bank', { openedAt: T('00:00:00') });
    const alice = b.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') }); // b sees a's event
    const tx = a.post(
      new TransactionBuilder('deposit', 'ops', { initiatedAt: T('01:00:00') })
        .transfer(reserve, alice, usd('3'))
        .build(),
    );
    expect(() => b.openAccount('USER', 'USD', 'bob', { openedAt: T('00:30:00') })).toThrow(
      /never goes backwards/,
    );
    expect(() => b.openAccount('USER', 'USD', 'alice', { openedAt: T('02:00:00') })).toThrow(/already open/);
    b.settle(tx.id, T('02:00:00'));
    expect(() => a.settle(tx.id, T('03:00:00'))).toThrow(/already settled/);
    expect(a.snapshot(T('02:00:00'))).toEqual(b.snapshot(T('02:00:00')));
    expect(b.verifyChain()).toMatchObject({ ok: true, length: 4 });
    a.close();
    b.close();
  });

  it('reports an unopenable path as a StorageError', () => {
    expect(() => openSqliteLedger(join(tmpFile(), 'no-such-dir', 'x.db'))).toThrow(StorageError);
    expect(() => openSqliteLedger('')).toThrow(StorageError);
  });

  it('sets WAL and a busy timeout', () => {
    const store = new SqliteStore(tmpFile(), { busyTimeoutMs: 1234 });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    store.close();
  });
});

describe('registered currencies in a ledger file', () => {
  it('are restored by a fresh openSqliteLedger without re-registering', () => {
    const path = tmpFile();
    const a = openSqliteLedger(path);
    const { depositId } = acmeLedger(a);
    const head = a.head;
    const snap = a.snapshot(T('03:00:00'));
    a.close();

    const b = openSqliteLedger(path);
    expect(b.head).toEqual(head);
    expect(b.currencies.get('ACME')).toEqual({ code: 'ACME', exponent: 4 });
    expect(b.snapshot(T('03:00:00'))).toEqual(snap);
    expect(b.getTransaction(depositId)!.status).toBe('SETTLED');
    const bob = b.openAccount('USER', 'ACME', 'bob', { openedAt: T('04:00:00') });
    expect(Money.parse('0.0001', 'ACME', b.currencies).amount).toBe(1n);
    expect(() => Money.parse('0.00001', 'ACME', b.currencies)).toThrow(/refusing to round/);
    expect(bob.currency).toBe('ACME');
    expect(() => b.registerCurrency('ACME', 6, { at: T('05:00:00') })).toThrow(InvalidCurrencyError);
    expect(b.verifyChain()).toMatchObject({ ok: true, length: 6 });
    expect(b.replayBalances().ok).toBe(true);
    b.close();
    const raw = new Database(path);
    expect(raw.prepare('SELECT * FROM currencies').all()).toEqual([
      { code: 'ACME', exponent: 4, registered_at: T('00:00:00') },
    ]);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('lets another instance on the same file use a currency registered after it opened', () => {
    const path = tmpFile();
    const a = openSqliteLedger(path);
    const b = openSqliteLedger(path);
    a.registerCurrency('ACME', 4, { at: T('00:00:00') });
    expect(b.currencies.has('ACME')).toBe(false);
    b.openAccount('USER', 'ACME', 'alice', { openedAt: T('01:00:00') });
    expect(b.currencies.get('ACME').exponent).toBe(4);
    expect(() => b.registerCurrency('ACME', 5, { at: T('02:00:00') })).toThrow(InvalidCurrencyError);
    expect(a.verifyChain()).toMatchObject({ ok: true, length: 2 });
    a.close();
    b.close();
  });
});
