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

/** A currency's house accounts, its users (in opening order) and their balances as the history goes. */
interface CurrencyBook {
  hot: string;
  cold: string;
  platform: string;
  fees: string;
  users: string[];
  bal: bigint[];
}

/**
 * The demo history as it is written: one clock, one PRNG and one reference counter, so that every step draws
 * the same numbers in the same order on every run.
 */
class DemoHistory {
  readonly info: DemoLedgerInfo;
  readonly #ledger: Ledger;
  readonly #rng: Prng;
  #t = parseInstant(DEMO_START);
  #seq = 0;
  readonly #settleAfterSnapshot: string[] = [];
  readonly #pendingDeposits: Record<DemoCurrency, bigint> = { USD: 0n, ETH: 0n };
  readonly #deposited: Record<DemoCurrency, bigint> = { USD: 0n, ETH: 0n };
  readonly #books = {} as Record<DemoCurrency, CurrencyBook>;

  constructor(ledger: Ledger, rng: Prng, counts: Record<DemoCurrency, number>) {
    this.#ledger = ledger;
    this.#rng = rng;
    this.info = {
      snapshotTime: parseInstant(DEMO_SNAPSHOT),
      users: counts,
      pending: [],
      failed: [],
      reversed: [],
      negativeUsers: [],
      sampleUser: {} as DemoLedgerInfo['sampleUser'],
    };
  }

  /** Moves the clock 5 to 89 minutes on. */
  #step(): number {
    return (this.#t += (5 + this.#rng.int(85)) * MINUTE);
  }

