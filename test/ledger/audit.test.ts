import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPEND_ONLY_TABLES,
  AUDIT_EVENT_TAG,
  GENESIS_HASH,
  MemoryStore,
  SchemaVersionError,
  SqliteStore,
  StorageError,
  TransactionBuilder,
  computeEventHash,
  eventHashInput,
  openLedger,
  openMemoryLedger,
  openSqliteLedger,
  verifyAuditChain,
} from '../../src/index.js';
import type { AuditEvent, Ledger, LedgerStore } from '../../src/index.js';
import { KINDS, T, usd } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'zkreserve-ledger-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmpFile = () => join(dir, `l${++fileNo}.db`);

/** A small history: 3 accounts, deposits, a settle, a failure, a reversal (12 events). */
function populate(l: Ledger): { ids: string[] } {
  const at = { openedAt: T('00:00:00') };
  const reserve = l.openAccount('RESERVE', 'USD', 'bank', at);
  const alice = l.openAccount('USER', 'USD', 'alice', at);
  const bob = l.openAccount('USER', 'USD', 'bob', at);
  const dep = (to: typeof alice, amount: string, time: string) =>
    l.post(
      new TransactionBuilder('deposit', 'ops', { initiatedAt: T(time) })
        .transfer(reserve, to, usd(amount))
        .build(),
    );
  const a = dep(alice, '100.00', '01:00:00');
  const b = dep(bob, '50.00', '01:00:00');
  l.settle(a.id, T('02:00:00'));
  l.settle(b.id, T('02:00:00'));
  const c = dep(alice, '7.00', '03:00:00');
  l.fail(c.id, 'bounced', T('04:00:00'));
  l.reverse(b.id, T('05:00:00'), 'chargeback');
  return { ids: [a.id, b.id, c.id] };
}

function sqliteLedger(): { l: Ledger; store: SqliteStore } {
  const store = new SqliteStore(':memory:');
  return { l: openLedger(store), store };
}

function dropTriggers(db: Database.Database): void {
  for (const t of APPEND_ONLY_TABLES) db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
}

describe('audit chain', () => {
  it.each(KINDS)('links every write and verifies (%s)', (kind) => {
    const l = kind === 'memory' ? openMemoryLedger() : openSqliteLedger(':memory:');
    expect(l.head).toEqual({ sequence: 0, hash: GENESIS_HASH, at: 0 });
    expect(l.verifyChain()).toEqual({ ok: true, length: 0, head: l.head });
    populate(l);
    const events = [...l.auditEvents()];
    expect(events.map((e) => e.type)).toEqual([
      'ACCOUNT_OPENED',
      'ACCOUNT_OPENED',
      'ACCOUNT_OPENED',
      'TX_POSTED',
      'TX_POSTED',
      'TX_SETTLED',
      'TX_SETTLED',
      'TX_POSTED',
      'TX_FAILED',
      'TX_POSTED',
      'TX_SETTLED',
      'TX_REVERSED',
    ]);
    let prev = GENESIS_HASH;
    for (const e of events) {
      expect(e.prevHash).toBe(prev);
      const input = eventHashInput(e.sequence, e.type, e.payload, e.at, e.prevHash);
      expect(createHash('sha256').update(input).digest('hex')).toBe(e.hash);
      prev = e.hash;
    }
    expect(l.verifyChain()).toEqual({ ok: true, length: 12, head: l.head });
    expect(l.head.hash).toBe(prev);
    expect(l.replayBalances()).toMatchObject({
      ok: true,
      events: 12,
      accounts: 3,
      transactions: 4,
      mismatches: [],
    });
  });

  it.each(KINDS)('gives the head of the prefix at T (%s)', (kind) => {
    const l = kind === 'memory' ? openMemoryLedger() : openSqliteLedger(':memory:');
    populate(l);
    const events = [...l.auditEvents()];
    expect(l.auditHeadAt(T('00:00:00'))).toMatchObject({ sequence: 3, hash: events[2]!.hash });
    expect(l.auditHeadAt(T('01:59:59')).sequence).toBe(5);
    expect(l.auditHeadAt(T('02:00:00')).sequence).toBe(7);
    expect(l.auditHeadAt(T('23:00:00'))).toEqual(l.head);
    expect(l.auditHeadAt(T('00:00:00') - 1)).toEqual({ sequence: 0, hash: GENESIS_HASH, at: 0 });
  });

  it('hashes exactly the documented layout', () => {
    const prev = 'ab'.repeat(32);
    const input = eventHashInput(7, 'TX_SETTLED', '{"a":1}', 1000, prev);
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, AUDIT_EVENT_TAG.length]),
      Buffer.from(AUDIT_EVENT_TAG),
      Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7]),
      Buffer.from([0, 0, 0, 10]),
      Buffer.from('TX_SETTLED'),
      Buffer.from([0, 0, 0, 7]),
      Buffer.from('{"a":1}'),
      Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]),
      Buffer.from([0, 0, 0, 32]),
      Buffer.from(prev, 'hex'),
    ]);
    expect(input.equals(expected)).toBe(true);
    expect(computeEventHash(7, 'TX_SETTLED', '{"a":1}', 1000, prev)).toBe(
      createHash('sha256').update(expected).digest('hex'),
    );
    expect(computeEventHash(7, 'TX_SETTLED', '{"a":1}', 1001, prev)).not.toBe(
      computeEventHash(7, 'TX_SETTLED', '{"a":1}', 1000, prev),
    );
  });

  it('detects edits in a plain event list', () => {
    const l = openMemoryLedger();
    populate(l);
    const events = [...l.auditEvents()];
    const edit = (i: number, patch: Partial<AuditEvent>) =>
      events.map((e, j) => (j === i ? { ...e, ...patch } : e));
    expect(verifyAuditChain(events)).toMatchObject({ ok: true, length: 12 });
    expect(verifyAuditChain(edit(3, { type: 'TX_SETTLED' }))).toMatchObject({ ok: false, sequence: 4 });
    expect(verifyAuditChain(edit(3, { type: 'BOGUS' as never }))).toMatchObject({
      ok: false,
      sequence: 4,
      reason: /unknown event type/,
    });
    expect(verifyAuditChain(edit(3, { payload: events[3]!.payload + ' ' }))).toMatchObject({
      sequence: 4,
      reason: /canonical/,
    });
    expect(verifyAuditChain(edit(3, { at: events[2]!.at - 1 }))).toMatchObject({
      sequence: 4,
      reason: /earlier/,
    });
    expect(verifyAuditChain(events.slice(0, 11), l.head)).toMatchObject({
      ok: false,
      sequence: 12,
      reason: /missing/,
    });
  });
});

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

