// Property-based fuzzing of the ledger (fast-check): random operation sequences, run on a memory and a SQLite
// ledger side by side and checked against a small independent model. `npm run test:fuzz` (not in the default
// run). On failure fast-check prints the seed and the counterexample path: re-run with
// `{ seed, path }` in fc.assert's parameters to replay it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_CURRENCIES,
  CurrencyRegistry,
  DecimalParseError,
  DuplicateAccountError,
  IdempotencyConflictError,
  InvalidAmountError,
  Money,
  OWNER_TYPES,
  TimeOrderError,
  TransactionBuilder,
  TransactionIntegrityError,
  TransactionStateError,
  UnknownAccountError,
  assertBigintAmount,
  formatAmount,
  openMemoryLedger,
  openSqliteLedger,
  parseAmount,
} from '../../src/index.js';
import type { Account, Ledger, OwnerType, Transaction } from '../../src/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const STEP = 1000;
/** ACME is an operator currency registered (in the ledger) at T0; the rest are built in. */
const CURRENCIES = ['USD', 'EUR', 'BTC', 'ACME'] as const;
const DEBIT_NORMAL = new Set<OwnerType>(['RESERVE', 'CLEARING']);
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 500);

// ---- the model -------------------------------------------------------------------------------------------

interface MAccount {
  readonly account: Account;
}
interface MEntry {
  readonly account: string;
  readonly side: 'DEBIT' | 'CREDIT';
  readonly amount: bigint;
}
interface MTx {
  readonly id: string;
  readonly initiatedAt: number;
  readonly entries: readonly MEntry[];
  readonly isReversal: boolean;
  readonly idempotencyKey: string | null;
  settledAt: number | null;
  failedAt: number | null;
  reversed: boolean;
}

interface MBalance {
  settled: bigint;
  pendingCredits: bigint;
  pendingDebits: bigint;
  liability: bigint;
}

class Model {
  readonly accounts: MAccount[] = [];
  readonly txs: MTx[] = [];
  /** Latest event time (ledger time never goes backwards). */
  now = T0;

  balanceAt(a: Account, t: number): MBalance {
    let sd = 0n;
    let sc = 0n;
    let pd = 0n;
    let pc = 0n;
    for (const tx of this.txs) {
      if (tx.initiatedAt > t) continue;
      const settled = tx.settledAt !== null && tx.settledAt <= t;
      const failed = tx.failedAt !== null && tx.failedAt <= t;
      if (!settled && failed) continue;
      for (const e of tx.entries) {
        if (e.account !== a.id) continue;
        if (settled) {
          if (e.side === 'DEBIT') sd += e.amount;
          else sc += e.amount;
        } else if (e.side === 'DEBIT') pd += e.amount;
        else pc += e.amount;
      }
    }
    const settled = DEBIT_NORMAL.has(a.ownerType) ? sd - sc : sc - sd;
    const liability = a.ownerType === 'USER' ? (settled > 0n ? settled : 0n) + pc : 0n;
    return { settled, pendingCredits: pc, pendingDebits: pd, liability };
  }

  /** Required reserves per currency at t, straight from the definition in docs/ledger.md section 8. */
  reservesAt(t: number): Map<string, { required: bigint; reserves: bigint }> {
    const out = new Map<string, { required: bigint; reserves: bigint }>();
    for (const { account: a } of this.accounts) {
      if (a.openedAt > t) continue;
      const r = out.get(a.currency) ?? { required: 0n, reserves: 0n };
      const b = this.balanceAt(a, t);
      if (a.ownerType === 'USER') r.required += (b.settled > 0n ? b.settled : 0n) + b.pendingCredits;
      if (a.ownerType === 'RESERVE') r.reserves += b.settled;
      out.set(a.currency, r);
    }
    return out;
  }
}

// ---- operations ------------------------------------------------------------------------------------------

/** dt in steps after the model's current time; -1 is an invalid (earlier) time. */
const dtArb = fc.integer({ min: -1, max: 3 });
const amountArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 10_000n }),
  fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }),
);

/** A run of operations: one by one, inside a batch on each ledger, or inside a batch that is then aborted. */
interface Group {
  mode: 'plain' | 'batch' | 'abort';
  ops: Op[];
}

