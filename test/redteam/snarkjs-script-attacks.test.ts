// Red team against the auditor's shell check (scripts/verify-with-snarkjs.sh): the operator writes the whole
// bundle directory. The script must not pass anything the TypeScript verifier refuses on the checks it
// claims to do, and a bundle must never make it run code. One real bundle (levels [9, 2, 1]).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAuditorScript } from '../support/auditor-script.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle-io/read.js';
import type { BundleManifest } from '../../src/bundle/format.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { copyDir } from '../prover/fixtures.js';
import { buildBundle, forgedKey, readJsonFile, writeJsonFile } from './support.js';

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
  bundleDir = (await buildBundle('redteam-sh', 12, { padToUsers: 72, publishTotal: true })).dir;
  await terminateCurves();
}, 600_000);

afterAll(async () => {
  await terminateCurves();
});

describe('verify-with-snarkjs.sh under attack', () => {
  it('baseline: passes the genuine bundle', async () => {
    const { code, out } = await runAuditorScript(bundleDir);
    expect(out).toMatch(/^OK: /m);
    expect(code).toBe(0);
  });

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
