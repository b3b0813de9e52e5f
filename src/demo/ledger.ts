// The demo's sample ledger: a few hundred users in USD and ETH with deposits, withdrawals, fees, transfers
// between users, pending, failed and reversed transactions and a user who owes the platform. Every time and
// amount comes from a seeded PRNG, so the same ledger (and audit head) is built on every run.
import type { Ledger } from '../ledger/ledger.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import type { OwnerType } from '../ledger/types.js';
import { Money } from '../money/money.js';
import { parseInstant } from '../time.js';
import { mulberry32 } from './prng.js';
import type { Prng } from './prng.js';

export const DEMO_START = '2025-01-01T00:00:00.000Z';
/** The snapshot instant the demo proves at; the ledger has moved past it (a few events come later). */
export const DEMO_SNAPSHOT = '2025-06-30T00:00:00.000Z';
export const DEMO_SEED = 20250630;
export const DEMO_CURRENCIES = ['USD', 'ETH'] as const;
export type DemoCurrency = (typeof DEMO_CURRENCIES)[number];

export interface DemoLedgerOptions {
  usdUsers?: number;
  ethUsers?: number;
  seed?: number;
}

export interface DemoLedgerInfo {
  snapshotTime: number;
  users: Record<DemoCurrency, number>;
  /** Transaction ids pending at the snapshot (deposits and withdrawals in flight). */
  pending: string[];
  failed: string[];
  reversed: string[];
  /** USER account ids with a negative settled balance at the snapshot. */
  negativeUsers: string[];
  /** One ordinary user per currency, whose packet the demo checks. */
  sampleUser: Record<DemoCurrency, { accountId: string; externalRef: string }>;
}

const MINUTE = 60_000;
const E18 = 10n ** 18n;

/** A random deposit in minor units: USD $10 .. ~$50k (a few up to ~$500k), ETH 0.01 .. ~50 ETH in wei. */
function depositAmount(rng: Prng, currency: DemoCurrency): bigint {
  if (currency === 'USD') {
    const base = 1_000n + BigInt(rng.int(5_000_000));
    return rng.chance(0.05) ? base + BigInt(rng.int(50_000_000)) : base;
  }
  // milli-ETH granularity plus sub-milli-ETH noise: realistic 18-decimal balances.
  return 10n ** 16n + BigInt(rng.int(50_000)) * 10n ** 15n + rng.big(10n ** 15n);
}

