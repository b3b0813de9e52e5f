// The auditor's snarkjs-only check (scripts/verify-with-snarkjs.sh, walked through in docs/verifying.md)
// runs on one real bundle (levels [9, 2, 1]): it passes, and each kind of tampering that individually valid
// proofs cannot reveal (swapped chunk proofs, a manifest claim) or that they can (a changed public signal) fails
// it. Then the red team: the operator writes the whole bundle directory; the script must not pass anything the
// TypeScript verifier refuses on the checks it claims to do, and a bundle must never make it run code.
// One bundle and one honest run serve both: each run of the script starts snarkjs once per proof.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle-io/read.js';
import type { BundleManifest } from '../../src/bundle/format.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { copyDir } from '../prover/fixtures.js';
import { buildBundle, forgedKey, readJsonFile, writeJsonFile } from '../redteam/support.js';
import { runAuditorScript } from '../support/auditor-script.js';

let bundleDir: string;

/** A copy of the bundle with its manifest edited by `edit`. */
async function tampered(tag: string, edit: (m: BundleManifest, dir: string) => void | Promise<void>) {
  const dir = await copyDir(bundleDir, `redteam-sh-${tag}`);
  const file = path.join(dir, 'manifest.json');
  const m = await readJsonFile<BundleManifest>(file);
  await edit(m, dir);
  await writeFile(file, JSON.stringify(m, null, 2));
  return dir;
}

/** The TypeScript verifier's verdict on the same directory (false also when it cannot even read it). */
async function tsAccepts(dir: string): Promise<boolean> {
  try {
    return (await verifyBundle(await readBundle(dir))).ok;
  } catch {
    return false;
  }
}

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

beforeAll(async () => {
  // 12 users padded to 72 slots: 9 chunks, levels [9, 2, 1]; the second level-1 node has 7 padding slots.
  bundleDir = (await buildBundle('auditor', 12, { padToUsers: 72, publishTotal: true })).dir;
  await terminateCurves();
}, 600_000);

afterAll(async () => {
  await terminateCurves();
});

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
    // The first proof step 1 checks (the script stops at the first failure): the chunk's sum commitment.
    const dir = await copyDir(bundleDir, 'auditor-signal');
    const file = path.join(dir, 'proofs', 'L0-000000', 'public.json');
    const signals = JSON.parse(await readFile(file, 'utf8')) as string[];
    signals[1] = (BigInt(signals[1]!) + 1n).toString();
    await writeFile(file, JSON.stringify(signals, null, 1));
    const { code, out } = await runAuditorScript(dir);
    expect(out).toContain('FAIL: proof proofs/L0-000000 does not verify');
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

