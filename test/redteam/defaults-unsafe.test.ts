// Attacks on unsafe defaults (issue 9 §6), through the real CLI:
// - a secret file readable by group or others, or whose bytes carry no entropy, was used without complaint;
// - packets (private) were written 0644 in a 0755 folder;
// - `prove --force --out .` renamed the working directory away and deleted it: ledger.db and the secret
//   with it; `--packets` holding `--out` deleted the fresh bundle while reporting success; --force replaced
//   any directory at all;
// - `prove --at T` with no ledger event after T proved a snapshot that a later write may still change.
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOOD_CSV, tempDir, writeText, zk } from '../cli/helpers.js';

const AT = '2000-01-01T00:00:00Z';
let work: string;
let db: string;
let secret: string;

const prove = (args: readonly string[], cwd?: string) =>
  zk(
    [
      'prove',
      db,
      '--at',
      AT,
      '--currency',
      'USD',
      '--secret-file',
      secret,
      '--insecure-dev-keys',
      '--allow-open-snapshot',
      ...args,
    ],
    cwd,
  );

beforeAll(async () => {
  work = await tempDir('defaults');
  db = path.join(work, 'ledger.db');
  secret = path.join(work, 'op.secret');
  await zk(['init', db]);
  const imp = await zk(['import', db, await writeText(work, 'b.csv', GOOD_CSV)]);
  if (imp.code !== 0) throw new Error(imp.stderr);
  await zk(['secret', 'new', secret]);
});

describe('the secret file', () => {
  const good = randomBytes(32).toString('hex');

  it('readable by group or others: refused, as ssh refuses such a private key', async () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      const f = path.join(work, `world-${mode.toString(8)}.secret`);
      writeFileSync(f, `${good}\n`);
      chmodSync(f, mode);
      const s = await zk([
        'prove',
        db,
        '--at',
        AT,
        '--currency',
        'USD',
        '--secret-file',
        f,
        '--insecure-dev-keys',
        '--allow-open-snapshot',
        '--out',
        path.join(work, 'never'),
      ]);
      expect(s.code).toBe(2);
      expect(s.stderr).toMatch(
        new RegExp(
          `accessible by group or others \\(mode 0${mode.toString(8)}\\).*chmod 600 .*INSECURE_SECRET`,
        ),
      );
      expect(existsSync(path.join(work, 'never'))).toBe(false);
    }
  });

  it('no entropy (all bytes equal, or a short pattern repeated): refused', async () => {
    for (const hex of ['00'.repeat(32), 'ff'.repeat(40), '0102'.repeat(16), '0011223344556677'.repeat(4)]) {
      const f = path.join(work, `weak-${hex.slice(0, 8)}.secret`);
      writeFileSync(f, `${hex}\n`, { mode: 0o600 });
      const s = await zk([
        'prove',
        db,
        '--at',
        AT,
        '--currency',
        'USD',
        '--secret-file',
        f,
        '--insecure-dev-keys',
        '--allow-open-snapshot',
        '--out',
        path.join(work, 'never'),
      ]);
      expect(s.code).toBe(2);
      expect(s.stderr).toMatch(/has no entropy: its \d+ bytes take only \d+ distinct value.*INSECURE_SECRET/);
    }
  });
});

