// End to end: ledger -> statement -> proofs -> bundle + packets; checked with our verifier and the snarkjs CLI.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { InsolventError, OutputExistsError } from '../../src/prover/errors.js';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, copyDir, devKeys, listFiles, makeLedger, tempDir } from './fixtures.js';

const run = promisify(execFile);
const CLI = path.resolve('node_modules/snarkjs/build/cli.cjs');

let keys: KeySet;
let statement: SolvencyStatement;
let negativeUser: string;
let work: string;
let bundleDir: string;
let packetsDir: string;
const phases = new Set<string>();

async function snapshotDir(dir: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const f of await listFiles(dir)) m.set(f, await readFile(path.join(dir, f), 'utf8'));
  return m;
}

beforeAll(async () => {
  keys = await devKeys();
  const fx = makeLedger(21);
  negativeUser = fx.negativeUser;
  statement = await statementFromLedger(fx.ledger, T, 'USD');
  work = await tempDir('prove');
  bundleDir = path.join(work, 'bundle');
  packetsDir = path.join(work, 'packets');
  // 21 users padded to 72 slots: 9 chunks (6 of them padding), levels [9, 2, 1].
  await proveSolvency({
    statement,
    secret: SECRET,
    keys,
    outDir: bundleDir,
    packetsDir,
    allowInsecureDevKeys: true,
    padToUsers: 72,
    onProgress: (p) => phases.add(p.phase),
  });
  await terminateCurves();
});

