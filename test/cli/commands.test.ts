// The real `zkreserve` command as a subprocess: help, usage errors, init, import, reserve, audit, secret.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPEND_ONLY_TABLES } from '../../src/storage/sqlite-schema.js';
import { GOOD_CSV, repoRoot, tempDir, writeText, zk } from './helpers.js';

const COMMANDS = [
  [],
  ['init'],
  ['import'],
  ['reserve'],
  ['reserves'],
  ['reserves', 'challenge'],
  ['reserves', 'add'],
  ['reserves', 'verify'],
  ['audit'],
  ['audit', 'verify'],
  ['secret'],
  ['secret', 'new'],
  ['prove'],
  ['verify'],
  ['verify-inclusion'],
  ['export-verifier'],
  ['setup'],
  ['setup', 'import-ptau'],
  ['setup', 'init'],
  ['setup', 'contribute'],
  ['setup', 'beacon'],
  ['setup', 'verify'],
  ['setup', 'export'],
  ['demo'],
  ['worker'],
];

let dir: string;
beforeAll(async () => {
  dir = await tempDir('cmd');
});

/** Ledger file contents as a comparable snapshot (audit events are the whole history). */
function events(db: string): unknown[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT seq, hash FROM audit_events ORDER BY seq').all();
  } finally {
    d.close();
  }
}