  #open(type: OwnerType, c: DemoCurrency, ref: string): string {
    return this.#ledger.openAccount(type, c, ref, { openedAt: this.#t }).id;
  }

  /** Posts a transfer a step later (and settles it another step later); returns its id. */
  #post(purpose: string, from: string, to: string, c: DemoCurrency, amount: bigint, settle: boolean): string {
    const tx = new TransactionBuilder(purpose, 'demo-operator', { initiatedAt: this.#step() })
      .transfer(from, to, Money.of(amount, c, this.#ledger.currencies))
      .reference(`demo-${++this.#seq}`)
      .build();
    this.#ledger.post(tx);
    if (settle) this.#ledger.settle(tx.id, this.#step());
    return tx.id;
  }

  openHouseAccounts(): void {
    for (const c of DEMO_CURRENCIES) {
      const lower = c.toLowerCase();
      this.#books[c] = {
        hot: this.#open('RESERVE', c, c === 'USD' ? 'bank-operating-usd' : 'hot-wallet-eth'),
        cold: this.#open('RESERVE', c, c === 'USD' ? 'bank-custody-usd' : 'cold-wallet-eth'),
        platform: this.#open('PLATFORM', c, `platform-${lower}`),
        fees: this.#open('FEE', c, `fees-${lower}`),
        users: [],
        bal: [],
      };
    }
  }

  /** User `i` of currency `c`: opened with a deposit, then whatever of the demo's cases falls on `i`. */
  addUser(i: number, c: DemoCurrency): void {
    const a = this.#books[c];
    this.#step();
    const user = this.#open('USER', c, `${c.toLowerCase()}-user-${String(i).padStart(4, '0')}`);
    a.users.push(user);
    const dep = depositAmount(this.#rng, c);
    this.#post('deposit', a.hot, user, c, dep, true);
    this.#deposited[c] += dep;
    let bal = this.#incidents(a, user, c, i, dep);
    bal = this.#spend(a, user, c, i, bal);
    this.#inFlight(a, user, c, i, bal);
    a.bal.push(bal);
    if (i % 50 === 49) {
      // Move some reserves from the operating account / hot wallet into custody.
      this.#post('rebalance', a.cold, a.hot, c, this.#deposited[c] / 10n, true);
    }
  }

  /** A margin loss (user 11 ends up owing the platform), a failed and a reversed deposit; returns the balance. */
  #incidents(a: CurrencyBook, user: string, c: DemoCurrency, i: number, balance: bigint): bigint {
    let bal = balance;
    if (i === 11) {
      // A margin loss larger than the balance: this user owes the platform (liability counted as 0).
      this.#post('margin-loss', user, a.platform, c, bal + bal / 4n, true);
      bal -= bal + bal / 4n;
      this.info.negativeUsers.push(user);
    }
    if (i % 37 === 5) {
      const id = this.#post('deposit', a.hot, user, c, depositAmount(this.#rng, c), false);
      this.#ledger.fail(id, c === 'USD' ? 'card declined' : 'bridge transfer timed out', this.#step());
      this.info.failed.push(id);
    }
    if (i % 41 === 7) {
      const id = this.#post('deposit', a.hot, user, c, depositAmount(this.#rng, c), true);
      const reason = c === 'USD' ? 'chargeback' : 'deposit from a sanctioned address returned';
      this.#ledger.reverse(id, this.#step(), reason);
      this.info.reversed.push(id);
    }
    return bal;
  }

  /** Maybe a withdrawal, a fee and a transfer to an earlier user of the same currency; returns the balance. */
  #spend(a: CurrencyBook, user: string, c: DemoCurrency, i: number, balance: bigint): bigint {
    const rng = this.#rng;
    let bal = balance;
    if (bal > 0n && rng.chance(0.3)) {
      const w = (bal * BigInt(1 + rng.int(40))) / 100n;
      if (w > 0n) {
        this.#post('withdrawal', user, a.hot, c, w, true);
        bal -= w;
      }
    }
    if (bal > 0n && rng.chance(0.3)) {
      const fee = (bal * BigInt(1 + rng.int(10))) / 1000n;
      if (fee > 0n) {
        this.#post('fee', user, a.fees, c, fee, true);
        bal -= fee;
      }
    }
    if (bal > 0n && i > 0 && rng.chance(0.15)) {
      const j = rng.int(a.users.length - 1);
      const amt = (bal * BigInt(1 + rng.int(20))) / 100n;
      if (amt > 0n && a.bal[j]! >= 0n) {
        this.#post('transfer', user, a.users[j]!, c, amt, true);
        bal -= amt;
        a.bal[j] = a.bal[j]! + amt;
      }
    }
    return bal;
  }

  /** A deposit and a withdrawal in flight at the snapshot (settled after it). */
  #inFlight(a: CurrencyBook, user: string, c: DemoCurrency, i: number, bal: bigint): void {
    if (i % 29 === 3) {
      // A deposit in flight at the snapshot: it counts as an obligation already.
      const amt = depositAmount(this.#rng, c);
      const id = this.#post('deposit', a.hot, user, c, amt, false);
      this.info.pending.push(id);
      this.#settleAfterSnapshot.push(id);
      this.#pendingDeposits[c] += amt;
    }
    if (i % 13 === 0 && bal > 0n) {
      // A withdrawal in flight: still inside the settled balance until it settles.
      const id = this.#post('withdrawal', user, a.hot, c, bal / 2n, false);
      this.info.pending.push(id);
      this.#settleAfterSnapshot.push(id);
    }
  }

  /** Platform capital and the sample users; then, after the snapshot, the in-flight settlements and more. */
  finish(): void {
    for (const c of DEMO_CURRENCIES) {
      const a = this.#books[c];
      // Platform capital: covers the deposits in flight (not yet in the reserves) with a margin.
      const capital =
        this.#pendingDeposits[c] + this.#deposited[c] / 50n + (c === 'USD' ? 25_000_00n : 5n * E18);
      this.#post('capital', a.cold, a.platform, c, capital, true);
      const sample = a.users.findIndex(
        (u, k) => k >= 20 && a.bal[k]! > 0n && !this.info.negativeUsers.includes(u),
      );
      const s = a.users[sample >= 0 ? sample : 0]!;
      this.info.sampleUser[c] = { accountId: s, externalRef: this.#ledger.getAccount(s)!.externalRef };
    }
    const snapshot = this.info.snapshotTime;
    if (this.#t >= snapshot)
      throw new Error(`demo history runs past the snapshot (${this.#t}): lower the user counts`);
    // After the snapshot: the in-flight transactions settle and business goes on. None of it counts at T.
    this.#t = snapshot + 60 * MINUTE;
    for (const id of this.#settleAfterSnapshot) this.#ledger.settle(id, this.#step());
    const late = this.#open('USER', 'USD', 'usd-user-late');
    this.#post('deposit', this.#books.USD.hot, late, 'USD', 123_45n, true);
  }
}

/** Builds the demo history into `ledger` (one batch). The ledger should be empty. */
export function buildDemoLedger(ledger: Ledger, options: DemoLedgerOptions = {}): DemoLedgerInfo {
  const rng = mulberry32(options.seed ?? DEMO_SEED);
  const counts: Record<DemoCurrency, number> = { USD: options.usdUsers ?? 200, ETH: options.ethUsers ?? 100 };
  const history = new DemoHistory(ledger, rng, counts);
  ledger.batch(() => {
    history.openHouseAccounts();
    const max = Math.max(counts.USD, counts.ETH);
    for (let i = 0; i < max; i++) {
      for (const c of DEMO_CURRENCIES) if (i < counts[c]) history.addUser(i, c);
    }
    history.finish();
  });
  return history.info;
}
