import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Money,
  TransactionBuilder,
  canonicalJson,
  formatInstant,
  openMemoryLedger,
  openSqliteLedger,
  parseInstant,
} from '../../src/index.js';
import type { CanonicalValue, Ledger } from '../../src/index.js';
import { forbidClock, restoreClock } from '../support/clock-guard.js';

/** Every write, snapshot and hash path, with explicit times only. Returns everything observable as text. */
function scenario(l: Ledger): string {
  const t = (iso: string) => `2026-03-01T${iso}+09:00`;
  const reserve = l.openAccount('RESERVE', 'USD', 'bank', { openedAt: t('09:00:00') });
  const reserveEth = l.openAccount('RESERVE', 'ETH', 'cold-wallet', {
    openedAt: new Date(parseInstant(t('09:00:00'))),
  });
  const users = ['u1', 'u2', 'u3'].map((ref) =>
    l.openAccount('USER', 'USD', ref, { openedAt: t('09:00:00') }),
  );
  const eth = l.openAccount('USER', 'ETH', 'u1', { openedAt: t('09:00:00') });
  const fxUsd = l.openAccount('FX_GAIN_LOSS', 'USD', 'fx', { openedAt: t('09:00:00') });
  const fxEth = l.openAccount('FX_GAIN_LOSS', 'ETH', 'fx', { openedAt: t('09:00:00') });
  const txs = users.map((u, i) =>
    l.post(
      new TransactionBuilder('deposit', 'ops', { initiatedAt: t(`10:0${i}:00`) })
        .transfer(reserve, u, Money.parse(`${i + 1}00.25`, 'USD'))
        .idempotencyKey(`dep-${i}`)
        .build(),
    ),
  );
  l.batch(() => {
    l.settle(txs[0]!.id, t('11:00:00'));
    l.settle(txs[1]!.id, t('11:00:00'));
  });
  l.fail(txs[2]!.id, 'bounced', t('11:30:00'));
  const e = l.post(
    new TransactionBuilder('deposit', 'ops', { initiatedAt: t('12:00:00') })
      .transfer(reserveEth, eth, Money.parse('1.000000000000000001', 'ETH'))
      .build(),
  );
  l.settle(e.id, t('12:00:00'));
  const fx = l.post(
    new TransactionBuilder('fx', 'u1', { initiatedAt: t('12:30:00') })
      .fxConvert(users[0]!, eth, Money.parse('10', 'USD'), Money.parse('0.003', 'ETH'), {
        sell: fxUsd,
        buy: fxEth,
      })
      .build(),
  );
  l.settle(fx.id, t('12:30:00'));
  l.reverse(txs[1]!.id, t('13:00:00'), 'chargeback');
  const out: CanonicalValue = {
    ids: [reserve.id, ...users.map((u) => u.id), ...txs.map((x) => x.id), e.id, fx.id],
    snapshots: ['10:30:00', '11:00:00', '12:45:00', '13:00:00'].map((s) => {
      const snap = l.snapshot(t(s));
      return {
        at: formatInstant(snap.at),
        accounts: snap.accounts.map((a) => ({ ...a })),
        head: { ...snap.auditHead },
      };
    }),
    reserves: l.requiredReserves(t('13:00:00')).map((r) => ({ ...r })),
    heads: [l.auditHeadAt(t('11:00:00')), l.head].map((h) => ({ ...h })),
    verify: l.verifyChain().ok,
    replay: l.replayBalances().ok,
    events: [...l.auditEvents()].map((ev) => ({ ...ev })),
  };
  return canonicalJson(out);
}

describe('determinism', () => {
  beforeEach(forbidClock);
  afterEach(restoreClock);

  it('the clock guard really throws', () => {
    expect(() => Date.now()).toThrow(/wall clock/);
    expect(() => new Date()).toThrow(/wall clock/);
    expect(() => (Date as unknown as () => string)()).toThrow(/wall clock/);
    expect(() => performance.now()).toThrow(/wall clock/);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  it('runs every snapshot and hash path without a clock; memory and sqlite agree byte for byte', () => {
    const runs = [openMemoryLedger(), openSqliteLedger(':memory:'), openMemoryLedger()].map((l) => {
      const s = scenario(l);
      l.close();
      return s;
    });
    expect(runs[0]).toContain('"verify":true');
    expect(runs[0]).toContain('"replay":true');
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
  });
});