type Op =
  | { k: 'open'; owner: number; cur: number; ref: number; dt: number }
  | {
      k: 'post';
      legs: { from: number; to: number; amount: bigint }[];
      dt: number;
      ref: number;
      key: number | null;
    }
  | { k: 'repost'; tx: number }
  | { k: 'keyConflict'; tx: number; from: number; to: number; dt: number }
  | { k: 'settle' | 'fail' | 'reverse'; tx: number; dt: number }
  | { k: 'unknownAccount'; from: number; dt: number }
  | { k: 'tampered'; tx: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('open' as const),
      owner: fc.nat(OWNER_TYPES.length - 1),
      cur: fc.nat(CURRENCIES.length - 1),
      ref: fc.nat(5),
      dt: dtArb,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('post' as const),
      legs: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), amount: amountArb }), {
        minLength: 1,
        maxLength: 3,
      }),
      dt: dtArb,
      ref: fc.nat(1_000_000),
      key: fc.option(fc.nat(3), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('repost' as const), tx: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('keyConflict' as const),
      tx: fc.nat(),
      from: fc.nat(),
      to: fc.nat(),
      dt: dtArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constantFrom('settle' as const, 'fail' as const, 'reverse' as const),
      tx: fc.nat(),
      dt: dtArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('unknownAccount' as const), from: fc.nat(), dt: dtArb }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('tampered' as const), tx: fc.nat() }) },
);

/** Runs `fn` on both ledgers; both must succeed with equal results, or both throw the same error class. */
function both<T>(
  ledgers: readonly Ledger[],
  fn: (l: Ledger) => T,
): { ok: true; value: T } | { ok: false; error: Error } {
  const results = ledgers.map((l) => {
    const before = l.head;
    try {
      return { ok: true as const, value: fn(l) };
    } catch (e) {
      expect(l.head, 'a refused write changed the head').toEqual(before);
      return { ok: false as const, error: e as Error };
    }
  });
  const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
  expect(
    b.ok,
    `memory ${a.ok ? 'accepted' : a.error.message}; sqlite ${b.ok ? 'accepted' : b.error.message}`,
  ).toBe(a.ok);
  if (a.ok && b.ok) expect(b.value).toEqual(a.value);
  if (!a.ok && !b.ok) expect(b.error.constructor).toBe(a.error.constructor);
  return a;
}

/** How often each operation was accepted / refused over the whole property (printed, and checked for coverage). */
const stats = new Map<string, { accepted: number; refused: number }>();
let maxEvents = 0;
function count(kind: string, ok: boolean): void {
  const s = stats.get(kind) ?? { accepted: 0, refused: 0 };
  if (ok) s.accepted++;
  else s.refused++;
  stats.set(kind, s);
}

function expectRefused(
  r: { ok: boolean; error?: Error },
  cls: new (...a: never[]) => Error,
  what: string,
): void {
  expect(r.ok, `${what} should be refused`).toBe(false);
  expect((r as { error: Error }).error, what).toBeInstanceOf(cls);
}

