// The auditor's snarkjs-only check (scripts/verify-with-snarkjs.sh, walked through in docs/verifying.md)
// runs on a real bundle: it passes, and each kind of tampering that individually valid proofs cannot
// reveal (swapped chunk proofs, a manifest claim) or that they can (a changed public signal) fails it.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAuditorScript } from '../support/auditor-script.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, copyDir, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';

let bundleDir: string;

beforeAll(async () => {
  const keys = await devKeys();
  const fx = makeLedger(10);
  const statement = await statementFromLedger(fx.ledger, T, 'USD');
  const work = await tempDir('auditor');
  bundleDir = path.join(work, 'bundle');
  // 10 users padded to 72 slots: 9 chunks, levels [9, 2, 1]; the second level-1 node has 7 padding slots.
  await proveSolvency({
    statement,
    secret: SECRET,
    keys,
    outDir: bundleDir,
    packetsDir: path.join(work, 'packets'),
    allowInsecureDevKeys: true,
    padToUsers: 72,
    publishTotal: true,
  });
  await terminateCurves();
}, 600_000);

describe('scripts/verify-with-snarkjs.sh', () => {
  it('passes a genuine bundle, every step, and warns about the dev keys', async () => {
    const { code, out } = await runAuditorScript(bundleDir);
    expect(out).toContain('step 1: 13 Groth16 proofs verify');
    expect(out).toContain('step 2: tree shape 9 2 1 (K = 8) is complete');
    expect(out).toContain('step 3: every link holds');
    expect(out).toContain('WARNING: INSECURE DEVELOPMENT KEYS');
    expect(out).toMatch(/^OK: /m);
    expect(code).toBe(0);
  });

  it('fails when two valid chunk proofs trade places (step 3)', async () => {
    const dir = await copyDir(bundleDir, 'auditor-swap');
    const a = path.join(dir, 'proofs', 'L0-000000');
    const b = path.join(dir, 'proofs', 'L0-000001');
    await rename(a, `${a}.tmp`);
    await rename(b, a);
    await rename(`${a}.tmp`, b);
    const { code, out } = await runAuditorScript(dir);
    expect(out).toContain('step 1: 13 Groth16 proofs verify');
    expect(out).toContain('FAIL: L1-000000 slot 0 does not match L0-000000');
    expect(code).toBe(1);
  });

  it('fails when the manifest claims other reserves than the proof (step 4)', async () => {
    const dir = await copyDir(bundleDir, 'auditor-reserves');
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    manifest.reserves = (BigInt(manifest.reserves) + 1n).toString();
    await writeFile(file, JSON.stringify(manifest, null, 2));
    const { code, out } = await runAuditorScript(dir);
    expect(out).toContain('FAIL: reserves differ from the manifest');
    expect(code).toBe(1);
  });

  it('fails when a public signal is changed (step 1)', async () => {
    const dir = await copyDir(bundleDir, 'auditor-signal');
    const file = path.join(dir, 'proofs', 'solvency', 'public.json');
    const signals = JSON.parse(await readFile(file, 'utf8')) as string[];
    signals[2] = (BigInt(signals[2]!) + 1n).toString();
    await writeFile(file, JSON.stringify(signals, null, 1));
    const { code, out } = await runAuditorScript(dir);
    expect(out).toContain('FAIL: proof proofs/solvency does not verify');
    expect(code).toBe(1);
  });

  it('fails when the manifest misstates the tree shape (step 2)', async () => {
    const dir = await copyDir(bundleDir, 'auditor-pad');
    // Level 1 must hold ceil(9 / 8) = 2 nodes: a manifest that hides one is refused.
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    manifest.tree.levels = [9, 1, 1];
    await writeFile(file, JSON.stringify(manifest, null, 2));
    const { code, out } = await runAuditorScript(dir);
    expect(out).toContain('FAIL: level 1 has 1 nodes, expected 2');
    expect(code).toBe(1);
  });
});