describe('proveSolvency end to end', () => {
  it('takes the ledger at T: every USER account, a negative balance counted as 0', () => {
    expect(statement.users).toHaveLength(21);
    expect(statement.users.find((u) => u.accountId === negativeUser)!.liability).toBe(0n);
    expect(statement.snapshotTime).toBe(T);
    expect(statement.reserves).toBeGreaterThan(statement.users.reduce((s, u) => s + u.liability, 0n));
    expect([...phases]).toEqual(expect.arrayContaining(['chunk', 'aggregate', 'solvency', 'write']));
  });

  it('writes the bundle layout of protocol.md §7 with a complete manifest', async () => {
    const files = await listFiles(bundleDir);
    expect(files).toContain('manifest.json');
    expect(files).toContain('verification_keys/chunk.vkey.json');
    expect(files).toContain('proofs/L0-000008/proof.json');
    expect(files).toContain('proofs/L2-000000/public.json');
    expect(files).toContain('proofs/solvency/public.json');
    expect(files.filter((f) => f.endsWith('proof.json'))).toHaveLength(13);
    expect(files.some((f) => f.includes('packet') || /^[0-9a-f]{64}\.json$/.test(path.basename(f)))).toBe(
      false,
    );
    const m = JSON.parse(await readFile(path.join(bundleDir, 'manifest.json'), 'utf8'));
    expect(m.protocol).toBe('zkreserve/2');
    expect(m.tree.levels).toEqual([9, 2, 1]);
    expect(m.users).toMatchObject({ paddedUsers: 72, policy: 'padded' });
    expect(m.total).toBeNull();
    expect(m.snapshotTime).toBe(new Date(T).toISOString());
    expect(m.keys).toMatchObject({ ceremony: 'insecure-dev', insecure: true });
    expect(m.publicSignals.solvency[2]).toBe('reserves');
    // proof.json / public.json are byte-for-byte the snarkjs CLI format.
    const pub = await readFile(path.join(bundleDir, 'proofs/solvency/public.json'), 'utf8');
    expect(pub).toBe(JSON.stringify(JSON.parse(pub), null, 1));
  });

  it('verifies with our verifier and with the snarkjs CLI, proof by proof', async () => {
    const bundle = await readBundle(bundleDir);
    const report = await verifyBundle(bundle);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/INSECURE/);
    expect(report.summary).toMatchObject({
      chunks: 9,
      paddedUsers: 72,
      total: null,
      reserves: statement.reserves.toString(),
    });
    for (const e of bundle.manifest.proofs) {
      const { stdout } = await run('node', [
        CLI,
        'groth16',
        'verify',
        path.join(bundleDir, 'verification_keys', `${e.kind}.vkey.json`),
        path.join(bundleDir, e.path, 'public.json'),
        path.join(bundleDir, e.path, 'proof.json'),
      ]);
      expect(stdout).toMatch(/OK!/);
    }
  });

  it('the snarkjs CLI rejects a tampered public.json (the CLI check can fail)', async () => {
    const copy = await copyDir(bundleDir, 'cli-tamper');
    const pubFile = path.join(copy, 'proofs/solvency/public.json');
    const pub = JSON.parse(await readFile(pubFile, 'utf8')) as string[];
    pub[2] = (BigInt(pub[2]!) + 1n).toString();
    await writeFile(pubFile, JSON.stringify(pub, null, 1));
    const r = await run('node', [
      CLI,
      'groth16',
      'verify',
      path.join(copy, 'verification_keys/solvency.vkey.json'),
      pubFile,
      path.join(copy, 'proofs/solvency/proof.json'),
    ]).catch((e: { stdout: string }) => e);
    expect(r.stdout).toMatch(/Invalid proof/);
  });

  it("writes one packet per user, outside the bundle, and every user's packet verifies", async () => {
    const files = (await readdir(packetsDir)).sort();
    expect(files).toEqual(statement.users.map((u) => `${u.accountId}.json`).sort());
    const bundle = await readBundle(bundleDir);
    for (const f of files) {
      const packet = await readPacket(path.join(packetsDir, f));
      const u = statement.users.find((x) => x.accountId === packet.accountId)!;
      expect(packet.balance).toBe(u.liability.toString());
      expect(Object.keys(packet)).not.toContain('sum');
      const r = await verifyInclusion(packet, bundle);
      expect(r.reason).toBe('');
      expect(r.ok).toBe(true);
    }
  });

  it('is deterministic: same state, T and secret give identical public signals', async () => {
    const again = path.join(work, 'again');
    await proveSolvency({
      statement,
      secret: SECRET,
      keys,
      outDir: again,
      packetsDir: path.join(work, 'again-packets'),
      allowInsecureDevKeys: true,
      padToUsers: 72,
    });
    const a = await snapshotDir(bundleDir);
    const b = await snapshotDir(again);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [f, text] of a) {
      if (f.endsWith('public.json') || f === 'manifest.json' || f.endsWith('vkey.json'))
        expect(b.get(f), f).toBe(text);
    }
    // Proofs themselves are randomized.
    expect(b.get('proofs/solvency/proof.json')).not.toBe(a.get('proofs/solvency/proof.json'));
    expect(await snapshotDir(path.join(work, 'again-packets'))).toEqual(await snapshotDir(packetsDir));
  });

  it('refuses a non-empty output directory without force', async () => {
    await expect(
      proveSolvency({
        statement,
        secret: SECRET,
        keys,
        outDir: bundleDir,
        packetsDir: path.join(work, 'p2'),
        allowInsecureDevKeys: true,
      }),
    ).rejects.toBeInstanceOf(OutputExistsError);
  });

  it('a failure mid-run leaves the previous bundle and packets byte-identical', async () => {
    const before = await snapshotDir(bundleDir);
    const beforePackets = await snapshotDir(packetsDir);
    let calls = 0;
    await expect(
      proveSolvency({
        statement,
        secret: SECRET,
        keys,
        outDir: bundleDir,
        packetsDir,
        allowInsecureDevKeys: true,
        force: true,
        onProgress: () => {
          if (++calls === 3) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow(/interrupted/);
    expect(await snapshotDir(bundleDir)).toEqual(before);
    expect(await snapshotDir(packetsDir)).toEqual(beforePackets);
    // No temporary directory is left behind.
    expect((await readdir(work)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('an insolvent ledger stops before proving, names liabilities and reserves, writes nothing', async () => {
    const fx = makeLedger(5, { reserveShortfall: 60_000n });
    const st = await statementFromLedger(fx.ledger, T, 'USD');
    const liabilities = st.users.reduce((s, u) => s + u.liability, 0n);
    expect(liabilities).toBeGreaterThan(st.reserves);
    const out = path.join(work, 'insolvent');
    const err = await proveSolvency({
      statement: st,
      secret: SECRET,
      keys,
      outDir: out,
      packetsDir: path.join(work, 'insolvent-packets'),
      allowInsecureDevKeys: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsolventError);
    expect((err as Error).message).toContain(`liabilities ${liabilities}`);
    expect((err as Error).message).toContain(`reserves ${st.reserves}`);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(work, 'insolvent-packets'))).toBe(false);
    // Over an earlier bundle, with force: the earlier bundle stays intact.
    const before = await snapshotDir(bundleDir);
    await expect(
      proveSolvency({
        statement: st,
        secret: SECRET,
        keys,
        outDir: bundleDir,
        packetsDir,
        allowInsecureDevKeys: true,
        force: true,
      }),
    ).rejects.toBeInstanceOf(InsolventError);
    expect(await snapshotDir(bundleDir)).toEqual(before);
  });

  it('refuses insecure dev keys unless allowInsecureDevKeys', async () => {
    const out = path.join(work, 'refused');
    await expect(
      proveSolvency({
        statement,
        secret: SECRET,
        keys,
        outDir: out,
        packetsDir: path.join(work, 'refused-p'),
      }),
    ).rejects.toThrow(/insecure development keys/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a short secret before writing anything', async () => {
    const out = path.join(work, 'short');
    await mkdir(work, { recursive: true });
    await expect(
      proveSolvency({
        statement,
        secret: new Uint8Array(16),
        keys,
        outDir: out,
        packetsDir: path.join(work, 'short-p'),
        allowInsecureDevKeys: true,
      }),
    ).rejects.toThrow(/at least 32 bytes/);
    expect(existsSync(out)).toBe(false);
  });
});
