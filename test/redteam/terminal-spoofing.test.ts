// Attack (issue 9 §5): the operator hands out a packet, or publishes a bundle, whose strings (externalRef,
// currency, snapshotTime, keys.ceremony, transcript names, and error messages that quote them) hold terminal
// control sequences: an ESC P (device control string) swallows the real verdict, a CSI clears the screen, a
// C1 CSI (U+009B) does the same on terminals that take 8-bit controls, a bidi override (U+202E) reorders the
// line, and a newline starts a fake "INCLUDED" line. The real CLI must show every such character escaped,
// in text and in JSON, and print the verdict as its first line.
import { readFileSync, readdirSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOOD_CSV, tempDir, writeText, zk } from '../cli/helpers.js';

/** Any character a terminal could act on or reorder by: C0 but newline, DEL, C1, bidi, separators. */
const RAW_UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching raw control characters is the point of the test
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;
const HOSTILE =
  '\u001bP+q\u001b\\\u001b[2J\u009b2J\u0090x\u009c\u202eDILAV\u2066\u200f\u2028\r\nINCLUDED: fake';

let work: string;
let bundle: string;
let packetFile: string;

beforeAll(async () => {
  work = await tempDir('terminal-spoof');
  const db = path.join(work, 'ledger.db');
  const secret = path.join(work, 'op.secret');
  bundle = path.join(work, 'bundle');
  await zk(['init', db]);
  const imp = await zk(['import', db, await writeText(work, 'b.csv', GOOD_CSV)]);
  if (imp.code !== 0) throw new Error(imp.stderr);
  await zk(['secret', 'new', secret]);
  const r = await zk([
    'prove',
    db,
    '--at',
    '2000-01-01T00:00:00Z',
    '--currency',
    'USD',
    '--out',
    bundle,
    '--secret-file',
    secret,
    '--insecure-dev-keys',
    '--allow-open-snapshot',
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  const packets = `${bundle}-packets`;
  packetFile = path.join(packets, readdirSync(packets).sort()[0]!);
});

function expectNoRawControls(r: { stdout: string; stderr: string }): void {
  expect(RAW_UNSAFE.exec(r.stdout), `stdout: ${JSON.stringify(r.stdout)}`).toBeNull();
  expect(RAW_UNSAFE.exec(r.stderr), `stderr: ${JSON.stringify(r.stderr)}`).toBeNull();
}

async function hostilePacket(edit: (p: Record<string, unknown>) => void): Promise<string> {
  const p = JSON.parse(readFileSync(packetFile, 'utf8')) as Record<string, unknown>;
  edit(p);
  const file = path.join(work, `hostile-${Math.random().toString(16).slice(2)}.json`);
  await writeFile(file, JSON.stringify(p, null, 2));
  return file;
}

interface ManifestStrings {
  currency: string;
  snapshotTime: string;
  keys: { ceremony: string; transcript?: { name: string }[] };
}

async function hostileBundle(edit: (m: ManifestStrings) => void): Promise<string> {
  const dir = path.join(work, `bundle-${Math.random().toString(16).slice(2)}`);
  await cp(bundle, dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as ManifestStrings;
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2));
  return dir;
}

describe('verify-inclusion on a packet with terminal control sequences in its strings', () => {
  it('text: no raw control/C1/bidi character reaches the terminal, and the verdict is the first line', async () => {
    const file = await hostilePacket((p) => {
      p.externalRef = `alice${HOSTILE}`;
    });
    const r = await zk(['verify-inclusion', file, '--bundle', bundle]);
    expectNoRawControls(r);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^(INCLUDED|NOT INCLUDED)/);
    expect(lines.filter((l) => l.startsWith('INCLUDED: fake'))).toEqual([]);
    expect(r.stdout).toContain('\\u{1b}P');
    expect(r.stdout).toContain('\\u{202e}');
  });

  it('json: the same value, spelt with \\u escapes only', async () => {
    const file = await hostilePacket((p) => {
      p.externalRef = `alice${HOSTILE}`;
    });
    const r = await zk(['verify-inclusion', file, '--bundle', bundle, '--json']);
    expectNoRawControls(r);
    expect((JSON.parse(r.stdout) as { externalRef: string }).externalRef).toBe(`alice${HOSTILE}`);
  });

  it('an error message that quotes a hostile field is escaped too', async () => {
    const file = await hostilePacket((p) => {
      p.protocol = HOSTILE;
      p.currency = HOSTILE;
      p.snapshotTime = HOSTILE;
    });
    const r = await zk(['verify-inclusion', file, '--bundle', bundle]);
    expect(r.code).not.toBe(0);
    expectNoRawControls(r);
  });
});

