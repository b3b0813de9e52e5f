// The SQLite file format: its version, the ledger marker, the v1 -> v2 migration, and a currencies table
// that must agree with the built-in currencies.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SchemaVersionError, openSqliteLedger } from '../../src/index.js';
import { T } from '../ledger/helpers.js';
import { tempFiles } from './helpers.js';

const tmpFile = tempFiles('schema');

describe('SQLite schema', () => {
  it('refuses an unknown schema version and a foreign database', () => {
    const path = tmpFile();
    openSqliteLedger(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openSqliteLedger(path)).toThrow(SchemaVersionError);
    expect(() => openSqliteLedger(path)).toThrow(/version 99.*refusing to guess/);

    const other = tmpFile();
    const db = new Database(other);
    db.exec('CREATE TABLE stuff (x)');
    db.close();
    expect(() => openSqliteLedger(other)).toThrow(/not a zkreserve ledger/);
  });

  it('refuses to open a file whose currencies table contradicts a built-in', () => {
    const path = tmpFile();
    openSqliteLedger(path).close();
    const raw = new Database(path);
    raw.exec(`INSERT INTO currencies (code, exponent, registered_at) VALUES ('USD', 3, 0)`);
    raw.close();
    expect(() => openSqliteLedger(path)).toThrow(/USD has exponent 2 in this ledger \(built-in\), but 3/);
  });

  it('migrates a version 1 file in place, and refuses one whose operator-currency exponents are lost', () => {
    const makeV1 = (extra?: string): string => {
      const path = tmpFile();
      const l = openSqliteLedger(path);
      l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') });
      const head = l.head;
      l.close();
      const raw = new Database(path);
      raw.exec('DROP TRIGGER currencies_no_update; DROP TRIGGER currencies_no_delete; DROP TABLE currencies');
      if (extra) raw.exec(extra);
      raw.pragma('user_version = 1');
      raw.close();
      expect(head.sequence).toBe(1);
      return path;
    };
    const path = makeV1();
    const l = openSqliteLedger(path);
    l.registerCurrency('ACME', 4, { at: T('01:00:00') });
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 2 });
    expect(l.replayBalances().ok).toBe(true);
    l.close();
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    expect(() => raw.exec(`DELETE FROM currencies`)).toThrow(/append-only/);
    raw.close();

    const lost = makeV1(
      `INSERT INTO accounts (id, owner_type, currency, external_ref, opened_at) VALUES ('${'c'.repeat(64)}', 'USER', 'XAU', 'x', 0)`,
    );
    expect(() => openSqliteLedger(lost)).toThrow(SchemaVersionError);
    expect(() => openSqliteLedger(lost)).toThrow(
      /version 1 ledger with accounts in operator currencies \(XAU\)/,
    );
    const still = new Database(lost);
    expect(still.pragma('user_version', { simple: true })).toBe(1); // untouched
    still.close();
  });
});