class FailingMemoryStore extends MemoryStore {
  failAppend = false;
  override appendEvent(e: AuditEvent): void {
    if (this.failAppend) throw new Error('injected failure');
    super.appendEvent(e);
  }
}

class FailingStore extends SqliteStore {
  failAppend = false;
  override appendEvent(e: AuditEvent): void {
    if (this.failAppend) throw new Error('injected failure between the table write and the audit append');
    super.appendEvent(e);
  }
}

describe('atomicity of a write and its audit event', () => {
  it('leaves neither the table row nor the event when the append fails', () => {
    const store = new FailingStore(':memory:');
    const l = openLedger(store);
    const count = (t: string) => store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    const reserve = l.openAccount('RESERVE', 'USD', 'bank', { openedAt: T('00:00:00') });
    const head = l.head;

    store.failAppend = true;
    expect(() => l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') })).toThrow(/injected/);
    expect(count('accounts')).toBe(1);
    expect(count('audit_events')).toBe(1);
    expect(l.head).toEqual(head);

    store.failAppend = false;
    const alice = l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') });
    const tx = new TransactionBuilder('deposit', 'ops', { initiatedAt: T('01:00:00') })
      .transfer(reserve, alice, usd('1.00'))
      .build();
    store.failAppend = true;
    expect(() => l.post(tx)).toThrow(/injected/);
    expect([count('transactions'), count('entries'), count('audit_events')]).toEqual([0, 0, 2]);

    store.failAppend = false;
    l.post(tx);
    store.failAppend = true;
    expect(() => l.settle(tx.id, T('02:00:00'))).toThrow(/injected/);
    expect(count('tx_outcomes')).toBe(0);
    expect(l.getTransaction(tx.id)!.status).toBe('PENDING');

    store.failAppend = false;
    l.settle(tx.id, T('02:00:00'));
    store.failAppend = true;
    expect(() => l.reverse(tx.id, T('03:00:00'), 'x')).toThrow(/injected/);
    expect([count('transactions'), count('tx_reversals'), count('tx_outcomes')]).toEqual([1, 0, 1]);

    store.failAppend = false;
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 4 });
    expect(l.replayBalances().ok).toBe(true);
    expect(l.balance(alice.id, T('02:00:00')).settled).toBe(100n);
  });

  it.each(KINDS)('rolls a batch back as a whole when a caught write failed mid-way (%s)', (kind) => {
    const store = kind === 'sqlite' ? new FailingStore(':memory:') : new FailingMemoryStore();
    const l = openLedger(store);
    l.openAccount('USER', 'USD', 'first', { openedAt: 0 });
    const head = l.head;
    expect(() =>
      l.batch(() => {
        l.openAccount('USER', 'USD', 'a', { openedAt: 0 });
        store.failAppend = true;
        expect(() => l.openAccount('USER', 'USD', 'b', { openedAt: 0 })).toThrow(/injected/);
        store.failAppend = false;
        l.openAccount('USER', 'USD', 'c', { openedAt: 0 });
      }),
    ).toThrow(/batch rolled back.*injected/);
    expect(store.countAccounts()).toBe(1);
    expect(l.head).toEqual(head);
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 1 });
    // a write refused by a rule (nothing stored) can be caught and the batch goes on
    l.batch(() => {
      l.openAccount('USER', 'USD', 'a', { openedAt: 0 });
      expect(() => l.openAccount('USER', 'USD', 'a', { openedAt: 0 })).toThrow(/already open/);
      expect(() => l.openAccount('USER', 'USD', 'z', { openedAt: -1 })).toThrow(/out of range/);
      l.openAccount('USER', 'USD', 'c', { openedAt: 0 });
    });
    expect(store.countAccounts()).toBe(3);
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 3 });
    expect(l.replayBalances().ok).toBe(true);
  });

  it('memory store rolls back the same way', () => {
    class FailingMemory extends MemoryStore {
      fail = false;
      override appendEvent(e: AuditEvent): void {
        if (this.fail) throw new Error('injected');
        super.appendEvent(e);
      }
    }
    const store = new FailingMemory();
    const l = openLedger(store as LedgerStore);
    store.fail = true;
    expect(() => l.openAccount('USER', 'USD', 'alice', { openedAt: 0 })).toThrow(/injected/);
    expect(store.countAccounts()).toBe(0);
    store.fail = false;
    l.openAccount('USER', 'USD', 'alice', { openedAt: 0 });
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 1 });
  });
});

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
    expect(() => openSqliteLedger(join(dir, 'no-such-dir', 'x.db'))).toThrow(StorageError);
    expect(() => openSqliteLedger('')).toThrow(StorageError);
  });

  it('sets WAL and a busy timeout', () => {
    const store = new SqliteStore(tmpFile(), { busyTimeoutMs: 1234 });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    store.close();
  });

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
});
