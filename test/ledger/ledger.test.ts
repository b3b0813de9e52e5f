import { describe, expect, it } from 'vitest';
import {
  CurrencyMismatchError,
  CurrencyRegistry,
  DuplicateAccountError,
  IdempotencyConflictError,
  InvalidAmountError,
  InvalidArgumentError,
  InvalidTimeError,
  LedgerClosedError,
  Money,
  TimeOrderError,
  TransactionBuilder,
  TransactionIntegrityError,
  TransactionStateError,
  UnbalancedTransactionError,
  UnknownAccountError,
  UnknownCurrencyError,
  UnknownTransactionError,
  accountId,
  openMemoryLedger,
  openSqliteLedger,
} from '../../src/index.js';
import type { Transaction } from '../../src/index.js';
import { KINDS, T, eur, makeLedger, usd, world } from './helpers.js';

const deposit = (w: ReturnType<typeof world>, to = w.alice, amount = '100.00', at = '01:00:00') =>
  new TransactionBuilder('deposit', 'ops', { initiatedAt: T(at) })
    .transfer(w.reserve, to, usd(amount))
    .build();

describe.each(KINDS)('ledger (%s)', (kind) => {
  describe('accounts', () => {
    it('content-addresses ids and refuses duplicates', () => {
      const l = makeLedger(kind);
      const a = l.openAccount('USER', 'USD', 'alice', { openedAt: '2026-01-01T00:00:00Z' });
      expect(a.id).toMatch(/^[0-9a-f]{64}$/);
      expect(a.id).toBe(accountId('USER', 'USD', 'alice'));
      expect(a).toEqual({
        id: a.id,
        ownerType: 'USER',
        currency: 'USD',
        externalRef: 'alice',
        openedAt: T('00:00:00'),
      });
      expect(Object.isFrozen(a)).toBe(true);
      expect(l.openAccount('USER', 'EUR', 'alice', { openedAt: T('00:00:00') }).id).not.toBe(a.id);
      expect(l.openAccount('PLATFORM', 'USD', 'alice', { openedAt: T('00:00:00') }).id).not.toBe(a.id);
      expect(() => l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:01') })).toThrow(
        DuplicateAccountError,
      );
      expect(l.getAccount(a.id)).toEqual(a);
      expect(l.getAccount('0'.repeat(64))).toBeUndefined();
    });

    it('refuses bad owner types, currencies, refs and missing times', () => {
      const l = makeLedger(kind);
      const at = { openedAt: T('00:00:00') };
      expect(() => l.openAccount('ALIEN' as never, 'USD', 'x', at)).toThrow(InvalidArgumentError);
      expect(() => l.openAccount('USER', 'XXX', 'x', at)).toThrow(UnknownCurrencyError);
      expect(() => l.openAccount('USER', 'usd', 'x', at)).toThrow(/invalid currency code/);
      expect(() => l.openAccount('USER', 'USD', '', at)).toThrow(InvalidArgumentError);
      expect(() => l.openAccount('USER', 'USD', 'x', {} as never)).toThrow(InvalidTimeError);
      expect(() => l.openAccount('USER', 'USD', 'x', undefined as never)).toThrow(InvalidTimeError);
      expect(() => l.openAccount('USER', 'USD', 'x', { openedAt: '2026-01-01T00:00:00' })).toThrow(/no zone/);
      expect(() => l.openAccount('USER', 'USD', 'bad\ud800', at)).toThrow(/lone UTF-16 surrogate/);
      expect(() => l.auditHeadAt(undefined as never)).toThrow(InvalidTimeError);
      expect(l.head.sequence).toBe(0);
    });

    it('accepts operator-registered assets from its registry only', () => {
      const currencies = new CurrencyRegistry();
      currencies.register('XAU', 3);
      const l =
        kind === 'memory' ? openMemoryLedger({ currencies }) : openSqliteLedger(':memory:', { currencies });
      const gold = l.openAccount('USER', 'XAU', 'alice', { openedAt: 0 });
      expect(gold.currency).toBe('XAU');
      expect(() => makeLedger(kind).openAccount('USER', 'XAU', 'alice', { openedAt: 0 })).toThrow(
        UnknownCurrencyError,
      );
    });
  });

  describe('posting', () => {
    it('posts a pending transfer with a content-addressed, frozen transaction', () => {
      const w = world(kind);
      const tx = new TransactionBuilder('deposit', 'ops', { initiatedAt: T('01:00:00') })
        .transfer(w.reserve, w.alice, usd('12.34'))
        .reference('bank:123')
        .metadata('channel', 'wire')
        .build();
      expect(tx.id).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.isFrozen(tx) && Object.isFrozen(tx.entries) && Object.isFrozen(tx.entries[0])).toBe(true);
      expect(Object.isFrozen(tx.metadata)).toBe(true);
      expect(tx.entries).toEqual([
        { account: w.reserve.id, currency: 'USD', side: 'DEBIT', amount: 1234n },
        { account: w.alice.id, currency: 'USD', side: 'CREDIT', amount: 1234n },
      ]);
      expect(w.ledger.post(tx)).toBe(tx);
      const rec = w.ledger.getTransaction(tx.id)!;
      expect(rec.status).toBe('PENDING');
      expect(rec.transaction).toEqual(tx);
      expect(() => {
        (tx as { purpose: string }).purpose = 'x';
      }).toThrow(TypeError);
    });

    it('is idempotent on identical content and on the idempotency key', () => {
      const w = world(kind);
      const tx = deposit(w);
      w.ledger.post(tx);
      const seq = w.ledger.head.sequence;
      expect(w.ledger.post(deposit(w)).id).toBe(tx.id); // same content rebuilt
      expect(w.ledger.head.sequence).toBe(seq);
      const k1 = new TransactionBuilder('deposit', 'ops', { initiatedAt: T('02:00:00') })
        .transfer(w.reserve, w.bob, usd('5'))
        .idempotencyKey('evt-1')
        .build();
      w.ledger.post(k1);
      expect(w.ledger.post(k1).id).toBe(k1.id);
      expect(w.ledger.head.sequence).toBe(seq + 1);
      const k1changed = new TransactionBuilder('deposit', 'ops', { initiatedAt: T('02:00:00') })
        .transfer(w.reserve, w.bob, usd('6'))
        .idempotencyKey('evt-1')
        .build();
      expect(() => w.ledger.post(k1changed)).toThrow(IdempotencyConflictError);
      // a duplicate is a no-op even after time moved on
      w.ledger.settle(k1.id, T('03:00:00'));
      expect(w.ledger.post(k1).id).toBe(k1.id);
      expect(w.ledger.getTransaction(k1.id)!.status).toBe('SETTLED');
    });

    it('refuses unbalanced, zero, negative, unknown-account and mismatched entries', () => {
      const w = world(kind);
      const b = () => new TransactionBuilder('x', 'ops', { initiatedAt: T('01:00:00') });
      expect(() => b().debit(w.reserve, usd('1')).credit(w.alice, usd('2')).build()).toThrow(
        UnbalancedTransactionError,
      );
      expect(() => b().debit(w.reserve, usd('1')).credit(w.aliceEur, eur('1')).build()).toThrow(
        UnbalancedTransactionError,
      );
      expect(() => b().build()).toThrow(UnbalancedTransactionError);
      expect(() => b().transfer(w.reserve, w.alice, usd('0'))).toThrow(InvalidAmountError);
      expect(() => b().transfer(w.reserve, w.alice, usd('-1'))).toThrow(InvalidAmountError);
      expect(() => b().transfer(w.reserve, w.alice, 100 as never)).toThrow(InvalidAmountError);
      expect(() => b().transfer(w.reserve, w.alice, 100n as never)).toThrow(InvalidAmountError);
      expect(() => b().transfer(w.reserve, w.reserve, usd('1'))).toThrow(InvalidArgumentError);
      expect(() => b().transfer(w.reserve, w.aliceEur, usd('1'))).toThrow(CurrencyMismatchError); // early check
      expect(() => b().transfer('not-an-id', w.alice, usd('1'))).toThrow(InvalidArgumentError);
      expect(() => b().transfer(w.reserve, w.alice, Money.of(1n << 128n, 'USD'))).not.toThrow();
      expect(() =>
        b()
          .transfer(w.reserve, w.alice, Money.of(1n << 128n, 'USD'))
          .build(),
      ).toThrow(/2\^128/);
      // currency mismatch found by the ledger when only ids are given
      expect(() => w.ledger.post(b().transfer(w.reserve.id, w.aliceEur.id, usd('1')).build())).toThrow(
        CurrencyMismatchError,
      );
      expect(() => w.ledger.post(b().transfer(w.reserve, 'ab'.repeat(32), usd('1')).build())).toThrow(
        UnknownAccountError,
      );
      expect(() => new TransactionBuilder('x', 'ops', {} as never)).toThrow(InvalidTimeError);
      expect(() => new TransactionBuilder('', 'ops', { initiatedAt: 0 })).toThrow(InvalidArgumentError);
      expect(() => b().metadata('k', 1 as never)).toThrow(InvalidArgumentError);
      expect(() => b().metadata('__proto__', 'x')).toThrow(InvalidArgumentError);
      expect(() => b().metadata('k', 'a').metadata('k', 'b')).toThrow(InvalidArgumentError);
      expect(w.ledger.snapshot(T('02:00:00')).accounts.every((a) => a.pendingCredits === 0n)).toBe(true);
    });

    it('refuses transaction objects edited or forged after build()', () => {
      const w = world(kind);
      const tx = deposit(w);
      const forged = { ...tx, entries: tx.entries.map((e) => ({ ...e, amount: e.amount * 2n })) };
      expect(() => w.ledger.post(forged as Transaction)).toThrow(TransactionIntegrityError);
      const copy = { ...tx, entries: tx.entries.map((e) => ({ ...e })) }; // a faithful copy is fine
      expect(w.ledger.post(copy as Transaction).id).toBe(tx.id);
      const rev = { ...deposit(w, w.bob), reverses: tx.id };
      expect(() => w.ledger.post(rev as Transaction)).toThrow(TransactionIntegrityError);
      expect(() => w.ledger.post(null as never)).toThrow(TransactionIntegrityError);
    });

    it('converts currencies with each leg balanced per currency', () => {
      const w = world(kind);
      const l = w.ledger;
      l.post(deposit(w, w.alice, '100.00', '01:00:00'));
      l.settle(l.post(deposit(w, w.alice, '100.00', '01:00:00')).id, T('01:00:00'));
      const fx = new TransactionBuilder('fx', 'alice', { initiatedAt: T('02:00:00') })
        .fxConvert(w.alice, w.aliceEur, usd('10.00'), eur('9.20'), { sell: w.fxUsd, buy: w.fxEur })
        .build();
      expect(fx.entries.map((e) => `${e.side} ${e.currency} ${e.amount}`)).toEqual([
        'DEBIT USD 1000',
        'CREDIT USD 1000',
        'DEBIT EUR 920',
        'CREDIT EUR 920',
      ]);
      l.post(fx);
      l.settle(fx.id, T('02:00:00'));
      const s = new Map(l.snapshot(T('03:00:00')).accounts.map((a) => [a.id, a]));
      expect(s.get(w.alice.id)!.settled).toBe(9000n);
      expect(s.get(w.aliceEur.id)!.settled).toBe(920n);
      expect(s.get(w.fxUsd.id)!.settled).toBe(1000n);
      expect(s.get(w.fxEur.id)!.settled).toBe(-920n);
      const b = new TransactionBuilder('fx', 'alice', { initiatedAt: T('02:00:00') });
      expect(() => b.fxConvert(w.alice, w.bob, usd('1'), usd('1'), { sell: w.fxUsd, buy: w.fxUsd })).toThrow(
        InvalidArgumentError,
      );
      expect(() =>
        b.fxConvert(w.alice, w.aliceEur, usd('1'), eur('1'), { sell: w.fxEur, buy: w.fxUsd }),
      ).toThrow(CurrencyMismatchError);
    });
  });

  describe('lifecycle', () => {
    it('settles, fails and reverses with the allowed transitions only', () => {
      const w = world(kind);
      const l = w.ledger;
      const a = l.post(deposit(w, w.alice, '100.00', '01:00:00'));
      const b = l.post(deposit(w, w.bob, '50.00', '01:00:00'));
      l.settle(a.id, T('02:00:00'));
      expect(() => l.settle(a.id, T('02:00:00'))).toThrow(/already settled/);
      expect(() => l.fail(a.id, 'late', T('02:00:00'))).toThrow(TransactionStateError);
      l.fail(b.id, 'bounced', T('02:00:00'));
      expect(() => l.settle(b.id, T('02:00:00'))).toThrow(/FAILED/);
      expect(() => l.fail(b.id, 'again', T('02:00:00'))).toThrow(TransactionStateError);
      expect(() => l.reverse(b.id, T('02:00:00'), 'x')).toThrow(TransactionStateError);
      const rev = l.reverse(a.id, T('03:00:00'), 'chargeback');
      expect(rev.reverses).toBe(a.id);
      expect(rev.entries.map((e) => e.side)).toEqual(['CREDIT', 'DEBIT']);
      expect(() => l.reverse(a.id, T('03:00:00'), 'again')).toThrow(/REVERSED/);
      expect(() => l.settle(a.id, T('03:00:00'))).toThrow(/REVERSED/);
      expect(() => l.reverse(rev.id, T('03:00:00'), 'undo')).toThrow(/itself a reversal/);
      const rec = l.getTransaction(a.id)!;
      expect(rec).toMatchObject({ status: 'REVERSED', settledAt: T('02:00:00'), reversedAt: T('03:00:00') });
      expect(rec.reversalId).toBe(rev.id);
      expect(l.getTransaction(rev.id)!.status).toBe('SETTLED');
      expect(l.getTransaction(b.id)).toMatchObject({
        status: 'FAILED',
        failReason: 'bounced',
        failedAt: T('02:00:00'),
      });
      const p = l.post(deposit(w, w.bob, '1.00', '04:00:00'));
      expect(() => l.reverse(p.id, T('04:00:00'), 'x')).toThrow(/fail it instead/);
      expect(() => l.settle('f'.repeat(64), T('05:00:00'))).toThrow(UnknownTransactionError);
      expect(() => l.fail(p.id, '', T('05:00:00'))).toThrow(InvalidArgumentError);
      expect(() => l.settle(p.id, undefined as never)).toThrow(InvalidTimeError);
      expect(() => l.fail(p.id, 'x', undefined as never)).toThrow(InvalidTimeError);
      expect(() => l.reverse(a.id, undefined as never, 'x')).toThrow(InvalidTimeError);
    });

    it('never lets ledger time go backwards (equal times allowed)', () => {
      const w = world(kind);
      const l = w.ledger;
      const a = l.post(deposit(w, w.alice, '1.00', '05:00:00'));
      expect(() => l.settle(a.id, T('04:00:00'))).toThrow(/before the transaction's initiation/);
      l.settle(a.id, T('05:00:00')); // equal time is fine
      expect(() => l.post(deposit(w, w.bob, '1.00', '04:59:59'))).toThrow(TimeOrderError);
      expect(() => l.openAccount('USER', 'USD', 'carol', { openedAt: T('04:00:00') })).toThrow(
        TimeOrderError,
      );
      const b = l.post(deposit(w, w.bob, '1.00', '06:00:00'));
      const c = l.post(deposit(w, w.bob, '2.00', '07:00:00'));
      expect(() => l.settle(b.id, T('06:30:00'))).toThrow(/never goes backwards/); // after init, before head
      expect(() => l.fail(b.id, 'x', T('06:30:00'))).toThrow(TimeOrderError);
      l.settle(c.id, T('08:00:00'));
      expect(() => l.reverse(c.id, T('07:30:00'), 'x')).toThrow(TimeOrderError);
      expect(l.getTransaction(b.id)!.status).toBe('PENDING');
    });
  });

  describe('balances', () => {
    it('reports settled and pending amounts on each normal side, exactly in time', () => {
      const w = world(kind);
      const l = w.ledger;
      const dep = l.post(deposit(w, w.alice, '100.00', '01:00:00'));
      l.settle(dep.id, T('02:00:00'));
      const wd = l.post(
        new TransactionBuilder('withdrawal', 'alice', { initiatedAt: T('03:00:00') })
          .transfer(w.alice, w.reserve, usd('30.00'))
          .transfer(w.alice, w.fee, usd('1.00'))
          .build(),
      );
      const at = (iso: string) => new Map(l.snapshot(T(iso)).accounts.map((a) => [a.id, a]));
      let s = at('01:30:00');
      expect(s.get(w.alice.id)).toMatchObject({
        settled: 0n,
        pendingCredits: 10000n,
        pendingDebits: 0n,
        liability: 10000n,
      });
      expect(s.get(w.reserve.id)).toMatchObject({ settled: 0n, pendingDebits: 10000n, liability: 0n });
      s = at('02:00:00'); // settled exactly at T counts
      expect(s.get(w.alice.id)).toMatchObject({ settled: 10000n, pendingCredits: 0n, liability: 10000n });
      expect(s.get(w.reserve.id)!.settled).toBe(10000n); // debit-normal
      s = at('03:00:00');
      // pending withdrawal stays inside the settled balance: liability not reduced, not added twice
      expect(s.get(w.alice.id)).toMatchObject({ settled: 10000n, pendingDebits: 3100n, liability: 10000n });
      expect(s.get(w.fee.id)).toMatchObject({ settled: 0n, pendingCredits: 100n });
      l.settle(wd.id, T('04:00:00'));
      s = at('04:00:00');
      expect(s.get(w.alice.id)).toMatchObject({ settled: 6900n, pendingDebits: 0n, liability: 6900n });
      expect(s.get(w.reserve.id)!.settled).toBe(7000n);
      expect(s.get(w.fee.id)!.settled).toBe(100n);
      // time travel is exact
      expect(at('03:59:59').get(w.alice.id)!.settled).toBe(10000n);
      expect(at('00:00:00').get(w.alice.id)!.settled).toBe(0n);
      expect(l.balance(w.alice.id, T('04:00:00'))).toEqual(s.get(w.alice.id));
      expect(l.balance(w.alice.id, T('01:59:59')).settled).toBe(0n);
      expect(() => l.balance('a'.repeat(64), T('04:00:00'))).toThrow(UnknownAccountError);
    });

    it('drops failed transactions from pending at the failure time', () => {
      const w = world(kind);
      const l = w.ledger;
      const tx = l.post(deposit(w, w.alice, '10.00', '01:00:00'));
      l.fail(tx.id, 'bounced', T('02:00:00'));
      expect(l.balance(w.alice.id, T('01:59:59')).pendingCredits).toBe(1000n);
      expect(l.balance(w.alice.id, T('02:00:00')).pendingCredits).toBe(0n);
      expect(l.balance(w.alice.id, T('09:00:00')).settled).toBe(0n);
    });

    it('keeps a reversed transaction settled and settles its reversal at the reversal time', () => {
      const w = world(kind);
      const l = w.ledger;
      const tx = l.post(deposit(w, w.alice, '10.00', '01:00:00'));
      l.settle(tx.id, T('02:00:00'));
      l.reverse(tx.id, T('03:00:00'), 'chargeback');
      expect(l.balance(w.alice.id, T('02:59:59')).settled).toBe(1000n);
      expect(l.balance(w.alice.id, T('03:00:00')).settled).toBe(0n);
      expect(l.balance(w.reserve.id, T('03:00:00')).settled).toBe(0n);
    });

    it('lists accounts opened by T, sorted by id, with the audit head at T', () => {
      const w = world(kind);
      const l = w.ledger;
      const late = l.openAccount('USER', 'USD', 'late', { openedAt: T('05:00:00') });
      const s = l.snapshot(T('04:00:00'));
      expect(s.at).toBe(T('04:00:00'));
      expect(s.accounts.map((a) => a.id)).not.toContain(late.id);
      const ids = s.accounts.map((a) => a.id);
      expect(ids).toEqual([...ids].sort());
      expect(s.auditHead).toEqual(l.auditHeadAt(T('04:00:00')));
      expect(s.auditHead.sequence).toBe(9);
      expect(l.snapshot(T('05:00:00')).accounts.map((a) => a.id)).toContain(late.id);
      expect(l.snapshot(T('05:00:00')).auditHead).toEqual(l.head);
      expect(() => l.snapshot(undefined as never)).toThrow(InvalidTimeError);
      expect(() => l.snapshot('2026-01-01T00:00:00')).toThrow(InvalidTimeError);
    });
  });

  describe('required reserves', () => {
    it('counts liabilities per currency, excludes negative users, compares with reserves', () => {
      const w = world(kind);
      const l = w.ledger;
      l.settle(l.post(deposit(w, w.alice, '100.00', '01:00:00')).id, T('01:00:00'));
      // bob overdraws to -20.00 through a platform-funded payout (negative user balance)
      const over = l.post(
        new TransactionBuilder('payout', 'ops', { initiatedAt: T('02:00:00') })
          .transfer(w.bob, w.reserve, usd('20.00'))
          .build(),
      );
      l.settle(over.id, T('02:00:00'));
      l.post(deposit(w, w.alice, '5.00', '03:00:00')); // pending deposit: obligation
      const eurDep = new TransactionBuilder('deposit', 'ops', { initiatedAt: T('03:00:00') })
        .transfer(w.reserveEur, w.aliceEur, eur('7.00'))
        .build();
      l.settle(l.post(eurDep).id, T('03:00:00'));
      const reports = l.requiredReserves(T('04:00:00'));
      expect(reports.map((r) => r.currency)).toEqual(['EUR', 'USD']);
      const u = reports.find((r) => r.currency === 'USD')!;
      expect(u).toEqual({
        currency: 'USD',
        userLiabilities: 10000n, // bob's -2000 counts as 0 and does not offset alice
        pendingObligations: 500n,
        required: 10500n,
        reserves: 8000n, // 100.00 in, 20.00 out
        surplus: -2500n,
        solvent: false,
      });
      const e = l.requiredReserves(T('04:00:00'), 'EUR');
      expect(e).toEqual([
        {
          currency: 'EUR',
          userLiabilities: 700n,
          pendingObligations: 0n,
          required: 700n,
          reserves: 700n,
          surplus: 0n,
          solvent: true,
        },
      ]);
      const snapLiab = l
        .snapshot(T('04:00:00'))
        .accounts.filter((a) => a.currency === 'USD')
        .reduce((s, a) => s + a.liability, 0n);
      expect(snapLiab).toBe(u.required);
      expect(l.requiredReserves(T('04:00:00'), 'BTC')[0]).toMatchObject({
        required: 0n,
        reserves: 0n,
        solvent: true,
      });
      expect(() => l.requiredReserves(T('04:00:00'), 'NOPE')).toThrow(UnknownCurrencyError);
    });
  });

  describe('batch and close', () => {
    it('commits a batch atomically and rolls all of it back on error', () => {
      const w = world(kind);
      const l = w.ledger;
      const head = l.head;
      expect(() =>
        l.batch(() => {
          l.post(deposit(w, w.alice, '1.00', '01:00:00'));
          l.openAccount('USER', 'USD', 'carol', { openedAt: T('01:00:00') });
          l.post(deposit(w, w.alice, '0', '01:00:00'));
        }),
      ).toThrow(InvalidAmountError);
      expect(l.head).toEqual(head);
      expect(l.getAccount(accountId('USER', 'USD', 'carol'))).toBeUndefined();
      expect(l.verifyChain()).toMatchObject({ ok: true, length: head.sequence });
      const n = l.batch(() => {
        l.post(deposit(w, w.alice, '1.00', '01:00:00'));
        l.openAccount('USER', 'USD', 'carol', { openedAt: T('01:00:00') });
        return 2;
      });
      expect(n).toBe(2);
      expect(l.head.sequence).toBe(head.sequence + 2);
      expect(l.replayBalances().ok).toBe(true);
    });

    it('refuses use after close', () => {
      const l = makeLedger(kind);
      l.close();
      l.close();
      expect(() => l.snapshot(0)).toThrow(LedgerClosedError);
      expect(() => l.openAccount('USER', 'USD', 'x', { openedAt: 0 })).toThrow(LedgerClosedError);
    });
  });
});