describe('verify-with-snarkjs.sh under attack', () => {
  it('never runs code named by the manifest (bash arithmetic on tree.levels / aggChildren)', async () => {
    for (const field of ['levels', 'aggChildren'] as const) {
      let marker = '';
      const dir = await tampered(`rce-${field}`, (m, d) => {
        marker = path.join(d, `pwned-${field}`);
        const payload = `LEVELS[$(touch ${marker})]`; // an array the script defines (set -u stops `a[...]`)
        if (field === 'levels') (m.tree.levels as unknown[]) = [payload, 1];
        else (m.family as Record<string, unknown>).aggChildren = payload;
      });
      const { code, out } = await runAuditorScript(dir);
      expect(existsSync(marker), `${field}: the manifest ran a command`).toBe(false);
      expect(code, out).toBe(1);
      expect(out).toMatch(/FAIL: (tree.levels|family.aggChildren) /);
      expect(await tsAccepts(dir)).toBe(false);
    }
  });

  it("refuses a solvency proof checked against a key the manifest's kind points to (forged reserves)", async () => {
    // The three verification_keys/*.vkey.json stay byte-identical to the ceremony's (step 0 of
    // docs/verifying.md passes), but the solvency entry's kind sends snarkjs to a degenerate key hidden in
    // proofs/, under which any public signals verify: reserves of 10^30, no insecure-key warning.
    const vkeyFiles = ['chunk', 'aggregate', 'solvency'].map((k) =>
      path.join('verification_keys', `${k}.vkey.json`),
    );
    const dir = await tampered('kind', async (m, d) => {
      const template = await readJsonFile<Record<string, unknown>>(path.join(d, vkeyFiles[2]!));
      const { vkey, proof } = forgedKey(template, 9);
      await writeJsonFile(path.join(d, 'proofs', 'solvency', 'forged.vkey.json'), vkey);
      await writeJsonFile(path.join(d, 'proofs', 'solvency', 'proof.json'), proof);
      const pub = await readJsonFile<string[]>(path.join(d, 'proofs', 'solvency', 'public.json'));
      const reserves = (10n ** 30n).toString();
      pub[2] = reserves;
      pub[7] = '0';
      pub[8] = '0';
      await writeJsonFile(path.join(d, 'proofs', 'solvency', 'public.json'), pub);
      m.reserves = reserves;
      m.total = null;
      m.keys.insecure = false;
      m.keys.ceremony = 'ceremony';
      m.proofs[m.proofs.length - 1]!.kind = '../proofs/solvency/forged' as never;
    });
    for (const f of vkeyFiles) expect(await sha(path.join(dir, f))).toBe(await sha(path.join(bundleDir, f)));
    const { code, out } = await runAuditorScript(dir);
    expect(out).not.toMatch(/^OK: /m);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL: the manifest's proof list/);
    expect(await tsAccepts(dir)).toBe(false);
  });

  it('refuses public signals written as JSON numbers (snarkjs reads them as doubles, jq prints them its own way)', async () => {
    const dir = await copyDir(bundleDir, 'redteam-sh-number');
    const file = path.join(dir, 'proofs', 'solvency', 'public.json');
    const pub = await readJsonFile<unknown[]>(file);
    pub[2] = Number(pub[2]);
    await writeJsonFile(file, pub);
    const { code, out } = await runAuditorScript(dir);
    expect(code, out).toBe(1);
    expect(out).toMatch(
      /FAIL: proofs\/solvency\/public.json: every public signal must be a canonical decimal string/,
    );
    expect(await tsAccepts(dir)).toBe(false);
  });

  it('refuses non-canonical decimals in public.json even when the manifest repeats them', async () => {
    const dir = await tampered('zeros', async (m, d) => {
      const file = path.join(d, 'proofs', 'solvency', 'public.json');
      const pub = await readJsonFile<string[]>(file);
      pub[2] = '000' + pub[2];
      m.reserves = pub[2]!;
      await writeJsonFile(file, pub);
    });
    const { code, out } = await runAuditorScript(dir);
    expect(code, out).toBe(1);
    expect(out).toMatch(/canonical decimal/);
    expect(await tsAccepts(dir)).toBe(false);
  });

  it('refuses a snapshotTime (shown to the auditor) that is not the proven snapshotTimeMs', async () => {
    const dir = await tampered('iso', (m) => {
      m.snapshotTime = new Date(Number(m.snapshotTimeMs) + 365 * 86_400_000).toISOString();
    });
    const { code, out } = await runAuditorScript(dir);
    expect(code, out).toBe(1);
    expect(out).toMatch(/FAIL: snapshotTime .* is not snapshotTimeMs/);
    expect(await tsAccepts(dir)).toBe(false);
  });

  it('refuses a duplicated proof entry and a proof read from another directory', async () => {
    const dup = await tampered('dup', (m) => {
      m.proofs.splice(1, 0, { ...m.proofs[0]! });
    });
    const a = await runAuditorScript(dup);
    expect(a.code, a.out).toBe(1);
    expect(await tsAccepts(dup)).toBe(false);
    const moved = await tampered('path', (m) => {
      m.proofs[1]!.path = 'proofs/L0-000000';
    });
    const b = await runAuditorScript(moved);
    expect(b.code, b.out).toBe(1);
    expect(b.out).toMatch(/FAIL: /);
    expect(await tsAccepts(moved)).toBe(false);
  });

  it('refuses a verification key file that is not the one the manifest hashes (b100 key in a b64 bundle)', async () => {
    const dir = await copyDir(bundleDir, 'redteam-sh-vkey');
    const file = path.join(dir, 'verification_keys', 'chunk.vkey.json');
    await writeFile(file, await readFile(path.resolve('keys/dev/b100-n8-k8-chunk.vkey.json')));
    const { code, out } = await runAuditorScript(dir);
    expect(code, out).toBe(1);
    expect(out).toMatch(
      /FAIL: verification_keys\/chunk.vkey.json: SHA-256 [0-9a-f]{64} is not the manifest's/,
    );
    expect(await tsAccepts(dir)).toBe(false);
  });
});
