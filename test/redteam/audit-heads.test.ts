// Red team, issue 9 section 4: a ledger file's chain checks only itself. An operator who truncates the log (and
// the rows of the dropped events), or rewrites an event and re-hashes every later one consistently (and edits the
// tables to match), leaves a file that `audit verify` accepts: a freshly opened file has no other record of its
// head. Only a head published outside the ledger catches it: `audit verify --expect-head <hash> [--sequence n]`
// and `audit verify --bundle <dir>` (the head a proof bundle commits to). Before the fix no command took one.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, computeEventHash, openSqliteLedger } from '../../src/index.js';
import type { AuditHead } from '../../src/index.js';
import { checkExternalHead } from '../../src/audit/external-head.js';
import { T, populate } from '../ledger/helpers.js';
import { zk } from '../cli/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'zkreserve-redteam-heads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** populate(): 12 events, the last three a reversal at 05:00 (TX_POSTED, TX_SETTLED, TX_REVERSED). */
function honest(): { file: string; head: AuditHead; headAt: (seq: number) => string } {
  const file = path.join(dir, `l${++fileNo}.db`);
  const l = openSqliteLedger(file);
  populate(l);
  const head = l.head;
  const hashes = [...l.auditEvents()].map((e) => e.hash);
  l.close();
  return { file, head, headAt: (seq) => (seq === 0 ? GENESIS_HASH : hashes[seq - 1]!) };
}

function raw(file: string, fn: (db: Database.Database) => void): void {
  const db = new Database(file);
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as {
    name: string;
    sql: string;
  }[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  fn(db);
  for (const t of triggers) db.exec(t.sql);
  db.close();
}

/** Drops the reversal (its three events and every row they wrote): a shorter, consistent ledger. */
function truncate(file: string): void {
  raw(file, (db) => {
    db.exec('DELETE FROM audit_events WHERE seq > 9');
    db.exec('DELETE FROM tx_reversals');
    const comp = db.prepare('SELECT max(no) FROM transactions').pluck().get() as number;
    db.prepare('DELETE FROM tx_outcomes WHERE tx_no = ?').run(comp);
    db.prepare('DELETE FROM entries WHERE tx_no = ?').run(comp);
    db.prepare('DELETE FROM transactions WHERE no = ?').run(comp);
  });
}

/** Moves alice's settlement (event 6, 02:00) to 01:30 in the payload, the event and the table, and re-hashes. */
function rehash(file: string): void {
  raw(file, (db) => {
    const ev = db.prepare('SELECT * FROM audit_events WHERE seq = 6').get() as {
      payload: string;
      type: string;
    };
    expect(ev.type).toBe('TX_SETTLED');
    const at = T('01:30:00');
    const payload = ev.payload.replace(`"at":${T('02:00:00')}`, `"at":${at}`);
    expect(payload).not.toBe(ev.payload);
    db.prepare('UPDATE audit_events SET payload = ?, at = ? WHERE seq = 6').run(payload, at);
    db.prepare('UPDATE tx_outcomes SET at = ? WHERE at = ? AND tx_no = 1').run(at, T('02:00:00'));
    let prev = db.prepare('SELECT hash FROM audit_events WHERE seq = 5').pluck().get() as string;
    for (const e of db.prepare('SELECT * FROM audit_events WHERE seq >= 6 ORDER BY seq').all() as {
      seq: number;
      type: string;
      at: number;
      payload: string;
    }[]) {
      const hash = computeEventHash(e.seq, e.type, e.payload, e.at, prev);
      db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, e.seq);
      prev = hash;
    }
  });
}

function bundleDir(head: AuditHead, snapshotTimeMs: number): string {
  const d = path.join(dir, `bundle${++fileNo}`);
  mkdirSync(d);
  const manifest = {
    auditHead: { sequence: head.sequence, hash: head.hash },
    snapshotTimeMs: String(snapshotTimeMs),
  };
  writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(manifest));
  return d;
}