describe('prove --force replaces only an earlier bundle or packet directory', () => {
  it('--out . (the directory of the ledger and the secret): refused, both survive', async () => {
    const r = await prove(['--out', '.', '--force'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/output directory \. holds the ledger .*UNSAFE_OUTPUT_DIR/);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(secret)).toBe(true);
  });

  it('--packets holding the secret file: refused', async () => {
    const r = await prove(['--out', path.join(work, 'b-x'), '--packets', work, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds the (ledger|secret file)/);
    expect(existsSync(secret)).toBe(true);
  });

  it('--packets holding --out: refused (replacing the packets would delete the fresh bundle)', async () => {
    const pk = path.join(work, 'pk-outer');
    const r = await prove(['--out', path.join(pk, 'bundle'), '--packets', pk, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lies inside the packets directory/);
    const r2 = await prove(['--out', path.join(pk, 'bundle'), '--packets', pk]);
    expect(r2.code).toBe(2);
  });

  it('--force on a directory that is not a bundle: refused, its files survive', async () => {
    const other = path.join(work, 'photos');
    mkdirSync(other);
    writeFileSync(path.join(other, 'holiday.jpg'), 'x');
    const r = await prove(['--out', other, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to replace .*photos: it holds "holiday.jpg"/);
    expect(existsSync(path.join(other, 'holiday.jpg'))).toBe(true);
    // A manifest.json that is not a zkreserve manifest is no bundle either.
    const fake = path.join(work, 'fake-bundle');
    mkdirSync(fake);
    writeFileSync(path.join(fake, 'manifest.json'), '{"name":"my-app"}');
    const f = await prove(['--out', fake, '--force']);
    expect(f.stderr).toMatch(/not a zkreserve bundle manifest/);
    expect(existsSync(path.join(fake, 'manifest.json'))).toBe(true);
  });

  it('--force on a packets directory holding other files: refused', async () => {
    const pk = path.join(work, 'pk-notes');
    mkdirSync(pk);
    writeFileSync(path.join(pk, 'notes.txt'), 'x');
    const r = await prove(['--out', path.join(work, 'b-notes'), '--packets', pk, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/it holds "notes.txt", which is not an inclusion packet/);
    expect(existsSync(path.join(pk, 'notes.txt'))).toBe(true);
  });

  it('writes packets 0600 in a 0700 folder, and --force replaces the earlier bundle and packets', async () => {
    const out = path.join(work, 'bundle');
    const first = await prove(['--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const packets = `${out}-packets`;
    expect(statSync(packets).mode & 0o777).toBe(0o700);
    const files = readdirSync(packets);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(path.join(packets, f)).mode & 0o777).toBe(0o600);
    const again = await prove(['--out', out, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(true);
    expect(readdirSync(packets)).toEqual(files);
  });
});

describe('prove at a T with no ledger event after it (an open snapshot)', () => {
  it('is refused without --allow-open-snapshot, and said so with it', async () => {
    const args = [
      'prove',
      db,
      '--at',
      AT,
      '--currency',
      'USD',
      '--secret-file',
      secret,
      '--insecure-dev-keys',
    ];
    const out = path.join(work, 'open');
    const r = await zk([...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /latest audit event \(#\d+ at 2000-01-01T00:00:00.000Z\) is not later than --at 2000-01-01T00:00:00.000Z: a later write may still be dated at or before that time.*--allow-open-snapshot.*OPEN_SNAPSHOT/,
    );
    expect(existsSync(out)).toBe(false);
    const ok = await zk([...args, '--out', out, '--allow-open-snapshot', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/note: open snapshot: .*allowed by --allow-open-snapshot/);
  });

  it('a ledger with an event after T proves without the flag', async () => {
    const dir = await tempDir('defaults-closed');
    const closed = path.join(dir, 'l.db');
    await zk(['init', closed]);
    await zk(['import', closed, await writeText(dir, 'b.csv', GOOD_CSV)]);
    const later = JSON.stringify({
      op: 'open',
      ownerType: 'USER',
      currency: 'USD',
      externalRef: 'late-comer',
      at: '2025-06-01T00:00:00Z',
    });
    const imp = await zk(['import', closed, await writeText(dir, 'later.jsonl', `${later}\n`)]);
    expect(imp.code, imp.stderr).toBe(0);
    const r = await zk([
      'prove',
      closed,
      '--at',
      '2025-01-01T00:00:00Z',
      '--currency',
      'USD',
      '--secret-file',
      secret,
      '--insecure-dev-keys',
      '--out',
      path.join(dir, 'bundle'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/open snapshot/);
  });
});
