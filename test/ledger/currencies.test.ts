// Operator currencies recorded in the ledger (CURRENCY_REGISTERED events, currencies table, schema v2).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPEND_ONLY_TABLES,
  AuditLogError,
  CurrencyRegistry,
  GENESIS_HEAD,
  InvalidCurrencyError,
  InvalidTimeError,
  MemoryStore,
  Money,
  SCHEMA_VERSION,
  SchemaVersionError,
  SqliteStore,
  TimeOrderError,
  TransactionBuilder,
  UnknownCurrencyError,
  applyEvent,
  defaultCurrencies,
  formatAmount,
  nextEvent,
  openLedger,
  openMemoryLedger,
  openSqliteLedger,
} from '../../src/index.js';
import type { AuditEvent, Ledger } from '../../src/index.js';
import { KINDS, T, makeLedger } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'zkreserve-currency-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmpFile = () => join(dir, `c${++fileNo}.db`);

/** ACME (4 decimals) registered, a reserve and a user in it, one settled deposit of 12.3456 ACME. */
function acmeLedger(l: Ledger): { depositId: string } {
  l.registerCurrency('ACME', 4, { at: T('00:00:00') });
  const reserve = l.openAccount('RESERVE', 'ACME', 'vault', { openedAt: T('00:00:00') });
  const alice = l.openAccount('USER', 'ACME', 'alice', { openedAt: T('00:00:00') });
  const tx = l.post(
    new TransactionBuilder('deposit', 'ops', { initiatedAt: T('01:00:00') })
      .transfer(reserve, alice, Money.parse('12.3456', 'ACME', l.currencies))
      .build(),
  );
  l.settle(tx.id, T('02:00:00'));
  return { depositId: tx.id };
}

function dropTriggers(db: Database.Database): void {
  for (const t of APPEND_ONLY_TABLES) db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
}

