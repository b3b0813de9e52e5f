// The rapidsnark backend end to end on the dev family: the same ledger proved with snarkjs and with
// rapidsnark gives the same manifest, public signals, verification keys and packets (so the same bundle
// digest), and proofs in snarkjs' format that the snarkjs CLI verifies; the witness files (they hold
// balances) live in a private folder and are gone after the run.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { readBundle } from '../../src/bundle-io/read.js';
import { bundleDigest } from '../../src/bundle/digest.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyWithSnarkjsCli } from '../../src/zk/snarkjs-cli.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { doubleLog, rapidsnarkBinary, writeDouble } from '../support/rapidsnark.js';
import { SECRET, T, devKeys, listFiles, makeLedger, tempDir } from './fixtures.js';

let keys: KeySet;
let statement: SolvencyStatement;
let work: string;
let tmp: string;
let savedTmp: string | undefined;
let recorder: string;

async function prove(backend: 'snarkjs' | 'rapidsnark', name: string): Promise<string> {
  const outDir = path.join(work, name);
  await proveSolvency({
    statement,
    secret: SECRET,
    keys,
    outDir,
    packetsDir: `${outDir}-packets`,
    allowInsecureDevKeys: true,
    prover: backend === 'rapidsnark' ? { backend, rapidsnarkPath: recorder } : { backend },
  });
  return outDir;
}

async function contents(dir: string, filter: (f: string) => boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await listFiles(dir)).filter(filter)) out[f] = await readFile(path.join(dir, f), 'utf8');
  return out;
}

describe.skipIf(!rapidsnarkBinary)('rapidsnark and snarkjs make the same bundle', () => {
  let viaSnarkjs: string;
  let viaRapidsnark: string;

  beforeAll(async () => {
    keys = await devKeys();
    statement = await statementFromLedger(makeLedger(12).ledger, T, 'USD');
    work = await tempDir('rapidsnark-e2e');
    // Witness folders go below the system's temporary folder: point it at one this test owns.
    tmp = path.join(work, 'tmp');
    await mkdir(tmp);
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    // The real rapidsnark behind a double that records where the witness was and its file modes.
    // Its first answer has other public signals: it must be refused and that proof made again.
    recorder = await writeDouble(work, 'recorder', 'signals-first', rapidsnarkBinary);
    viaSnarkjs = await prove('snarkjs', 'snarkjs');
    viaRapidsnark = await prove('rapidsnark', 'rapidsnark');
  });

  afterAll(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await terminateCurves();
  });

  it('writes the same manifest, verification keys, public signals and packets', async () => {
    const notProof = (f: string) => !f.endsWith('proof.json');
    expect(await contents(viaRapidsnark, notProof)).toEqual(await contents(viaSnarkjs, notProof));
    expect(await contents(`${viaRapidsnark}-packets`, () => true)).toEqual(
      await contents(`${viaSnarkjs}-packets`, () => true),
    );
    const [a, b] = [await readBundle(viaSnarkjs), await readBundle(viaRapidsnark)];
    expect(bundleDigest(b)).toBe(bundleDigest(a));
    expect(b.manifest.proofs.length).toBeGreaterThanOrEqual(4);
  });

  it("writes proofs in snarkjs' format: same fields, same order, protocol groth16, curve bn128", async () => {
    const proofs = (await listFiles(viaRapidsnark)).filter((f) => f.endsWith('proof.json'));
    for (const f of proofs) {
      const [ours, theirs] = await Promise.all(
        [viaRapidsnark, viaSnarkjs].map(async (d) => JSON.parse(await readFile(path.join(d, f), 'utf8'))),
      );
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      expect([ours.protocol, ours.curve]).toEqual([theirs.protocol, theirs.curve]);
      expect([ours.protocol, ours.curve]).toEqual(['groth16', 'bn128']);
      expect(ours.pi_a).not.toEqual(theirs.pi_a); // a proof of its own, not a copy
    }
  });

  it('every rapidsnark proof verifies with the snarkjs CLI and the bundle with zkreserve', async () => {
    const bundle = await readBundle(viaRapidsnark);
    const cli = await verifyWithSnarkjsCli(viaRapidsnark, bundle.manifest.proofs);
    expect(cli.filter((r) => !r.ok)).toEqual([]);
    expect(cli).toHaveLength(bundle.manifest.proofs.length);
    const report = await verifyBundle(bundle);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('the first (wrong) answer was refused and proved again; witnesses were private and are gone', async () => {
    const log = doubleLog(recorder);
    const bundle = await readBundle(viaRapidsnark);
    expect(log).toHaveLength(bundle.manifest.proofs.length + 1);
    for (const l of log) {
      expect(l.wtnsMode).toBe('600');
      expect(l.dirMode).toBe('700');
      expect(l.rootMode).toBe('700');
      expect(path.dirname(path.dirname(l.wtns)).startsWith(path.join(tmp, 'zkreserve-witness-'))).toBe(true);
      expect(existsSync(l.wtns)).toBe(false);
    }
    expect(await readdir(tmp)).toEqual([]);
  });
});
