// Red team, issue 9 section 4: every column of every table of a SQLite ledger file, edited one at a time with
// the append-only triggers dropped (and restored), is either caught (the file is refused when opened, the hash
// chain breaks, or the replay comparison names the table, row and column) or shown to change nothing that a
// balance, snapshot, reserve report or transaction record reads. Tables and columns come from sqlite_master and
// PRAGMA table_info, so a table or column added later is edited too (and must have a row here).
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPEND_ONLY_TABLES, MAX_INSTANT_MS, TransactionBuilder, openSqliteLedger } from '../../src/index.js';
import type { Ledger } from '../../src/index.js';
import { T, populate, usd } from '../ledger/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'zkreserve-redteam-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A ledger with a row in every table: populate() (settle, failure, reversal), an idempotency key, a currency. */
const honestFile = path.join(dir, 'honest.db');
{
  const l = openSqliteLedger(honestFile);
  populate(l);
  l.registerCurrency('XAU', 3, { at: T('06:00:00') });
  const a = l.getAccount(l.snapshot(T('06:00:00')).accounts.find((x) => x.externalRef === 'alice')!.id)!;
  const bank = l.snapshot(T('06:00:00')).accounts.find((x) => x.externalRef === 'bank')!;
  l.post(
    new TransactionBuilder('deposit', 'ops', { initiatedAt: T('07:00:00') })
      .transfer(bank.id, a, usd('1.00'))
      .idempotencyKey('k-1')
      .metadata('note', 'n')
      .build(),
  );
  l.close();
}