describe.each(KINDS)('ledger.registerCurrency (%s)', (kind) => {
  it('records the currency in the audit chain and lets accounts use it', () => {
    const l = makeLedger(kind);
    expect(() => l.openAccount('USER', 'ACME', 'alice', { openedAt: 0 })).toThrow(UnknownCurrencyError);
    acmeLedger(l);
    const [first] = [...l.auditEvents()];
    expect(first).toMatchObject({
      sequence: 1,
      type: 'CURRENCY_REGISTERED',
      at: T('00:00:00'),
      payload: `{"code":"ACME","exponent":4,"registeredAt":${T('00:00:00')}}`,
    });
    expect(l.currencies.get('ACME').exponent).toBe(4);
    expect(defaultCurrencies.has('ACME')).toBe(false); // not process-wide
    const [r] = l.requiredReserves(T('03:00:00'), 'ACME');
    expect(formatAmount(r!.required, 'ACME', l.currencies)).toBe('12.3456');
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 5 });
    expect(l.replayBalances()).toMatchObject({ ok: true, events: 5, mismatches: [] });
  });

  it('is a no-op for the same exponent and an error for another, writing nothing', () => {
    const l = makeLedger(kind);
    l.registerCurrency('ACME', 4, { at: T('05:00:00') });
    const head = l.head;
    // same exponent: no event, whatever the time (even one before the head)
    expect(l.registerCurrency('ACME', 4, { at: T('01:00:00') })).toEqual({ code: 'ACME', exponent: 4 });
    expect(l.head).toEqual(head);
    expect(() => l.registerCurrency('ACME', 2, { at: T('06:00:00') })).toThrow(
      /ACME is registered in the ledger with exponent 4, not 2/,
    );
    expect(l.head).toEqual(head);
    // built-ins need no registration; another exponent for one is refused
    expect(l.registerCurrency('USD', 2, { at: T('06:00:00') })).toEqual({ code: 'USD', exponent: 2 });
    expect(() => l.registerCurrency('BTC', 2, { at: T('06:00:00') })).toThrow(
      /BTC is a built-in currency with exponent 8, not 2/,
    );
    expect(l.head).toEqual(head);
    expect([...l.auditEvents()]).toHaveLength(1);
  });

  it('refuses bad codes, exponents, missing or earlier times', () => {
    const l = makeLedger(kind);
    l.registerCurrency('ACME', 4, { at: T('05:00:00') });
    const head = l.head;
    expect(() => l.registerCurrency('acme', 4, { at: T('06:00:00') })).toThrow(InvalidCurrencyError);
    expect(() => l.registerCurrency('X'.repeat(32), 4, { at: T('06:00:00') })).toThrow(InvalidCurrencyError);
    for (const bad of [-1, 37, 1.5, Number.NaN, '4', 4n]) {
      expect(() => l.registerCurrency('GOLD', bad as never, { at: T('06:00:00') }), String(bad)).toThrow(
        /invalid exponent/,
      );
    }
    expect(() => l.registerCurrency('GOLD', 3, undefined as never)).toThrow(InvalidTimeError);
    expect(() => l.registerCurrency('GOLD', 3, {} as never)).toThrow(InvalidTimeError);
    expect(() => l.registerCurrency('GOLD', 3, { at: T('04:59:59') })).toThrow(TimeOrderError);
    expect(l.head).toEqual(head);
    expect(l.currencies.has('GOLD')).toBe(false);
  });

  it('records a currency from the registry passed in when the first account uses it', () => {
    const currencies = new CurrencyRegistry();
    currencies.register('XAU', 3);
    const l =
      kind === 'memory' ? openMemoryLedger({ currencies }) : openSqliteLedger(':memory:', { currencies });
    l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') }); // built-in: nothing recorded
    l.openAccount('USER', 'XAU', 'alice', { openedAt: T('01:00:00') });
    l.openAccount('USER', 'XAU', 'bob', { openedAt: T('02:00:00') });
    expect([...l.auditEvents()].map((e) => [e.type, e.at])).toEqual([
      ['ACCOUNT_OPENED', T('00:00:00')],
      ['CURRENCY_REGISTERED', T('01:00:00')],
      ['ACCOUNT_OPENED', T('01:00:00')],
      ['ACCOUNT_OPENED', T('02:00:00')],
    ]);
    expect(l.replayBalances().ok).toBe(true);
  });

  it('rolls a registration back with its batch', () => {
    const l = makeLedger(kind);
    expect(() =>
      l.batch(() => {
        l.registerCurrency('ACME', 4, { at: 0 });
        l.openAccount('USER', 'ACME', 'a', { openedAt: 0 });
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(l.head).toEqual(GENESIS_HEAD);
    expect([...l.auditEvents()]).toEqual([]);
    // the registry kept it, so the next account records it again
    l.openAccount('USER', 'ACME', 'a', { openedAt: 0 });
    expect([...l.auditEvents()].map((e) => e.type)).toEqual(['CURRENCY_REGISTERED', 'ACCOUNT_OPENED']);
  });

  it('gives the same chain in memory and in SQLite', () => {
    const a = openMemoryLedger();
    const b = openSqliteLedger(':memory:');
    acmeLedger(a);
    acmeLedger(b);
    expect(b.head).toEqual(a.head);
    expect([...b.auditEvents()]).toEqual([...a.auditEvents()]);
  });
});

describe('registered currencies in a ledger file', () => {
  it('are restored by a fresh Ledger.sqlite without re-registering', () => {
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

  it('detects a tampered CURRENCY_REGISTERED event and an edited currencies table', () => {
    const store = new SqliteStore(':memory:');
    const l = openLedger(store);
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

describe('replaying CURRENCY_REGISTERED', () => {
  const event = (head: AuditEvent | undefined, type: AuditEvent['type'], payload: string, at = 0) =>
    nextEvent(head ?? GENESIS_HEAD, type, payload, at);

  it('refuses accounts in unregistered currencies and malformed or duplicate registrations', () => {
    const apply = (...events: AuditEvent[]) => {
      const s = new MemoryStore();
      s.atomic(() => events.forEach((e) => applyEvent(s, e)));
      return s;
    };
    const reg = event(undefined, 'CURRENCY_REGISTERED', '{"code":"ACME","exponent":4,"registeredAt":0}');
    expect(apply(reg).getCurrency('ACME')).toEqual({ code: 'ACME', exponent: 4, registeredAt: 0 });
    const accountEvent = (currency: string, prev?: AuditEvent) => {
      const l = openMemoryLedger({ currencies: new CurrencyRegistry() });
      if (currency !== 'USD') l.registerCurrency(currency, 4, { at: 0 });
      l.openAccount('USER', currency, 'a', { openedAt: 0 });
      const opened = [...l.auditEvents()].find((e) => e.type === 'ACCOUNT_OPENED')!;
      return event(prev, 'ACCOUNT_OPENED', opened.payload);
    };
    expect(() => apply(accountEvent('ACME'))).toThrow(AuditLogError);
    expect(() => apply(accountEvent('ACME'))).toThrow(/ACME is neither built in nor registered/);
    expect(apply(reg, accountEvent('ACME', reg)).countAccounts()).toBe(1);
    expect(() => apply(reg, event(reg, 'CURRENCY_REGISTERED', reg.payload))).toThrow(/registered twice/);
    for (const [payload, msg] of [
      ['{"code":"USD","exponent":2,"registeredAt":0}', /built-in/],
      ['{"code":"acme","exponent":2,"registeredAt":0}', /invalid currency code/],
      ['{"code":"ACME","exponent":99,"registeredAt":0}', /invalid exponent/],
      ['{"code":"ACME","exponent":"4","registeredAt":0}', /invalid exponent/],
      ['{"code":"ACME","exponent":4,"registeredAt":5}', /registeredAt differs/],
      ['{"code":"ACME","exponent":4,"extra":1,"registeredAt":0}', /unexpected payload fields/],
    ] as const) {
      expect(() => apply(event(undefined, 'CURRENCY_REGISTERED', payload)), payload).toThrow(msg);
    }
  });
});