/** Applies `ops` to a model and to a memory and a SQLite ledger, then checks them against each other. */
function interpret(groups: Group[], checkSteps: number[]): void {
  const model = new Model();
  const ledgers = [openMemoryLedger(), openSqliteLedger(':memory:')] as const;
  const reg = ledgers[0].currencies;
  both(ledgers, (l) => l.registerCurrency('ACME', 4, { at: T0 }));
  // A reserve and two users in every currency, so that most generated transfers have somewhere to go.
  for (const cur of CURRENCIES) {
    for (const [owner, ref] of [
      ['RESERVE', 'bank'],
      ['USER', 'alice'],
      ['USER', 'bob'],
    ] as const) {
      const r = both(ledgers, (l) => l.openAccount(owner, cur, ref, { openedAt: T0 }));
      if (r.ok) model.accounts.push({ account: r.value });
    }
  }
  let keyNo = 0;

  const at = (dt: number) => model.now + dt * STEP;
  const advance = (t: number) => {
    model.now = Math.max(model.now, t);
  };
  const pick = <X>(xs: readonly X[], i: number): X | undefined => (xs.length ? xs[i % xs.length] : undefined);

  const apply = (op: Op): void => {
    const seqBefore = ledgers[0].head.sequence;
    const modelTxs = model.txs.length;
    const modelAccounts = model.accounts.length;
    switch (op.k) {
      case 'open': {
        const owner = OWNER_TYPES[op.owner]!;
        const cur = CURRENCIES[op.cur]!;
        const ref = `r${op.ref}`;
        const t = at(op.dt);
        const r = both(ledgers, (l) => l.openAccount(owner, cur, ref, { openedAt: t }));
        const dup = model.accounts.some(
          ({ account: a }) => a.ownerType === owner && a.currency === cur && a.externalRef === ref,
        );
        if (dup) expectRefused(r, DuplicateAccountError, 'duplicate account');
        else if (t < model.now) expectRefused(r, TimeOrderError, 'account opened in the past');
        else {
          expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
          if (r.ok) model.accounts.push({ account: r.value });
          advance(t);
        }
        break;
      }
      case 'post': {
        const b = new TransactionBuilder('transfer', 'fuzz', { initiatedAt: at(op.dt) }).reference(
          `p${op.ref}`,
        );
        const entries: MEntry[] = [];
        for (const leg of op.legs) {
          const from = pick(model.accounts, leg.from)?.account;
          if (!from) continue;
          const same = model.accounts.filter(
            ({ account: a }) => a.currency === from.currency && a.id !== from.id,
          );
          const to = pick(same, leg.to)?.account;
          if (!to) continue;
          b.transfer(from, to, Money.of(leg.amount, from.currency, reg));
          entries.push(
            { account: from.id, side: 'DEBIT', amount: leg.amount },
            { account: to.id, side: 'CREDIT', amount: leg.amount },
          );
        }
        if (entries.length === 0) break;
        const key = op.key === null ? null : `k${keyNo++}`;
        if (key !== null) b.idempotencyKey(key);
        const tx = b.build();
        const t = tx.initiatedAt;
        const r = both(ledgers, (l) => l.post(tx));
        if (model.txs.some((m) => m.id === tx.id)) {
          expect(r.ok).toBe(true); // same content: a no-op returning the stored transaction
        } else if (t < model.now) expectRefused(r, TimeOrderError, 'transaction initiated in the past');
        else {
          expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
          model.txs.push({
            id: tx.id,
            initiatedAt: t,
            entries,
            isReversal: false,
            idempotencyKey: key,
            settledAt: null,
            failedAt: null,
            reversed: false,
          });
          advance(t);
        }
        break;
      }
      case 'repost': {
        const m = pick(
          model.txs.filter((x) => !x.isReversal),
          op.tx,
        );
        if (!m) break;
        const stored = ledgers[0].getTransaction(m.id)!.transaction;
        const before = ledgers.map((l) => l.head);
        const r = both(ledgers, (l) => l.post(stored));
        expect(r.ok && r.value.id).toBe(m.id);
        expect(ledgers.map((l) => l.head)).toEqual(before);
        break;
      }
      case 'keyConflict': {
        const m = pick(
          model.txs.filter((x) => x.idempotencyKey !== null),
          op.tx,
        );
        const from = pick(model.accounts, op.from)?.account;
        if (!m || !from) break;
        const to = pick(
          model.accounts.filter(({ account: a }) => a.currency === from.currency && a.id !== from.id),
          op.to,
        )?.account;
        if (!to) break;
        const tx = new TransactionBuilder('other', 'fuzz', { initiatedAt: at(op.dt) })
          .transfer(from, to, Money.of(1n, from.currency, reg))
          .reference('conflict')
          .idempotencyKey(m.idempotencyKey!)
          .build();
        expectRefused(
          both(ledgers, (l) => l.post(tx)),
          IdempotencyConflictError,
          'reused idempotency key',
        );
        break;
      }
      case 'settle':
      case 'fail':
      case 'reverse': {
        const m = pick(model.txs, op.tx);
        if (!m) break;
        const t = at(op.dt);
        const status = m.reversed
          ? 'REVERSED'
          : m.failedAt !== null
            ? 'FAILED'
            : m.settledAt !== null
              ? 'SETTLED'
              : 'PENDING';
        const r = both(ledgers, (l) => {
          if (op.k === 'settle') return l.settle(m.id, t);
          if (op.k === 'fail') return l.fail(m.id, 'bounced', t);
          return l.reverse(m.id, t, 'chargeback').id;
        });
        if (op.k === 'reverse') {
          if (status !== 'SETTLED' || m.isReversal)
            expectRefused(r, TransactionStateError, `reverse ${status}`);
          else if (t < m.settledAt! || t < model.now)
            expectRefused(r, TimeOrderError, 'reversal in the past');
          else {
            expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
            m.reversed = true;
            model.txs.push({
              id: r.ok ? (r.value as string) : '',
              initiatedAt: t,
              entries: m.entries.map((e) => ({ ...e, side: e.side === 'DEBIT' ? 'CREDIT' : 'DEBIT' })),
              isReversal: true,
              idempotencyKey: null,
              settledAt: t,
              failedAt: null,
              reversed: false,
            });
            advance(t);
          }
        } else if (status !== 'PENDING') expectRefused(r, TransactionStateError, `${op.k} ${status}`);
        else if (t < m.initiatedAt || t < model.now) expectRefused(r, TimeOrderError, `${op.k} in the past`);
        else {
          expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
          if (op.k === 'settle') m.settledAt = t;
          else m.failedAt = t;
          advance(t);
        }
        break;
      }
      case 'unknownAccount': {
        const from = pick(model.accounts, op.from)?.account;
        if (!from) break;
        const tx = new TransactionBuilder('transfer', 'fuzz', { initiatedAt: at(Math.max(op.dt, 0)) })
          .transfer(from, 'f'.repeat(64), Money.of(5n, from.currency, reg))
          .build();
        expectRefused(
          both(ledgers, (l) => l.post(tx)),
          UnknownAccountError,
          'unknown account',
        );
        break;
      }
      case 'tampered': {
        const m = pick(
          model.txs.filter((x) => !x.isReversal),
          op.tx,
        );
        if (!m) break;
        const stored = ledgers[0].getTransaction(m.id)!.transaction;
        const edited = {
          ...stored,
          entries: stored.entries.map((e) => ({ ...e, amount: e.amount + 1n })),
        } as Transaction;
        expectRefused(
          both(ledgers, (l) => l.post(edited)),
          TransactionIntegrityError,
          'edited transaction',
        );
        break;
      }
    }
    const changed =
      ledgers[0].head.sequence !== seqBefore ||
      model.txs.length !== modelTxs ||
      model.accounts.length !== modelAccounts;
    count(op.k, changed);
  };

  for (const g of groups) {
    if (g.mode === 'plain') {
      g.ops.forEach(apply);
      continue;
    }
    // Both ledgers inside one batch each; refused writes are caught inside and the batch goes on.
    const saved = structuredClone({ accounts: model.accounts, txs: model.txs, now: model.now });
    const abort = new Error('abort batch');
    const [mem, sql] = ledgers;
    const heads = ledgers.map((l) => l.head);
    try {
      mem.batch(() =>
        sql.batch(() => {
          g.ops.forEach(apply);
          if (g.mode === 'abort') throw abort;
        }),
      );
    } catch (e) {
      if (e !== abort) throw e;
      expect(
        ledgers.map((l) => l.head),
        'an aborted batch left something',
      ).toEqual(heads);
      model.accounts.splice(0, model.accounts.length, ...saved.accounts);
      model.txs.splice(0, model.txs.length, ...saved.txs);
      model.now = saved.now;
    }
  }
  maxEvents = Math.max(maxEvents, ledgers[0].head.sequence);

  // ---- checks --------------------------------------------------------------------------------------------
  const [mem, sql] = ledgers;
  expect(sql.head).toEqual(mem.head);
  expect([...sql.auditEvents()]).toEqual([...mem.auditEvents()]);
  for (const l of ledgers) {
    expect(l.verifyChain()).toMatchObject({ ok: true, length: l.head.sequence });
    expect(l.replayBalances()).toMatchObject({ ok: true, mismatches: [] });
  }
  const times = [
    ...new Set([T0 - 1, T0, model.now, model.now + STEP, ...checkSteps.map((s) => T0 + s * STEP)]),
  ];
  for (const t of times) {
    const snap = mem.snapshot(t);
    expect(sql.snapshot(t)).toEqual(snap);
    const open = model.accounts.filter(({ account: a }) => a.openedAt <= t).map((x) => x.account);
    expect(snap.accounts.map((a) => a.id)).toEqual(open.map((a) => a.id).sort());
    const perCurrency = new Map<string, { dn: bigint; cn: bigint; pd: bigint; pc: bigint }>();
    for (const a of snap.accounts) {
      const acc = open.find((x) => x.id === a.id)!;
      const want = model.balanceAt(acc, t);
      expect(
        {
          settled: a.settled,
          pendingCredits: a.pendingCredits,
          pendingDebits: a.pendingDebits,
          liability: a.liability,
        },
        `${a.ownerType} ${a.currency} ${a.externalRef} at ${t}`,
      ).toEqual(want);
      const s = perCurrency.get(a.currency) ?? { dn: 0n, cn: 0n, pd: 0n, pc: 0n };
      if (DEBIT_NORMAL.has(a.ownerType)) s.dn += a.settled;
      else s.cn += a.settled;
      s.pd += a.pendingDebits;
      s.pc += a.pendingCredits;
      perCurrency.set(a.currency, s);
    }
    for (const [cur, s] of perCurrency) {
      expect(s.dn, `${cur} debit-normal vs credit-normal at ${t}`).toBe(s.cn);
      expect(s.pd, `${cur} pending debits vs credits at ${t}`).toBe(s.pc);
    }
    const want = model.reservesAt(t);
    const got = mem.requiredReserves(t);
    expect(sql.requiredReserves(t)).toEqual(got);
    expect(got.map((r) => r.currency)).toEqual([...want.keys()].sort());
    for (const r of got) {
      const w = want.get(r.currency)!;
      expect([r.required, r.reserves, r.surplus, r.solvent]).toEqual([
        w.required,
        w.reserves,
        w.reserves - w.required,
        w.reserves >= w.required,
      ]);
    }
    expect(sql.auditHeadAt(t)).toEqual(mem.auditHeadAt(t));
  }
  for (const l of ledgers) l.close();
}