describe('verify on a manifest with terminal control sequences in its strings', () => {
  it('text: escaped, and RESULT is the first line', async () => {
    const dir = await hostileBundle((m) => {
      m.keys.ceremony = HOSTILE;
      m.snapshotTime = HOSTILE;
      if (Array.isArray(m.keys.transcript) && m.keys.transcript[0]) m.keys.transcript[0].name = HOSTILE;
    });
    const r = await zk(['verify', dir]);
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    expect(r.stdout.split('\n')[0]).toMatch(/^RESULT: INVALID/);
  });

  it('a hostile ceremony name alone (the bundle may still verify): escaped, RESULT first', async () => {
    const dir = await hostileBundle((m) => {
      m.keys.ceremony = `insecure-dev${HOSTILE}`;
      m.currency = `USD${HOSTILE}`;
    });
    for (const args of [[], ['--json']]) {
      const r = await zk(['verify', dir, ...args]);
      expectNoRawControls(r);
      if (args.length === 0) expect(r.stdout.split('\n')[0]).toMatch(/^RESULT: (VALID|INVALID)/);
    }
  });

  it('a valid bundle: the verdict still comes first, before the insecure-keys banner', async () => {
    const r = await zk(['verify', bundle]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^RESULT: VALID/);
  });
});

describe('import refuses external references that a terminal cannot show faithfully', () => {
  const cases: [string, string, RegExp][] = [
    ['a bidi override', 'ali\u202eecn', /U\+202E at position 4/],
    ['an escape character', 'bob\u001b[2J', /U\+001B/],
    ['a C1 control', 'carol\u009b', /U\+009B/],
    ['a zero-width space', 'da\u200bve', /U\+200B/],
    ['a line separator', 'e\u2028ve', /U\+2028/],
    ['129 characters', 'x'.repeat(129), /129 characters long: at most 128/],
  ];
  for (const [what, ref, message] of cases) {
    it(`a CSV row with ${what}`, async () => {
      const dir = await tempDir('terminal-ref');
      const db = path.join(dir, 'l.db');
      await zk(['init', db]);
      const csv = await writeText(
        dir,
        'x.csv',
        `external_ref,owner_type,currency,balance\n"${ref}",USER,USD,1.00\nbank,RESERVE,USD,1.00\n`,
      );
      const r = await zk(['import', db, csv]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('[INVALID_EXTERNAL_REF]');
      expectNoRawControls(r);
    });
  }

  it('a JSON-lines open with a bidi isolate', async () => {
    const dir = await tempDir('terminal-ref');
    const db = path.join(dir, 'l.db');
    await zk(['init', db]);
    const line = JSON.stringify({
      op: 'open',
      ownerType: 'USER',
      currency: 'USD',
      externalRef: 'mallory\u2066',
      at: '2025-01-01T00:00:00Z',
    });
    const r = await zk(['import', db, await writeText(dir, 'x.jsonl', `${line}\n`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.jsonl:1: externalRef contains the non-printable character U\+2066/);
  });

  it('128 printable characters, emoji and accents included, are accepted', async () => {
    const dir = await tempDir('terminal-ref');
    const db = path.join(dir, 'l.db');
    await zk(['init', db]);
    const ref = `Zoë 🦊 ${'y'.repeat(122)}`;
    expect([...ref]).toHaveLength(128);
    const csv = await writeText(
      dir,
      'x.csv',
      `external_ref,owner_type,currency,balance\n"${ref}",USER,USD,1.00\nbank,RESERVE,USD,1.00\n`,
    );
    const r = await zk(['import', db, csv]);
    expect(r.code, r.stderr).toBe(0);
  });
});