describe('red team: a truncated or re-hashed audit log against an external head (issue 9, section 4)', () => {
  it('a truncated log passes audit verify alone, and fails against the head published before', async () => {
    const h = honest();
    truncate(h.file);
    expect((await zk(['audit', 'verify', h.file])).code).toBe(0); // consistent: nothing inside the file tells
    const r = await zk(['audit', 'verify', h.file, '--expect-head', h.head.hash, '--sequence', '12']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /EXTERNAL HEAD MISMATCH at sequence 12 \(--expect-head\): the chain ends at sequence 9/,
    );
    expect(r.stdout).toMatch(/events are missing at the end/);
    const b = await zk(['audit', 'verify', h.file, '--bundle', bundleDir(h.head, T('06:00:00')), '--json']);
    expect(b.code).toBe(1);
    expect(JSON.parse(b.stdout)).toMatchObject({
      ok: false,
      replay: { ok: true },
      externalHeads: [{ ok: false }],
    });
  });

  it('a consistently re-hashed log passes audit verify alone, and fails against a bundle of the honest head', async () => {
    const h = honest();
    rehash(h.file);
    expect((await zk(['audit', 'verify', h.file])).code).toBe(0);
    const bundle = bundleDir({ sequence: 8, hash: h.headAt(8), at: 0 }, T('03:30:00'));
    const r = await zk(['audit', 'verify', h.file, '--bundle', bundle]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /EXTERNAL HEAD MISMATCH at sequence 8 \(the bundle's audit head .*\): event 8 has hash [0-9a-f]{64}, not/,
    );
    expect(r.stdout).toMatch(/rewritten at or before sequence 8.*no event of this chain has that hash/);
    // a head before the rewrite still matches
    const early = bundleDir({ sequence: 5, hash: h.headAt(5), at: 0 }, T('01:00:00'));
    expect((await zk(['audit', 'verify', h.file, '--bundle', early])).code).toBe(0);
  });
});

describe('checkExternalHead', () => {
  const l = openSqliteLedger(':memory:');
  populate(l);
  const events = [...l.auditEvents()];
  const at = (s: number) => events[s - 1]!;

  it('accepts the chain head, an event at its sequence, and the genesis head', () => {
    expect(checkExternalHead(events, { hash: l.head.hash, source: 'x' })).toMatchObject({
      ok: true,
      sequence: 12,
    });
    expect(checkExternalHead(events, { hash: at(4).hash, sequence: 4, source: 'x' })).toMatchObject({
      ok: true,
    });
    expect(checkExternalHead(events, { hash: GENESIS_HASH, sequence: 0, source: 'x' })).toMatchObject({
      ok: true,
    });
  });

  it('refuses a head that is not the last, naming where the hash is', () => {
    const r = checkExternalHead(events, { hash: at(4).hash, source: '--expect-head' });
    expect(r).toMatchObject({ ok: false, sequence: 12 });
    expect(r.ok === false && r.reason).toMatch(/head is sequence 12.*that hash is event 4's.*--sequence 4/);
    const w = checkExternalHead(events, { hash: at(4).hash, sequence: 5, source: 'x' });
    expect(w.ok === false && w.reason).toMatch(/event 5 has hash .*that hash is event 4's/);
  });

  it('with a snapshot time, the event must be the head at that time', () => {
    // events 4 and 5 are both at 01:00 (two deposits): the head at 01:00 is event 5
    expect(at(4).at).toBe(at(5).at);
    const r = checkExternalHead(events, {
      hash: at(4).hash,
      sequence: 4,
      at: at(4).at,
      source: 'the bundle',
    });
    expect(r.ok === false && r.reason).toMatch(/event 5 is at .* at or before the snapshot time/);
    const early = checkExternalHead(events, { hash: at(5).hash, sequence: 5, at: at(5).at - 1, source: 'b' });
    expect(early.ok === false && early.reason).toMatch(/after the snapshot time/);
    expect(checkExternalHead(events, { hash: at(5).hash, sequence: 5, at: at(5).at, source: 'b' }).ok).toBe(
      true,
    );
  });
});
