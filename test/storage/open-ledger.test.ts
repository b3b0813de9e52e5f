// Opening ledgers on the store adapters (src/storage/open-ledger.ts), and the replay store a ledger is given.
import { describe, expect, it } from 'vitest';
import {
  CurrencyRegistry,
  Ledger,
  MemoryStore,
  SqliteStore,
  memoryReplayStore,
  openLedger,
  openMemoryLedger,
  openSqliteLedger,
  sqliteReplayStore,
} from '../../src/index.js';
import { replayStoreFor } from '../../src/storage/open-ledger.js';
import type { LedgerStore } from '../../src/index.js';
import { populate } from '../ledger/helpers.js';
import { tempFiles } from './helpers.js';

const tmpFile = tempFiles('open');

describe('opening ledgers', () => {
  it('gives distinct ledgers on the memory and the SQLite store', () => {
    const a = openMemoryLedger();
    const b = openSqliteLedger(':memory:');
    expect(a).not.toBe(b);
    expect(a).toBeInstanceOf(Ledger);
    expect(b).toBeInstanceOf(Ledger);
    a.close();
    b.close();
  });

  it('refuses a registry that contradicts the file, and closes the file', () => {
    const path = tmpFile();
    const a = openSqliteLedger(path);
    a.registerCurrency('ACME', 4, { at: 0 });
    a.close();
    const currencies = new CurrencyRegistry();
    currencies.register('ACME', 2);
    expect(() => openSqliteLedger(path, { currencies })).toThrow(
      /ACME has exponent 4 in this ledger, but 2 in the currency registry passed/,
    );
    const again = openSqliteLedger(path); // not left locked or half-open
    expect(again.currencies.get('ACME').exponent).toBe(4);
    again.close();
  });

  it('opens any store, and closes it with the ledger', () => {
    const store = new SqliteStore(':memory:');
    const l = openLedger(store);
    populate(l);
    expect(l.replayBalances()).toMatchObject({ ok: true, events: 12 });
    l.close();
    expect(store.db.open).toBe(false);
  });
});

describe('the replay store', () => {
  it('replayBalances rebuilds the log in a fresh store from the factory the ledger was given', () => {
    const made: LedgerStore[] = [];
    const l = Ledger.open(new MemoryStore(), {
      replayStore: () => {
        const s = new MemoryStore();
        made.push(s);
        return s;
      },
    });
    populate(l);
    expect(made).toHaveLength(0);
    expect(l.replayBalances().ok).toBe(true);
    expect(l.replayBalances().ok).toBe(true);
    expect(made).toHaveLength(2);
    expect(made[0]).not.toBe(made[1]);
    expect(made.map((s) => s.countAccounts())).toEqual([3, 3]);
    expect(made.map((s) => s.countTransactions())).toEqual([4, 4]);
  });

  it("is of the ledger store's kind; a replay store of another kind fails the check (rows not compared)", () => {
    const l = Ledger.open(new SqliteStore(':memory:'), { replayStore: memoryReplayStore });
    populate(l);
    const r = l.replayBalances();
    expect(r.ok).toBe(false);
    expect(r.mismatches[0]).toMatch(
      /rows not compared: the replay store is a memory store, the ledger's a sqlite/,
    );
    expect(replayStoreFor(new MemoryStore())).toBe(memoryReplayStore);
    expect(replayStoreFor(new SqliteStore(':memory:'))).toBe(sqliteReplayStore);
    const s = sqliteReplayStore();
    expect(s).toBeInstanceOf(SqliteStore);
    expect((s as SqliteStore).path).toBe(':memory:');
    s.close();
  });

  it('is an empty memory store by default', () => {
    const a = memoryReplayStore();
    const b = memoryReplayStore();
    expect(a).toBeInstanceOf(MemoryStore);
    expect(a).not.toBe(b);
    expect([a.countAccounts(), a.countTransactions(), a.lastEvent()]).toEqual([0, 0, undefined]);
  });

  it('a replay that fails in the scratch store is reported, not thrown', () => {
    const l = Ledger.open(new MemoryStore(), {
      replayStore: () => {
        const s = new MemoryStore();
        s.close();
        return s;
      },
    });
    populate(l);
    const r = l.replayBalances();
    expect(r.ok).toBe(false);
    expect(r.mismatches.join('\n')).toMatch(/replay failed: store is closed/);
  });
});
