// Operator currencies recorded in the ledger (CURRENCY_REGISTERED events), and their replay. The currencies
// table of a SQLite file: test/storage/sqlite-file.test.ts, sqlite-schema.test.ts, sqlite-tamper.test.ts.
import { describe, expect, it } from 'vitest';
import {
  AuditLogError,
  CurrencyRegistry,
  GENESIS_HEAD,
  InvalidCurrencyError,
  InvalidTimeError,
  MemoryStore,
  TimeOrderError,
  UnknownCurrencyError,
  applyEvent,
  defaultCurrencies,
  formatAmount,
  nextEvent,
  openMemoryLedger,
  openSqliteLedger,
} from '../../src/index.js';
import type { AuditEvent } from '../../src/index.js';
import { KINDS, T, acmeLedger, makeLedger } from './helpers.js';

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