describe('ledger operations against a model (memory and SQLite side by side)', () => {
  it('keeps balances, reserves, chain and replay consistent, and refuses invalid writes without effect', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            mode: fc.constantFrom<Group['mode']>('plain', 'plain', 'batch', 'abort'),
            ops: fc.array(opArb, { minLength: 1, maxLength: 20, size: 'max' }),
          }),
          { minLength: 1, maxLength: 6, size: 'max' },
        ),
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 4 }),
        (groups, steps) => interpret(groups, steps),
      ),
      { numRuns: NUM_RUNS },
    );
    console.log(
      `ledger fuzz: ${NUM_RUNS} runs, longest chain ${maxEvents} events`,
      Object.fromEntries(stats),
    );
    // The generator must reach every operation, both accepted and refused where both are possible.
    for (const k of ['open', 'post', 'settle', 'fail', 'reverse']) {
      expect(stats.get(k)?.accepted, `${k} accepted`).toBeGreaterThan(0);
      expect(stats.get(k)?.refused, `${k} refused or skipped`).toBeGreaterThan(0);
    }
    for (const k of ['repost', 'keyConflict', 'unknownAccount', 'tampered']) {
      expect(stats.get(k)?.refused, `${k} exercised`).toBeGreaterThan(0);
    }
  });
});

