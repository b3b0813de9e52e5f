// The whole honest trusted-setup path as an operator runs it, through the real CLI (subprocesses): a phase-2
// ceremony for the dev family b64-n8-k8 on an unlisted 2^12 phase-1 file, two contributors, a beacon, verify
// (with the contributors' published receipts), export; then a ledger proved with those keys (no
// --insecure-dev-keys) and verified with and without pinning the keys. Negative steps: the dev keys pinned
// against this bundle, the public dev ptau offered for the ceremony, an edited receipt, a dropped contribution.
//
// The phase-1 file is NOT the dev ptau (ensureDevPtau): its secrets are public, keys built on it are forgeable
// whatever the phase-2 contributions, and the verifier rejects them (their vk_alpha_1 is the dev one). A random
// 2^12 file made once and cached (ensureTestPtau) stands in for an independent phase 1.
//
// One ceremony is shared by every step (they run in order); the full zkey verification of the three circuits
// runs once (setup verify: export reuses it through verified.json), the rest on the solvency circuit only.
import { readFileSync, readdirSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevPtau } from '../../src/setup/dev-ceremony.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { ensureTestPtau } from '../setup/helpers.js';
import { repoRoot, tempDir, writeText, zk, type RunResult } from './helpers.js';

const FAMILY = 'b64-n8-k8';
const CIRCUITS = ['chunk', 'aggregate', 'solvency'].map((k) => `${FAMILY}-${k}`);
const SOLVENCY = `${FAMILY}-solvency`;
const BEACON = '00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';
const AT = '2025-01-01T00:00:00Z';
const STEP = 600_000;

/** A dozen users (one owing the platform), a reserve, the platform's equity: solvent. */
const CSV = [
  'external_ref,owner_type,currency,balance',
  ...Array.from(
    { length: 12 },
    (_, i) => `user-${i + 1},USER,USD,${i === 4 ? '-3.50' : `${(i + 1) * 10}.25`}`,
  ),
  'bank-1,RESERVE,USD,5000.00',
  'platform,PLATFORM,USD,4270.75',
  '',
].join('\n');

let root: string;
let ptau: string;
let ceremony: string;
let keys: string;
let published: string;
let db: string;
let secret: string;
let bundle: string;
let packets: string;

const receiptFile = (who: string) => path.join(published, `${who}.json`);
const zkeyFile = (dir: string, name: string, i: number) =>
  path.join(dir, 'zkeys', `${name}_${String(i).padStart(4, '0')}.zkey`);

function expectOk(r: RunResult): void {
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
}

