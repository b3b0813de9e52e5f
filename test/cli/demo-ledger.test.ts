// The demo's ledger builder, directly: deterministic, and it has every case the demo claims to show.
import { describe, expect, it } from 'vitest';
import { openMemoryLedger } from '../../src/storage/open-ledger.js';
import { DEMO_SNAPSHOT, buildDemoLedger } from '../../src/demo/ledger.js';
import { mulberry32 } from '../../src/demo/prng.js';

const small = { usdUsers: 60, ethUsers: 45 };

describe('demo ledger', () => {
  it('is deterministic: the same history and audit head on every build, another with another seed', () => {
    const a = openMemoryLedger();
    const b = openMemoryLedger();
    const c = openMemoryLedger();
    const ia = buildDemoLedger(a, small);
    const ib = buildDemoLedger(b, small);
    buildDemoLedger(c, { ...small, seed: 7 });
    expect(a.head).toEqual(b.head);
    expect(ia).toEqual(ib);
    expect(c.head.hash).not.toBe(a.head.hash);
    expect(a.auditHeadAt(ia.snapshotTime)).toEqual(b.auditHeadAt(ib.snapshotTime));
  });

  it('has pending, failed, reversed transactions and a user owing the platform, and is solvent at T', () => {
    const l = openMemoryLedger();
    const info = buildDemoLedger(l, small);
    const T = info.snapshotTime;
    expect(T).toBe(Date.parse(DEMO_SNAPSHOT));
    expect(info.pending.length).toBeGreaterThan(0);
    expect(info.failed.length).toBeGreaterThan(0);
    expect(info.reversed.length).toBeGreaterThan(0);
    expect(info.negativeUsers.length).toBeGreaterThan(0);
    for (const id of info.failed) expect(l.getTransaction(id)!.status).toBe('FAILED');
    for (const id of info.reversed) expect(l.getTransaction(id)!.status).toBe('REVERSED');
    for (const id of info.pending) {
      const r = l.getTransaction(id)!;
      expect(r.transaction.initiatedAt).toBeLessThanOrEqual(T);
      expect(r.settledAt!).toBeGreaterThan(T); // pending at T, settled after it
    }
    const snap = l.snapshot(T);
    for (const id of info.negativeUsers) {
      const a = snap.accounts.find((x) => x.id === id)!;
      expect(a.ownerType).toBe('USER');
      expect(a.settled < 0n).toBe(true);
      expect(a.liability).toBe(0n);
    }
    expect(snap.accounts.some((a) => a.ownerType === 'USER' && a.pendingCredits > 0n)).toBe(true);
    expect(snap.accounts.some((a) => a.ownerType === 'USER' && a.pendingDebits > 0n)).toBe(true);
    const users = (c: string) =>
      snap.accounts.filter((a) => a.ownerType === 'USER' && a.currency === c).length;
    expect(users('USD')).toBe(60);
    expect(users('ETH')).toBe(45);
    for (const t of ['RESERVE', 'PLATFORM', 'FEE'])
      expect(snap.accounts.some((a) => a.ownerType === t)).toBe(true);
    const reports = l.requiredReserves(T);
    expect(reports.map((r) => r.currency).sort()).toEqual(['ETH', 'USD']);
    for (const r of reports) expect(r.solvent).toBe(true);
    // The ledger has moved past T: later events exist and do not count at T.
    expect(l.head.at).toBeGreaterThan(T);
    expect(l.auditHeadAt(T).sequence).toBeLessThan(l.head.sequence);
    // Realistic 18-decimal ETH balances (not whole ETH).
    const eth = snap.accounts.filter((a) => a.ownerType === 'USER' && a.currency === 'ETH' && a.settled > 0n);
    expect(eth.some((a) => a.settled % 10n ** 15n !== 0n)).toBe(true);
    expect(l.verifyChain().ok).toBe(true);
    expect(l.replayBalances().ok).toBe(true);
  });

  it('the PRNG is seeded and stays in range', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 100 }, () => a.int(10));
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.int(10)));
    expect(xs.every((x) => x >= 0 && x < 10)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(5);
    for (let i = 0; i < 50; i++) expect(a.big(1000n) < 1000n).toBe(true);
  });
});