/** Everything a reader of the ledger can see: snapshots and reserve reports at every event time (±1 ms), records. */
function readings(l: Ledger): string {
  const times = new Set<number>([0, MAX_INSTANT_MS]);
  const txIds: string[] = [];
  for (const e of l.auditEvents()) {
    for (const t of [e.at - 1, e.at, e.at + 1]) times.add(t);
    if (e.type === 'TX_POSTED') txIds.push((JSON.parse(e.payload) as { id: string }).id);
  }
  const out: unknown[] = [];
  for (const t of [...times].sort((x, y) => x - y)) {
    out.push(l.snapshot(t), l.requiredReserves(t), l.auditHeadAt(t));
    for (const a of l.snapshot(t).accounts) out.push(l.balance(a.id, t));
  }
  for (const id of txIds) out.push(l.getTransaction(id));
  out.push(
    l.head,
    [...l.currencies.list()].map((c) => [c.code, c.exponent]),
  );
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

const honest = (() => {
  const l = openSqliteLedger(honestFile);
  try {
    expect(l.verifyChain().ok).toBe(true);
    expect(l.replayBalances()).toMatchObject({ ok: true, mismatches: [] });
    return readings(l);
  } finally {
    l.close();
  }
})();

type Value = null | bigint | number | string | Buffer;

/** Values to try in place of `v`, in order: the first that the table's constraints accept is the edit. */
function candidates(v: Value): Value[] {
  if (v === null) return ['x', 1n];
  if (typeof v === 'bigint') return [v + 1n, 1n - v, v - 1n, v + 1000n, -v - 7n];
  if (typeof v === 'number') return [v + 1, -v];
  if (typeof v === 'string') {
    const enums = ['SETTLED', 'FAILED', 'USER', 'RESERVE', 'PLATFORM', 'ACCOUNT_OPENED', 'TX_FAILED'];
    return [
      `${v}x`,
      ...enums.filter((e) => e !== v),
      `${v.slice(0, -1)}${v.endsWith('0') ? '1' : '0'}`,
      null,
    ];
  }
  const flipped = Buffer.from(v);
  flipped[0] = flipped[0]! ^ 1;
  return [flipped];
}

interface Column {
  table: string;
  column: string;
  rowid: bigint;
  which: string;
}

/** Every column of every table, for the first and the last row (tables from sqlite_master, not a list). */
function columns(): Column[] {
  const db = new Database(honestFile, { readonly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    expect(tables).toEqual(expect.arrayContaining([...APPEND_ONLY_TABLES, 'meta']));
    const out: Column[] = [];
    for (const table of tables) {
      const ids = db.prepare(`SELECT min(rowid), max(rowid) FROM "${table}"`).raw().safeIntegers().get() as (
        bigint | null
      )[];
      expect(ids[0], `table ${table} needs a row in this test's ledger`).not.toBeNull();
      const cols = (db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
      for (const column of cols) {
        out.push({ table, column, rowid: ids[0]!, which: 'first' });
        if (ids[1] !== ids[0]) out.push({ table, column, rowid: ids[1]!, which: 'last' });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

let caseNo = 0;

/** Copies the honest file and edits one value (triggers dropped, then restored); undefined if no edit fits. */
function edited(c: Column): { file: string; from: Value; to: Value } | undefined {
  const file = path.join(dir, `case${++caseNo}.db`);
  copyFileSync(honestFile, file);
  const db = new Database(file);
  try {
    const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as {
      name: string;
      sql: string;
    }[];
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
    const from = db
      .prepare(`SELECT "${c.column}" FROM "${c.table}" WHERE rowid = ?`)
      .pluck()
      .safeIntegers()
      .get(c.rowid) as Value;
    let to: Value | undefined;
    for (const v of candidates(from)) {
      try {
        db.prepare(`UPDATE "${c.table}" SET "${c.column}" = ? WHERE rowid = ?`).run(v, c.rowid);
        to = v;
        break;
      } catch {
        /* a constraint refused it: try the next */
      }
    }
    for (const t of triggers) db.exec(t.sql);
    return to === undefined ? undefined : { file, from, to };
  } finally {
    db.close();
  }
}

/** What `audit verify` says about the file: refused when opened, chain broken, rows differ, or nothing. */
function audit(file: string): { detected: string | null; readings?: string } {
  let l: Ledger;
  try {
    l = openSqliteLedger(file);
  } catch (e) {
    return { detected: `refused when opened: ${(e as Error).message}` };
  }
  try {
    const chain = l.verifyChain();
    if (!chain.ok) return { detected: `chain broken at ${chain.sequence}: ${chain.reason}` };
    const replay = l.replayBalances();
    if (!replay.ok) return { detected: `replay: ${replay.mismatches[0]}` };
    return { detected: null, readings: readings(l) };
  } finally {
    l.close();
  }
}

describe('red team: every column of every table of a ledger file, edited one at a time', () => {
  const all = columns();

  it('enumerates every table and column of the file', () => {
    const tables = new Set(all.map((c) => c.table));
    for (const t of [...APPEND_ONLY_TABLES, 'meta']) expect(tables.has(t), t).toBe(true);
    expect(all.find((c) => c.table === 'entries' && c.column === 'initiated_at')).toBeDefined();
  });

  it.each(all.map((c) => [`${c.table}.${c.column} (${c.which} row)`, c] as const))(
    'edit of %s: caught, or nothing any reading depends on changes',
    (_name, c) => {
      const e = edited(c);
      expect(e, `no edit of ${c.table}.${c.column} fits the table's constraints`).toBeDefined();
      const r = audit(e!.file);
      if (r.detected === null) {
        // Not caught: then it must change nothing that a balance, snapshot, reserve report or record reads.
        expect(r.readings, `${c.table}.${c.column}: undetected edit changed what the ledger reads`).toBe(
          honest,
        );
      } else if (r.detected.startsWith('replay:')) {
        // The replay names the table and the column. Rows without a primary key (entries) are compared in the
        // order of their values, so an edit may move its row, and the first difference be in another column.
        const col = c.table === 'entries' ? '\\w+' : c.column;
        expect(r.detected).toMatch(new RegExp(`table ${c.table}\\b`));
        expect(r.detected).toMatch(new RegExp(`column ${col}\\b|row \\d+: (a row that|missing)`));
      }
    },
  );

  it('the implicit rowid of entries is no column: renumbering it is not caught, and changes no reading', () => {
    const file = path.join(dir, 'rowid.db');
    copyFileSync(honestFile, file);
    const db = new Database(file);
    const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as {
      name: string;
      sql: string;
    }[];
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
    // reverse the physical order of the entries (as VACUUM may renumber them)
    db.exec('UPDATE entries SET rowid = -rowid');
    db.exec('UPDATE entries SET rowid = 1000 + rowid');
    for (const t of triggers) db.exec(t.sql);
    db.close();
    const r = audit(file);
    expect(r.detected).toBeNull();
    expect(r.readings).toBe(honest);
  });
});
