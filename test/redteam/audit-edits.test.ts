// Red team, issue 9 section 4: "the audit check misses an edit". An operator with write access to the SQLite
// ledger file drops the append-only triggers, edits columns of the ledger tables that the snapshot reads but
// that the old replay check compared only through all-time per-account sums, and restores the triggers.
// Before the fix, each edit below changed the liabilities at T while `audit verify` still passed and the
// snapshot (so `prove`) committed to the same audit head as the honest ledger. Now `audit verify` compares
// every row of every table with a replay of the audit log and names the first differing table, row and column.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPEND_ONLY_TABLES, TransactionBuilder, openSqliteLedger } from '../../src/index.js';
import type { Ledger } from '../../src/index.js';
import { T, usd } from '../ledger/helpers.js';
import { zk } from '../cli/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'zkreserve-redteam-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** The snapshot time of the attack. */
const AT = T('12:00:00');

interface Honest {
  file: string;
  /** alice's deposits of 300 and 500, settled before T. */
  d300: string;
  d500: string;
  /** alice's withdrawal of 500, initiated before T, settled after it (pending at T: it does not count yet). */
  w500: string;
  /** bob's deposit of 500, initiated and settled after T. */
  bobLate: string;
}

/** Liabilities 800 at T, all alice's: see `Honest`. */
function honestLedger(): Honest {
  const file = path.join(dir, `ledger${++fileNo}.db`);
  const l = openSqliteLedger(file);
  const at = { openedAt: T('00:00:00') };
  const reserve = l.openAccount('RESERVE', 'USD', 'bank', at);
  const alice = l.openAccount('USER', 'USD', 'alice', at);
  const bob = l.openAccount('USER', 'USD', 'bob', at);
  const post = (from: typeof alice, to: typeof alice, amount: string, time: string) =>
    l.post(
      new TransactionBuilder('transfer', 'ops', { initiatedAt: T(time) })
        .transfer(from, to, usd(amount))
        .build(),
    ).id;
  const d300 = post(reserve, alice, '300.00', '01:00:00');
  l.settle(d300, T('01:30:00'));
  const d500 = post(reserve, alice, '500.00', '02:00:00');
  l.settle(d500, T('02:30:00'));
  const w500 = post(alice, reserve, '500.00', '03:00:00');
  const bobLate = post(reserve, bob, '500.00', '12:30:00');
  for (const id of [w500, bobLate]) l.settle(id, T('13:00:00'));
  l.close();
  return { file, d300, d500, w500, bobLate };
}

interface View {
  liabilities: bigint;
  alice: bigint;
  head: unknown;
}

function view(l: Ledger): View {
  const snap = l.snapshot(AT);
  const alice = snap.accounts.find((a) => a.externalRef === 'alice')!;
  return {
    liabilities: l.requiredReserves(AT, 'USD')[0]!.required,
    alice: alice.liability,
    head: snap.auditHead,
  };
}

/** What `audit verify` checks: the hash chain, then the replay of the log against the tables. */
function auditVerify(l: Ledger): { chain: boolean; replay: boolean; mismatches: string[] } {
  const chain = l.verifyChain();
  const replay = l.replayBalances();
  return { chain: chain.ok, replay: replay.ok, mismatches: replay.mismatches };
}

/** Opens the file raw, drops the append-only triggers, runs `edit`, and restores the triggers exactly. */
function tamper(file: string, edit: (db: Database.Database, txNo: (id: string) => number) => void): void {
  const db = new Database(file);
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as {
    name: string;
    sql: string;
  }[];
  expect(triggers.length).toBe(APPEND_ONLY_TABLES.length * 2);
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const txNo = (id: string) =>
    db.prepare('SELECT no FROM transactions WHERE id = unhex(?)').pluck().get(id) as number;
  edit(db, txNo);
  for (const t of triggers) db.exec(t.sql);
  db.close();
}

/** Swaps one column's value between two entry rows (given by rowid). */
function swap(db: Database.Database, column: string, a: number, b: number): void {
  const get = db.prepare(`SELECT ${column} FROM entries WHERE rowid = ?`).pluck();
  const va = get.get(a);
  const vb = get.get(b);
  const put = db.prepare(`UPDATE entries SET ${column} = ? WHERE rowid = ?`);
  put.run(vb, a);
  put.run(va, b);
}