describe('help and usage', () => {
  it('every command has --help (exit 0) that shows its usage', async () => {
    // Every command through the compiled CLI's runCli in one process (test/cli/help-runner.mjs): a Node start
    // and a full module load per command cost ~1.2 s of CPU each. The real bin (bin/zkreserve.js, which adds
    // only the process exit code) runs the top-level and a nested help below.
    const runs = COMMANDS.map((c) => [...c, '--help']);
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [path.join(repoRoot, 'test', 'cli', 'help-runner.mjs'), JSON.stringify(runs)],
        { cwd: repoRoot, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    const results = JSON.parse(out) as { argv: string[]; code: number; stdout: string }[];
    expect(results.map((r) => r.argv)).toEqual(runs);
    results.forEach((r, j) => {
      expect(r.code, `${COMMANDS[j]!.join(' ')} --help`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: zkreserve ${COMMANDS[j]!.join(' ')}`.trim()));
    });
    const bin = await Promise.all([zk(['--help']), zk(['setup', 'beacon', '--help'])]);
    expect(bin.map((r) => r.code)).toEqual([0, 0]);
    expect(bin[0]!.stdout).toMatch(/Usage: zkreserve /);
    expect(bin[1]!.stdout).toMatch(/Usage: zkreserve setup beacon/);
  });

  it('usage errors exit 2 with one clear line', async () => {
    const cases = await Promise.all([
      zk(['frobnicate']),
      zk(['reserve', 'x.db']),
      zk(['prove', 'x.db', '--at', '2025-01-01T00:00:00Z']),
      zk(['init', 'a.db', '--bogus']),
      zk(['reserve', path.join(dir, 'missing.db'), '--at', '2025-01-01T00:00:00Z']),
    ]);
    expect(cases.map((c) => c.code)).toEqual([2, 2, 2, 2, 2]);
    expect(cases[0]!.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(cases[1]!.stderr).toMatch(/required option '--at <time>'/);
    expect(cases[2]!.stderr).toMatch(/required option '--currency <code>'/);
    expect(cases[3]!.stderr).toMatch(/unknown option '--bogus'/);
    expect(cases[4]!.stderr).toMatch(/no ledger file .*missing\.db/);
    for (const c of cases) expect(c.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--debug adds the stack trace; --version prints the version', async () => {
    const missing = path.join(dir, 'nope.csv');
    const db = path.join(dir, 'debug.db');
    await zk(['init', db]);
    const plain = await zk(['import', db, missing]);
    const debug = await zk(['import', db, missing, '--debug']);
    expect([plain.code, debug.code]).toEqual([2, 2]);
    expect(plain.stderr).toMatch(/nope\.csv: cannot read/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.stderr).toMatch(/\n\s+at /);
    const v = await zk(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(
      JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
    );
  });
});

describe('init, import, reserve, audit', () => {
  let db: string;
  let csv: string;
  beforeAll(async () => {
    db = path.join(dir, 'ledger.db');
    csv = await writeText(dir, 'balances.csv', `\uFEFF${GOOD_CSV.replace(/\n/g, '\r\n')}\r\n`);
  });

  it('init creates a ledger and refuses an existing file', async () => {
    expect((await zk(['init', db])).code).toBe(0);
    const again = await zk(['init', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('imports the balance CSV; re-import is a no-op', async () => {
    const r = await zk(['import', db, csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/6 rows, 7 accounts opened, 6 transactions posted/);
    const before = events(db);
    const again = await zk(['import', db, csv, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      transactionsPosted: 0,
      accountsOpened: 0,
      unchanged: 6,
    });
    expect(events(db)).toEqual(before);
  });

  it('a bad row names its line, exits 2 and leaves the ledger unchanged', async () => {
    const before = events(db);
    const bad = await writeText(
      dir,
      'bad.csv',
      `${GOOD_CSV}erin,USER,USD,5.00\nfrank,USER,USD,1.234\ngina,USER,USD,1.00\n`,
    );
    const r = await zk(['import', db, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv:9: USD amount "1\.234" has 3 decimals/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(events(db)).toEqual(before);
  });

  it('a changed balance on re-import is refused naming the line', async () => {
    const before = events(db);
    const changed = await writeText(
      dir,
      'changed.csv',
      GOOD_CSV.replace('alice,USER,USD,100.50', 'alice,USER,USD,100.51'),
    );
    const r = await zk(['import', db, changed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/changed\.csv:2: USER "alice" \(USD\) already holds 100\.50/);
    expect(events(db)).toEqual(before);
  });

  it('refuses an unknown file type and --at that is not a time', async () => {
    const txt = await writeText(dir, 'x.txt', 'hello');
    expect((await zk(['import', db, txt])).stderr).toMatch(/unknown import format ".txt"/);
    const r = await zk(['import', db, csv, '--at', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--at: malformed time/);
  });

  it('reserve: solvent report with formatted amounts (exit 0) and --json', async () => {
    const r = await zk(['reserve', db, '--at', '2025-01-01T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/user liabilities\s+1335\.13/);
    expect(r.stdout).toMatch(/reserves\s+2000\.00/);
    expect(r.stdout).toMatch(/surplus\s+664\.87/);
    const j = await zk(['reserve', db, '--at', '2025-01-01T00:00:00Z', '--currency', 'USD', '--json']);
    expect(j.code).toBe(0);
    const report = JSON.parse(j.stdout);
    expect(report.solvent).toBe(true);
    expect(report.currencies[0]).toMatchObject({
      currency: 'USD',
      userLiabilities: '1335.13',
      required: '1335.13',
      reserves: '2000.00',
      surplus: '664.87',
      minorUnits: { userLiabilities: '133513', reserves: '200000' },
    });
    expect((await zk(['reserve', db, '--at', '2025-01-01T00:00:00Z', '--currency', 'XYZ'])).code).toBe(2);
  });

  it('reserve: a deficit exits 1', async () => {
    const deficit = path.join(dir, 'deficit.db');
    await zk(['init', deficit]);
    const f = await writeText(
      dir,
      'deficit.csv',
      'external_ref,owner_type,currency,balance\nu,USER,USD,10.00\nr,RESERVE,USD,9.99\n',
    );
    expect((await zk(['import', deficit, f])).code).toBe(0);
    const r = await zk(['reserve', deficit, '--at', '2025-01-01T00:00:00Z']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DEFICIT\s+0\.01/);
    const j = await zk(['reserve', deficit, '--at', '2025-01-01T00:00:00Z', '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({
      solvent: false,
      currencies: [{ surplus: '-0.01', solvent: false }],
    });
  });

  it('imports a JSON-lines history through the CLI', async () => {
    const jdb = path.join(dir, 'history.db');
    await zk(['init', jdb]);
    const lines = [
      { op: 'open', ownerType: 'RESERVE', currency: 'ETH', externalRef: 'cold', at: '2025-01-01T00:00:00Z' },
      { op: 'open', ownerType: 'USER', currency: 'ETH', externalRef: 'w1', at: '2025-01-01T00:00:00Z' },
      {
        op: 'post',
        ref: 'd1',
        at: '2025-01-02T00:00:00Z',
        purpose: 'deposit',
        transfers: [{ from: 'RESERVE:cold', to: 'USER:w1', amount: '1.000000000000000001', currency: 'ETH' }],
      },
      { op: 'settle', tx: 'd1', at: '2025-01-02T00:00:01Z' },
    ];
    const f = await writeText(dir, 'h.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await zk(['import', jdb, f]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /transactions-jsonl\): 4 rows, 2 accounts opened, 1 transactions posted, 1 settle/,
    );
    const rep = JSON.parse((await zk(['reserve', jdb, '--at', '2025-01-03T00:00:00Z', '--json'])).stdout);
    expect(rep.currencies[0]).toMatchObject({ currency: 'ETH', userLiabilities: '1.000000000000000001' });
    expect((await zk(['import', jdb, f, '--at', '2025-01-01T00:00:00Z'])).code).toBe(2);
  });

  it('audit verify: 0 on a clean ledger, 1 naming the sequence after a row is tampered', async () => {
    const ok = await zk(['audit', 'verify', db]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit chain ok: \d+ events/);
    expect(ok.stdout).toMatch(/replay ok/);
    const tampered = path.join(dir, 'tampered.db');
    await zk(['init', tampered]);
    await zk(['import', tampered, csv]);
    const d = new Database(tampered);
    for (const t of APPEND_ONLY_TABLES) d.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
    const row = d
      .prepare(
        "SELECT seq, payload FROM audit_events WHERE type = 'TX_POSTED' AND payload LIKE '%\"123456\"%'",
      )
      .get() as { seq: number; payload: string };
    expect(row.payload).toMatch(/"amount":"123456"/); // carol's 1234.56
    d.prepare('UPDATE audit_events SET payload = ? WHERE seq = ?').run(
      row.payload.replace('"123456"', '"923456"'),
      row.seq,
    );
    d.close();
    const bad = await zk(['audit', 'verify', tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`AUDIT CHAIN BROKEN at event sequence ${row.seq}: `));
    const j = await zk(['audit', 'verify', tampered, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, chain: { ok: false, sequence: row.seq } });
  });

  it('audit verify --expect-head / --sequence / --bundle: 0 when the chain holds the head, 1 when not, 2 for usage', async () => {
    const j = JSON.parse((await zk(['audit', 'verify', db, '--json'])).stdout);
    const head = j.chain.head as { sequence: number; hash: string };
    expect(j.externalHeads).toEqual([]);
    const good = await zk(['audit', 'verify', db, '--expect-head', head.hash]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(
      new RegExp(`external head ok: event ${head.sequence} is ${head.hash} \\(--expect-head\\)`),
    );
    expect(
      (await zk(['audit', 'verify', db, '--expect-head', head.hash, '--sequence', String(head.sequence)]))
        .code,
    ).toBe(0);
    const wrong = await zk(['audit', 'verify', db, '--expect-head', head.hash, '--sequence', '1']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/EXTERNAL HEAD MISMATCH at sequence 1 \(--expect-head\): event 1 has hash/);
    expect((await zk(['audit', 'verify', db, '--expect-head', 'f'.repeat(64), '--json'])).code).toBe(1);
    const usage: [string[], RegExp][] = [
      [['--expect-head', 'ABC'], /--expect-head must be 64 lowercase hex digits/],
      [['--sequence', '3'], /--sequence needs --expect-head/],
      [['--expect-head', head.hash, '--sequence', '-1'], /--sequence must be a non-negative integer/],
      [['--bundle', path.join(dir, 'no-such-bundle')], /no bundle directory/],
      [['--bundle', dir], /is not a bundle: no manifest.json/],
    ];
    for (const [args, msg] of usage) {
      const r = await zk(['audit', 'verify', db, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
    const bundle = path.join(dir, 'fake-bundle');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(
      path.join(bundle, 'manifest.json'),
      JSON.stringify({ auditHead: { sequence: '1', hash: head.hash } }),
    );
    const bad = await zk(['audit', 'verify', db, '--bundle', bundle]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/auditHead.sequence is not a non-negative integer/);
  });

  it('secret new writes 32 random bytes as hex with mode 0600 and refuses to overwrite', async () => {
    const f = path.join(dir, 'op.secret');
    expect((await zk(['secret', 'new', f])).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const before = readFileSync(f, 'utf8');
    const again = await zk(['secret', 'new', f]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/refusing to overwrite/);
    expect(readFileSync(f, 'utf8')).toBe(before);
  });
});
