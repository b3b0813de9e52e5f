// Tampering with the rows of a SQLite ledger file behind the ledger's back: the audit chain check and the
// replay find every edit, and the append-only triggers refuse them while they exist.
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPEND_ONLY_TABLES, computeEventHash } from '../../src/index.js';
import { T, acmeLedger, populate } from '../ledger/helpers.js';
import { dropTriggers, sqliteLedger } from './helpers.js';

describe('tampering with SQLite rows', () => {
  const cases: [string, (db: Database.Database) => void, number, RegExp][] = [
    [
      'edited payload',
      (db) =>
        db
          .prepare(`UPDATE audit_events SET payload = replace(payload, '"10000"', '"10001"') WHERE seq = 4`)
          .run(),
      4,
      /hash mismatch/,
    ],
    [
      'edited timestamp',
      (db) => db.prepare('UPDATE audit_events SET at = at + 1 WHERE seq = 6').run(),
      6,
      /hash mismatch/,
    ],
    [
      'edited hash',
      (db) => db.prepare(`UPDATE audit_events SET hash = '${'0'.repeat(64)}' WHERE seq = 8`).run(),
      8,
      /hash mismatch/,
    ],
    [
      'edited type',
      (db) => db.prepare(`UPDATE audit_events SET type = 'TX_FAILED' WHERE seq = 6`).run(),
      6,
      /hash mismatch/,
    ],
    ['deleted row', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 5').run(), 5, /sequence gap/],
    ['deleted last row', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 12').run(), 12, /missing/],
    [
      'last row replaced by a correctly re-hashed forgery',
      (db) => {
        const r = db.prepare('SELECT * FROM audit_events WHERE seq = 12').get() as Record<
          string,
          string | number
        >;
        const payload = (r.payload as string).replace('chargeback', 'forged');
        const hash = computeEventHash(12, r.type as string, payload, r.at as number, r.prev_hash as string);
        db.prepare('UPDATE audit_events SET payload = ?, hash = ? WHERE seq = 12').run(payload, hash);
      },
      12,
      /not the event this ledger wrote/,
    ],
    [
      'inserted row before the first',
      (db) =>
        db
          .prepare(
            `INSERT INTO audit_events SELECT 0, type, at, payload, prev_hash, hash FROM audit_events WHERE seq = 1`,
          )
          .run(),
      1,
      /out of order/,
    ],
    [
      'row appended after the head',
      (db) =>
        db
          .prepare(
            `INSERT INTO audit_events SELECT 13, type, at, payload, hash, hash FROM audit_events WHERE seq = 12`,
          )
          .run(),
      13,
      /hash mismatch/,
    ],
    [
      'reordered rows',
      (db) => {
        const r = db.prepare('SELECT * FROM audit_events WHERE seq IN (4, 5) ORDER BY seq').all() as Record<
          string,
          unknown
        >[];
        const put = db.prepare(
          'UPDATE audit_events SET type = ?, at = ?, payload = ?, prev_hash = ?, hash = ? WHERE seq = ?',
        );
        const [a, b] = r as [Record<string, unknown>, Record<string, unknown>];
        put.run(b.type, b.at, b.payload, b.prev_hash, b.hash, 4);
        put.run(a.type, a.at, a.payload, a.prev_hash, a.hash, 5);
      },
      4,
      /prevHash/,
    ],
  ];

  it.each(cases)('detects: %s', (_name, tamper, sequence, reason) => {
    const { l, store } = sqliteLedger();
    populate(l);
    expect(l.verifyChain().ok).toBe(true);
    dropTriggers(store.db);
    tamper(store.db);
    const v = l.verifyChain();
    expect(v).toMatchObject({ ok: false, sequence });
    expect(v.ok === false && v.reason).toMatch(reason);
  });

  it('refuses UPDATE and DELETE on every append-only table while the triggers exist', () => {
    const { l, store } = sqliteLedger();
    populate(l);
    l.registerCurrency('XAU', 3, { at: T('06:00:00') }); // a row in every table
    for (const t of APPEND_ONLY_TABLES) {
      expect(() => store.db.prepare(`UPDATE ${t} SET rowid = rowid`).run(), t).toThrow(/append-only/);
      expect(() => store.db.prepare(`DELETE FROM ${t}`).run(), t).toThrow(/append-only/);
    }
    expect(l.verifyChain().ok).toBe(true);
  });

  const tableEdits: [string, string, RegExp][] = [
    ['entry amount', 'UPDATE entries SET a0 = a0 + 1 WHERE rowid = 1', /account .*: log/],
    ['entry account', 'UPDATE entries SET account_no = 3 WHERE rowid = 2', /account .*: log/],
    ['settlement time', 'UPDATE tx_outcomes SET at = at + 1 WHERE tx_no = 1', /lifecycle differs/],
    [
      'failure turned into settlement',
      `UPDATE tx_outcomes SET outcome = 'SETTLED' WHERE outcome = 'FAILED'`,
      /lifecycle|account/,
    ],
    ['deleted reversal', 'DELETE FROM tx_reversals', /lifecycle differs/],
    [
      'extra account row',
      `INSERT INTO accounts (id, owner_type, currency, external_ref, opened_at) VALUES ('${'c'.repeat(64)}', 'USER', 'USD', 'ghost', 0)`,
      /accounts: log has 3, tables have 4/,
    ],
    [
      'deleted transaction row',
      'DELETE FROM transactions WHERE no = 3',
      /transactions: log has 4, tables have 3/,
    ],
  ];

  it.each(tableEdits)('replay catches a ledger table edited behind the log: %s', (_name, sql, msg) => {
    const { l, store } = sqliteLedger();
    populate(l);
    expect(l.replayBalances().ok).toBe(true);
    dropTriggers(store.db);
    store.db.exec(sql);
    const r = l.replayBalances();
    expect(r.ok).toBe(false);
    expect(r.mismatches.join('\n')).toMatch(msg);
    expect(l.verifyChain().ok).toBe(true); // the log itself is intact
  });
});

describe('tampering with the currencies', () => {
  it('detects a tampered CURRENCY_REGISTERED event and an edited currencies table', () => {
    const { l, store } = sqliteLedger();
    acmeLedger(l);
    expect(l.verifyChain().ok).toBe(true);
    dropTriggers(store.db);

    store.db.exec(`UPDATE currencies SET exponent = 2 WHERE code = 'ACME'`);
    expect(l.verifyChain().ok).toBe(true); // the log is intact ...
    const r = l.replayBalances();
    expect(r.ok).toBe(false); // ... but the table no longer matches it
    expect(r.mismatches.join('\n')).toMatch(/currencies: log has .*"exponent":4.*tables have .*"exponent":2/);
    store.db.exec(`DELETE FROM currencies`);
    expect(l.replayBalances().mismatches.join('\n')).toMatch(/currencies: log has .*ACME.*tables have \[\]/);

    store.db.exec(
      `UPDATE audit_events SET payload = replace(payload, '"exponent":4', '"exponent":2') WHERE seq = 1`,
    );
    const v = l.verifyChain();
    expect(v).toMatchObject({ ok: false, sequence: 1 });
    expect(v.ok === false && v.reason).toMatch(/hash mismatch/);
  });
});