/** The rowid of the entry of transaction `txNo` on `side` (1 = debit, 0 = credit). */
function entry(db: Database.Database, txNo: number, side: 0 | 1): number {
  return db
    .prepare('SELECT rowid FROM entries WHERE tx_no = ? AND side = ?')
    .pluck()
    .get(txNo, side) as number;
}

function attack(
  name: string,
  edit: (db: Database.Database, txNo: (id: string) => number, h: Honest) => void,
  expected: { liabilities?: bigint; alice?: bigint; mismatch: RegExp },
): void {
  it(`is caught: ${name}`, () => {
    const h = honestLedger();
    const honest = openSqliteLedger(h.file);
    const before = view(honest);
    expect(auditVerify(honest)).toMatchObject({ chain: true, replay: true });
    honest.close();
    expect(before.liabilities).toBe(80000n);
    expect(before.alice).toBe(80000n);

    tamper(h.file, (db, txNo) => edit(db, txNo, h));

    const l = openSqliteLedger(h.file);
    const after = view(l);
    // The edit works: the figures at T change, the head that a proof would commit to does not.
    if (expected.liabilities !== undefined) expect(after.liabilities).toBe(expected.liabilities);
    if (expected.alice !== undefined) expect(after.alice).toBe(expected.alice);
    expect(after.head).toEqual(before.head);
    // ... and `audit verify` now fails, naming the table, row and column.
    const v = auditVerify(l);
    l.close();
    expect(v.chain).toBe(true); // the log itself is intact
    expect(v.replay).toBe(false);
    expect(v.mismatches.join('\n')).toMatch(expected.mismatch);
  });
}

describe('red team: edits of the ledger tables behind the audit log (issue 9, section 4)', () => {
  attack(
    "a settled deposit's entries.initiated_at moved past T (liabilities at T fall from 800 to 300)",
    (db, txNo, h) =>
      db.prepare('UPDATE entries SET initiated_at = ? WHERE tx_no = ?').run(AT + 1, txNo(h.d500)),
    { liabilities: 30000n, alice: 30000n, mismatch: /table entries, row \d+.*column initiated_at/ },
  );

  attack(
    'side swapped between an entry settled before T and one settled after it (same all-time sums)',
    (db, txNo, h) => {
      // alice: CREDIT 500 (d500, settled before T) and DEBIT 500 (w500, settled after T): swap their sides,
      // and the reserve's two entries too, so that both transactions stay balanced.
      const [dc, dd, wc, wd] = [
        [h.d500, 0],
        [h.d500, 1],
        [h.w500, 0],
        [h.w500, 1],
      ].map(([id, side]) => entry(db, txNo(id as string), side as 0 | 1)) as [number, number, number, number];
      swap(db, 'side', dc, wd);
      swap(db, 'side', dd, wc);
    },
    { liabilities: 50000n, alice: 50000n, mismatch: /table entries, row \d+.*column side/ },
  );

  attack(
    "tx_no swapped between the deposit's reserve debit and the pending withdrawal's debit of alice",
    (db, txNo, h) => {
      // d500 (settled before T) now holds alice's debit of 500 and w500 the reserve's: both stay balanced,
      // every account's all-time sums are the same, and alice's withdrawal counts as settled at T.
      swap(db, 'tx_no', entry(db, txNo(h.d500), 1), entry(db, txNo(h.w500), 1));
    },
    { liabilities: 30000n, alice: 30000n, mismatch: /table entries, row \d+.*column (tx_no|account_no)/ },
  );

  attack(
    "account_no swapped between alice's deposit settled before T and bob's settled after it",
    (db, txNo, h) => swap(db, 'account_no', entry(db, txNo(h.d500), 0), entry(db, txNo(h.bobLate), 0)),
    { liabilities: 80000n, alice: 30000n, mismatch: /table entries, row \d+.*column account_no/ },
  );

  it('`zkreserve audit verify` exits 1 on the moved initiated_at, naming table, row and column', async () => {
    const h = honestLedger();
    expect((await zk(['audit', 'verify', h.file])).code).toBe(0);
    tamper(h.file, (db, txNo) =>
      db.prepare('UPDATE entries SET initiated_at = ? WHERE tx_no = ?').run(AT + 1, txNo(h.d500)),
    );
    const r = await zk(['audit', 'verify', h.file]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/REPLAY MISMATCH/);
    expect(r.stdout).toMatch(/table entries, row \d+.*column initiated_at/);
  });
});
