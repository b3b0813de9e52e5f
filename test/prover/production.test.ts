// The production family end to end: 300 users (3 chunks of 128, one aggregation of 16, the solvency proof)
// proved with the b64-n128-k16 dev keys made from the insecure 2^16 test ptau, checked with zkreserve's
// verifier, the snarkjs CLI and every user's packet. One proving run per backend (each chunk proof is ~10 s
// on one thread): BACKENDS lists the proving backends to run it on (today only the in-process worker pool;
// the queue and native backends add themselves here).
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import type { ProveSolvencyOptions } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { ensureDevKeys } from '../../src/setup/dev-ceremony.js';
import { hasTestPtau16, testPtau16Path } from '../../src/setup/test-ptau.js';
import { B64_N128_K16 } from '../../src/protocol/families.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, listFiles, makeLedger, tempDir } from './fixtures.js';
import { rapidsnarkAbsent, rapidsnarkBinary } from '../support/rapidsnark.js';

const run = promisify(execFile);
const CLI = path.resolve('node_modules/snarkjs/build/cli.cjs');
const USERS = 300;

/** A proving backend to run the production proof on: extra options for proveSolvency. */
interface Backend {
  name: string;
  options: Partial<ProveSolvencyOptions>;
}

const BACKENDS: Backend[] = [
  { name: 'in-process worker pool (snarkjs)', options: { prover: { backend: 'snarkjs' } } },
];
if (rapidsnarkBinary) {
  BACKENDS.push({
    name: 'rapidsnark',
    options: { prover: { backend: 'rapidsnark', rapidsnarkPath: rapidsnarkBinary } },
  });
} else {
  console.warn(`test/prover/production.test.ts: the rapidsnark backend is skipped: ${rapidsnarkAbsent}`);
}
/** Each backend's output directories, compared at the end: the public outputs must be identical. */
const outputs = new Map<string, { bundleDir: string; packetsDir: string }>();

const present = hasTestPtau16();
if (!present) {
  console.warn(
    `test/prover/production.test.ts skipped: the insecure test ptau ${testPtau16Path()} is absent ` +
      '(set ZKRESERVE_TEST_PTAU16 or put ../shared/fixtures/ptau16 next to the repository)',
  );
}

describe.skipIf(!present).each(BACKENDS)('production family b64-n128-k16 on $name', (backend) => {
  let keys: KeySet;
  let statement: SolvencyStatement;
  let bundleDir: string;
  let packetsDir: string;

  beforeAll(async () => {
    // Made once per machine (zkey new of the chunk circuit: about 2 minutes), then cached in build/keys/dev.
    keys = await ensureDevKeys(B64_N128_K16);
    statement = await statementFromLedger(makeLedger(USERS).ledger, T, 'USD');
    const work = await tempDir('production');
    bundleDir = path.join(work, 'bundle');
    packetsDir = path.join(work, 'packets');
    await proveSolvency({
      statement,
      secret: SECRET,
      keys,
      outDir: bundleDir,
      packetsDir,
      allowInsecureDevKeys: true,
      ...backend.options,
    });
    outputs.set(backend.name, { bundleDir, packetsDir });
    await terminateCurves();
  }, 1_800_000);

  it('uses keys made from the test ptau, marked insecure', () => {
    expect(keys.insecure).toBe(true);
    expect(keys.manifest.ptau).toMatchObject({ power: 16, origin: 'insecure-dev' });
    expect(keys.manifest.circuits['b64-n128-k16-chunk']!.constraints).toBe(44426);
  });

  it('verifies with zkreserve: 3 chunks of 128, one aggregation, the solvency proof', async () => {
    const bundle = await readBundle(bundleDir);
    expect(bundle.manifest.family.id).toBe('b64-n128-k16');
    expect(bundle.manifest.tree.levels).toEqual([3, 1]);
    const report = await verifyBundle(bundle);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/INSECURE/);
    expect(report.summary).toMatchObject({ chunks: 3, paddedUsers: 384 });
  });

  it('a manifest claiming a real ceremony for these keys is caught: the verifier knows the test ptau', async () => {
    // Attack: relabel a bundle proven with the public test-ptau keys as a ceremony's, so that no warning shows.
    const bundle = await readBundle(bundleDir);
    const lying = {
      ...bundle,
      manifest: {
        ...bundle.manifest,
        keys: { ...bundle.manifest.keys, ceremony: 'ceremony', insecure: false },
      },
    };
    const report = await verifyBundle(lying as typeof bundle);
    expect(report.ok).toBe(false);
    expect(report.errors.join(' ')).toMatch(/public insecure test powers of tau/);
  });

  it('verifies with the snarkjs CLI, proof by proof', async () => {
    const bundle = await readBundle(bundleDir);
    expect(bundle.manifest.proofs).toHaveLength(5);
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

  it('one packet per user; a spread sample of 25 verifies against the bundle, a changed balance does not', async () => {
    const files = (await readdir(packetsDir)).sort();
    expect(files).toHaveLength(USERS);
    const bundle = await readBundle(bundleDir);
    // Every 12th packet (ids are hashes, so the sample spans the chunks): each check verifies a chunk proof.
    for (const f of files.filter((_, i) => i % 12 === 0)) {
      const r = await verifyInclusion(await readPacket(path.join(packetsDir, f)), bundle);
      expect(r.reason).toBe('');
      expect(r.ok).toBe(true);
    }
    const packet = await readPacket(path.join(packetsDir, files[0]!));
    const forged = { ...packet, balance: (BigInt(packet.balance) + 1n).toString() };
    expect((await verifyInclusion(forged, bundle)).ok).toBe(false);
  });
});

describe.skipIf(!present || BACKENDS.length < 2)(
  'production family: every backend makes the same bundle',
  () => {
    it('identical manifest, verification keys, public signals and packets (the proofs themselves differ)', async () => {
      const [first, ...others] = [...outputs.values()];
      expect(first, 'the backends above must have run').toBeDefined();
      expect(others.length).toBe(BACKENDS.length - 1);
      const publicFiles = async (dir: string): Promise<Map<string, string>> => {
        const m = new Map<string, string>();
        for (const f of await listFiles(dir)) {
          if (f.endsWith('proof.json')) continue;
          m.set(f, await readFile(path.join(dir, f), 'utf8'));
        }
        return m;
      };
      for (const o of others) {
        expect(await publicFiles(o.bundleDir)).toEqual(await publicFiles(first!.bundleDir));
        expect(await publicFiles(o.packetsDir)).toEqual(await publicFiles(first!.packetsDir));
      }
    });
  },
);
