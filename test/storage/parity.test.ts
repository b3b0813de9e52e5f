// The memory and SQLite stores behave alike: the same writes give the same chain, byte for byte. (Every
// ledger behaviour test in test/ledger runs on both; test/ledger/determinism.test.ts and the ledger fuzz test
// compare whole histories.)
import { describe, expect, it } from 'vitest';
import { openMemoryLedger, openSqliteLedger } from '../../src/index.js';
import { T, acmeLedger, populate } from '../ledger/helpers.js';

describe('memory and SQLite parity', () => {
  it('gives the same chain in memory and in SQLite', () => {
    const a = openMemoryLedger();
    const b = openSqliteLedger(':memory:');
    acmeLedger(a);
    acmeLedger(b);
    expect(b.head).toEqual(a.head);
    expect([...b.auditEvents()]).toEqual([...a.auditEvents()]);
  });

  it('gives the same events, snapshots and replay report in memory and in SQLite', () => {
    const a = openMemoryLedger();
    const b = openSqliteLedger(':memory:');
    populate(a);
    populate(b);
    expect([...b.auditEvents()]).toEqual([...a.auditEvents()]);
    expect(b.snapshot(T('06:00:00'))).toEqual(a.snapshot(T('06:00:00')));
    expect(b.snapshot(T('02:30:00'))).toEqual(a.snapshot(T('02:30:00')));
    expect(b.replayBalances()).toEqual(a.replayBalances());
  });
});