/** Builds the demo history into `ledger` (one batch). The ledger should be empty. */
export function buildDemoLedger(ledger: Ledger, options: DemoLedgerOptions = {}): DemoLedgerInfo {
  const rng = mulberry32(options.seed ?? DEMO_SEED);
  const counts: Record<DemoCurrency, number> = { USD: options.usdUsers ?? 200, ETH: options.ethUsers ?? 100 };
  const snapshot = parseInstant(DEMO_SNAPSHOT);
  let t = parseInstant(DEMO_START);
  const step = (): number => (t += (5 + rng.int(85)) * MINUTE);
  const info: DemoLedgerInfo = {
    snapshotTime: snapshot,
    users: counts,
    pending: [],
    failed: [],
    reversed: [],
    negativeUsers: [],
    sampleUser: {} as DemoLedgerInfo['sampleUser'],
  };
  const settleAfterSnapshot: string[] = [];
  const pendingDeposits: Record<DemoCurrency, bigint> = { USD: 0n, ETH: 0n };
  const deposited: Record<DemoCurrency, bigint> = { USD: 0n, ETH: 0n };

  const open = (type: OwnerType, c: DemoCurrency, ref: string) =>
    ledger.openAccount(type, c, ref, { openedAt: t }).id;
  let seq = 0;
  const post = (
    purpose: string,
    from: string,
    to: string,
    c: DemoCurrency,
    amount: bigint,
    settle: boolean,
  ): string => {
    const tx = new TransactionBuilder(purpose, 'demo-operator', { initiatedAt: step() })
      .transfer(from, to, Money.of(amount, c, ledger.currencies))
      .reference(`demo-${++seq}`)
      .build();
    ledger.post(tx);
    if (settle) ledger.settle(tx.id, step());
    return tx.id;
  };

  ledger.batch(() => {
    const acct = {} as Record<
      DemoCurrency,
      { hot: string; cold: string; platform: string; fees: string; users: string[]; bal: bigint[] }
    >;
    for (const c of DEMO_CURRENCIES) {
      const lower = c.toLowerCase();
      acct[c] = {
        hot: open('RESERVE', c, c === 'USD' ? 'bank-operating-usd' : 'hot-wallet-eth'),
        cold: open('RESERVE', c, c === 'USD' ? 'bank-custody-usd' : 'cold-wallet-eth'),
        platform: open('PLATFORM', c, `platform-${lower}`),
        fees: open('FEE', c, `fees-${lower}`),
        users: [],
        bal: [],
      };
    }
    const max = Math.max(counts.USD, counts.ETH);
    for (let i = 0; i < max; i++) {
      for (const c of DEMO_CURRENCIES) {
        if (i >= counts[c]) continue;
        const a = acct[c];
        step();
        const ref = `${c.toLowerCase()}-user-${String(i).padStart(4, '0')}`;
        const user = open('USER', c, ref);
        a.users.push(user);
        const dep = depositAmount(rng, c);
        post('deposit', a.hot, user, c, dep, true);
        deposited[c] += dep;
        let bal = dep;
        if (i === 11) {
          // A margin loss larger than the balance: this user owes the platform (liability counted as 0).
          post('margin-loss', user, a.platform, c, bal + bal / 4n, true);
          bal -= bal + bal / 4n;
          info.negativeUsers.push(user);
        }
        if (i % 37 === 5) {
          const id = post('deposit', a.hot, user, c, depositAmount(rng, c), false);
          ledger.fail(id, c === 'USD' ? 'card declined' : 'bridge transfer timed out', step());
          info.failed.push(id);
        }
        if (i % 41 === 7) {
          const id = post('deposit', a.hot, user, c, depositAmount(rng, c), true);
          ledger.reverse(
            id,
            step(),
            c === 'USD' ? 'chargeback' : 'deposit from a sanctioned address returned',
          );
          info.reversed.push(id);
        }
        if (bal > 0n && rng.chance(0.3)) {
          const w = (bal * BigInt(1 + rng.int(40))) / 100n;
          if (w > 0n) {
            post('withdrawal', user, a.hot, c, w, true);
            bal -= w;
          }
        }
        if (bal > 0n && rng.chance(0.3)) {
          const fee = (bal * BigInt(1 + rng.int(10))) / 1000n;
          if (fee > 0n) {
            post('fee', user, a.fees, c, fee, true);
            bal -= fee;
          }
        }
        if (bal > 0n && i > 0 && rng.chance(0.15)) {
          const j = rng.int(a.users.length - 1);
          const amt = (bal * BigInt(1 + rng.int(20))) / 100n;
          if (amt > 0n && a.bal[j]! >= 0n) {
            post('transfer', user, a.users[j]!, c, amt, true);
            bal -= amt;
            a.bal[j] = a.bal[j]! + amt;
          }
        }
        if (i % 29 === 3) {
          // A deposit in flight at the snapshot: it counts as an obligation already.
          const amt = depositAmount(rng, c);
          const id = post('deposit', a.hot, user, c, amt, false);
          info.pending.push(id);
          settleAfterSnapshot.push(id);
          pendingDeposits[c] += amt;
        }
        if (i % 13 === 0 && bal > 0n) {
          // A withdrawal in flight: still inside the settled balance until it settles.
          const id = post('withdrawal', user, a.hot, c, bal / 2n, false);
          info.pending.push(id);
          settleAfterSnapshot.push(id);
        }
        a.bal.push(bal);
        if (i % 50 === 49) {
          // Move some reserves from the operating account / hot wallet into custody.
          post('rebalance', a.cold, a.hot, c, deposited[c] / 10n, true);
        }
      }
    }
    for (const c of DEMO_CURRENCIES) {
      const a = acct[c];
      // Platform capital: covers the deposits in flight (not yet in the reserves) with a margin.
      const capital = pendingDeposits[c] + deposited[c] / 50n + (c === 'USD' ? 25_000_00n : 5n * E18);
      post('capital', a.cold, a.platform, c, capital, true);
      const sample = a.users.findIndex(
        (u, k) => k >= 20 && a.bal[k]! > 0n && !info.negativeUsers.includes(u),
      );
      const s = a.users[sample >= 0 ? sample : 0]!;
      info.sampleUser[c] = { accountId: s, externalRef: ledger.getAccount(s)!.externalRef };
    }
    if (t >= snapshot) throw new Error(`demo history runs past the snapshot (${t}): lower the user counts`);
    // After the snapshot: the in-flight transactions settle and business goes on. None of it counts at T.
    t = snapshot + 60 * MINUTE;
    for (const id of settleAfterSnapshot) ledger.settle(id, step());
    const late = open('USER', 'USD', 'usd-user-late');
    post('deposit', acct.USD.hot, late, 'USD', 123_45n, true);
  });
  return info;
}