beforeAll(async () => {
  ptau = await ensureTestPtau();
  await terminateCurves();
  root = await tempDir('ceremony-e2e');
  ceremony = path.join(root, 'ceremony');
  keys = path.join(root, 'keys');
  published = path.join(root, 'published');
  db = path.join(root, 'ledger.db');
  secret = path.join(root, 'op.secret');
  bundle = path.join(root, 'bundle');
  packets = `${bundle}-packets`;
  await mkdir(published);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('trusted setup, end to end through the CLI', () => {
  it('setup init refuses the public dev ptau, even with --allow-unlisted', async () => {
    const dev = (await ensureDevPtau()).file;
    await terminateCurves();
    const r = await zk([
      'setup',
      'init',
      '--dir',
      path.join(root, 'on-dev-ptau'),
      '--ptau',
      dev,
      '--allow-unlisted',
      '--family',
      FAMILY,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/public insecure development powers of tau .* forgeable/);
  });

  it(
    'setup init on an explicitly unlisted 2^12 ptau',
    async () => {
      const r = await zk([
        'setup',
        'init',
        '--dir',
        ceremony,
        '--ptau',
        ptau,
        '--allow-unlisted',
        '--family',
        FAMILY,
      ]);
      expectOk(r);
      expect(r.stdout).toMatch(/with ptau 2\^12 \(unlisted\)/);
      for (const c of CIRCUITS) expect(r.stdout).toContain(c);
    },
    STEP,
  );

  it(
    'two contributors, each publishing the receipt printed to them',
    async () => {
      for (const [i, who] of ['alice', 'bob'].entries()) {
        const r = await zk([
          'setup',
          'contribute',
          '--dir',
          ceremony,
          '--name',
          who,
          '--entropy',
          `${who} mashed the keyboard`,
        ]);
        expectOk(r);
        expect(r.stdout).toContain(`contribution #${i + 1} by ${who} recorded`);
        const file = r.stdout.match(/^receipt: (.*)$/m)?.[1];
        expect(file).toBe(path.join(ceremony, 'receipts', `000${i + 1}.json`));
        const receipt = JSON.parse(readFileSync(file!, 'utf8')) as {
          name: string;
          contributions: Record<string, string>;
        };
        expect(receipt.name).toBe(who);
        // The hashes printed to the contributor are the receipt's.
        for (const c of CIRCUITS) expect(r.stdout).toContain(`${c}: ${receipt.contributions[c]}`);
        await cp(file!, receiptFile(who)); // "published" outside the ceremony directory
      }
    },
    STEP,
  );

  it(
    'setup beacon closes the ceremony',
    async () => {
      const r = await zk(['setup', 'beacon', '--dir', ceremony, BEACON, '10']);
      expectOk(r);
      expect(r.stdout).toMatch(/beacon applied as step #3; the ceremony is finalized/);
      await cp(path.join(ceremony, 'receipts', '0003.json'), receiptFile('beacon'));
      const late = await zk(['setup', 'contribute', '--dir', ceremony, '--name', 'late', '--entropy', 'x']);
      expect(late.code).toBe(2);
      expect(late.stderr).toMatch(/finalized/);
    },
    STEP,
  );

  it(
    'setup verify with every published receipt: exit 0, every circuit and receipt ok',
    async () => {
      const r = await zk([
        'setup',
        'verify',
        '--dir',
        ceremony,
        '--receipt',
        receiptFile('alice'),
        '--receipt',
        receiptFile('bob'),
        '--receipt',
        receiptFile('beacon'),
      ]);
      expectOk(r);
      for (const c of CIRCUITS) expect(r.stdout).toContain(`  ${c}: ok`);
      expect(r.stdout).toMatch(
        /#1 contribution by alice\n\s+#2 contribution by bob\n\s+#3 beacon by final beacon/,
      );
      expect(r.stdout).toContain('receipt #1 alice: matches the chain');
      expect(r.stdout).toContain('receipt #2 bob: matches the chain');
      expect(r.stdout).toContain('receipt #3 final beacon: matches the chain');
      expect(r.stdout).toMatch(/warning: the ptau is not a published Hermez file \(origin: unlisted\)/);
      expect(r.stdout).toContain('ceremony verifies (with 3 published receipts)');
    },
    STEP,
  );

  it(
    'setup verify refuses an edited receipt, naming the contributor and the circuit',
    async () => {
      const edited = path.join(published, 'bob-edited.json');
      const bob = JSON.parse(readFileSync(receiptFile('bob'), 'utf8')) as {
        contributions: Record<string, string>;
      };
      bob.contributions[SOLVENCY] = 'ab'.repeat(64);
      await writeText(published, 'bob-edited.json', JSON.stringify(bob));
      const r = await zk([
        'setup',
        'verify',
        '--dir',
        ceremony,
        '--circuit',
        SOLVENCY,
        '--receipt',
        receiptFile('alice'),
        '--receipt',
        edited,
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('receipt #1 alice: matches the chain');
      expect(r.stdout).toMatch(new RegExp(`receipt #2 bob: BAD: receipt of "bob" \\(#2\\): ${SOLVENCY}: `));
      expect(r.stderr).toMatch(/ceremony does NOT verify: .*the receipt says (ab){64}/);
    },
    STEP,
  );

  it(
    'setup export',
    async () => {
      const r = await zk(['setup', 'export', '--dir', ceremony, '--out', keys]);
      expectOk(r);
      // The full setup verify above passed on these very files: export says so instead of verifying again.
      expect(r.stderr).toMatch(/every circuit verified and no file changed since \(verified.json\)/);
      expect(r.stdout).toMatch(/exported 3 circuits to .* \(3 transcript steps\)/);
      const m = JSON.parse(readFileSync(path.join(keys, 'manifest.json'), 'utf8')) as {
        kind: string;
        ptau: { origin: string };
        transcript: { name: string }[];
      };
      expect(m.kind).toBe('ceremony');
      expect(m.ptau.origin).toBe('unlisted');
      expect(m.transcript.map((t) => t.name)).toEqual(['alice', 'bob', 'final beacon']);
    },
    STEP,
  );

  it(
    'setup verify of the key export alone (what a user holds), with the receipts',
    async () => {
      const args = ['setup', 'verify', '--keys', keys, '--ptau', ptau, '--circuit', SOLVENCY];
      const receipts = ['alice', 'bob', 'beacon'].flatMap((w) => ['--receipt', receiptFile(w)]);
      const r = await zk([...args, ...receipts]);
      expectOk(r);
      expect(r.stdout).toContain(`key export ${keys} verifies (with 3 published receipts)`);
      const noPtau = await zk(['setup', 'verify', '--keys', keys]);
      expect(noPtau.code).toBe(2);
      expect(noPtau.stderr).toMatch(/needs --ptau/);
    },
    STEP,
  );

  it(
    'ledger: init, import a dozen users and a reserve, a secret',
    async () => {
      expectOk(await zk(['init', db]));
      const csv = await writeText(root, 'balances.csv', CSV);
      const imp = await zk(['import', db, csv]);
      expectOk(imp);
      expect(imp.stdout).toMatch(/14 rows/);
      expectOk(await zk(['secret', 'new', secret]));
    },
    STEP,
  );

  it(
    'prove with the ceremony keys, WITHOUT --insecure-dev-keys',
    async () => {
      const r = await zk([
        'prove',
        db,
        '--allow-open-snapshot',
        '--at',
        AT,
        '--currency',
        'USD',
        '--out',
        bundle,
        '--secret-file',
        secret,
        '--keys',
        keys,
        '--json',
      ]);
      expectOk(r);
      const res = JSON.parse(r.stdout) as { ok: boolean; users: number; insecureKeys: boolean };
      expect(res).toMatchObject({ ok: true, users: 12, insecureKeys: false });
      expect(r.stderr).not.toMatch(/INSECURE/);
      expect(readdirSync(packets)).toHaveLength(12);
    },
    STEP,
  );

  it(
    'verify the bundle: valid, no insecure-keys warning, names the ceremony and its transcript',
    async () => {
      const r = await zk(['verify', bundle]);
      expectOk(r);
      expect(r.stdout).toMatch(/RESULT: VALID/);
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/INSECURE/);
      expect(r.stdout).toMatch(/ceremony\s+ceremony\n/);
      expect(r.stdout).toMatch(
        /#1 contribution by "alice"\n\s+#2 contribution by "bob"\n\s+#3 beacon by "final beacon"/,
      );
      expect(r.stdout).toMatch(/pin them with --trusted-keys/);
    },
    STEP,
  );

  it(
    'verify --trusted-keys with the ceremony manifest: exit 0; with the dev keys manifest: exit 1',
    async () => {
      const pinned = await zk(['verify', bundle, '--trusted-keys', path.join(keys, 'manifest.json')]);
      expectOk(pinned);
      expect(pinned.stdout).toMatch(/RESULT: VALID/);
      expect(pinned.stdout).not.toMatch(/pin them with --trusted-keys/);
      const dev = await zk([
        'verify',
        bundle,
        '--trusted-keys',
        path.join(repoRoot, 'keys', 'dev', 'manifest.json'),
      ]);
      expect(dev.code).toBe(1);
      expect(dev.stdout).toMatch(/RESULT: INVALID/);
      expect(dev.stdout).toMatch(/verification key solvency: SHA-256 [0-9a-f]{64} is not the trusted key/);
    },
    STEP,
  );

  it(
    'verify-inclusion of one packet',
    async () => {
      const file = readdirSync(packets)
        .map((f) => path.join(packets, f))
        .find(
          (f) => (JSON.parse(readFileSync(f, 'utf8')) as { externalRef: string }).externalRef === 'user-3',
        );
      expect(file).toBeDefined();
      const r = await zk(['verify-inclusion', file!, '--bundle', bundle]);
      expectOk(r);
      expect(r.stdout).toMatch(/user-3/);
      expect(r.stdout).toMatch(/30\.25 USD/);
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/INSECURE/);
    },
    STEP,
  );

  it(
    'setup verify after a zkey is replaced by an earlier one of its chain: exit 1 naming the circuit',
    async () => {
      const copy = path.join(root, 'ceremony-dropped');
      await cp(ceremony, copy, { recursive: true });
      // The beacon dropped from the solvency circuit: its final zkey is the one after bob's contribution.
      await cp(zkeyFile(copy, SOLVENCY, 2), zkeyFile(copy, SOLVENCY, 3));
      // Only the damaged circuit is re-derived: the honest run above showed every circuit verifying.
      const r = await zk(['setup', 'verify', '--dir', copy, '--circuit', SOLVENCY]);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain(`  ${CIRCUITS[0]}: ok`);
      expect(r.stdout).toMatch(
        new RegExp(`  ${SOLVENCY}: BAD: .*the zkey has 2 contributions, the transcript lists 3`),
      );
      expect(r.stderr).toMatch(new RegExp(`ceremony does NOT verify: ${SOLVENCY}: `));
    },
    STEP,
  );
});