// ---- money ------------------------------------------------------------------------------------------------

const codeArb = fc.stringMatching(/^[A-Z0-9]{1,31}$/);
const exponentArb = fc.integer({ min: 0, max: 36 });
const bigArb = fc.oneof(
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
);

describe('decimal amounts', () => {
  it('format then parse is the identity, for random currencies, exponents and bigints', () => {
    fc.assert(
      fc.property(codeArb, exponentArb, bigArb, (code, exponent, v) => {
        const r = new CurrencyRegistry([]);
        r.register(code, exponent);
        const text = formatAmount(v, code, r);
        expect(text).toMatch(
          exponent === 0 ? /^-?(0|[1-9][0-9]*)$/ : new RegExp(`^-?(0|[1-9][0-9]*)\\.[0-9]{${exponent}}$`),
        );
        expect(parseAmount(text, code, r)).toBe(v);
        expect(Money.parse(text, code, r).format(r)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('parses exactly: trailing zeros are fine, any other digit past the exponent is refused', () => {
    fc.assert(
      fc.property(
        exponentArb,
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.stringMatching(/^[0-9]{0,40}$/),
        fc.boolean(),
        (exponent, whole, frac, neg) => {
          const r = new CurrencyRegistry([]);
          r.register('X', exponent);
          const text = `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
          const extra = frac.slice(exponent);
          if (/[1-9]/.test(extra)) {
            expect(() => parseAmount(text, 'X', r)).toThrow(DecimalParseError);
            return;
          }
          const v = parseAmount(text, 'X', r);
          const expected = BigInt(`${whole}${frac.slice(0, exponent).padEnd(exponent, '0')}`);
          expect(v).toBe(neg ? -expected : expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a ledger-registered currency round-trips through a reopened registry view', () => {
    fc.assert(
      fc.property(codeArb, exponentArb, bigArb, (code, exponent, v) => {
        const builtin = BUILTIN_CURRENCIES.find((c) => c.code === code);
        fc.pre(!builtin || builtin.exponent === exponent);
        const l = openMemoryLedger({ currencies: new CurrencyRegistry() });
        l.registerCurrency(code, exponent, { at: T0 });
        expect(parseAmount(formatAmount(v, code, l.currencies), code, l.currencies)).toBe(v);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses every JS number as money', () => {
    const numberArb = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, 1, NaN),
    );
    fc.assert(
      fc.property(numberArb, (n) => {
        expect(() => assertBigintAmount(n)).toThrow(InvalidAmountError);
        expect(() => Money.of(n as never, 'USD')).toThrow(InvalidAmountError);
        expect(() => formatAmount(n as never, 'USD')).toThrow(InvalidAmountError);
        const b = new TransactionBuilder('x', 'y', { initiatedAt: T0 });
        expect(() => b.transfer('a'.repeat(64), 'b'.repeat(64), n as never)).toThrow(InvalidAmountError);
      }),
      { numRuns: 300 },
    );
  });
});
