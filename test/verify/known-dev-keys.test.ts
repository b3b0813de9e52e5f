// The verifier recognises the committed insecure dev keys on its own, whatever the manifest claims.
import { bn254 } from '@noble/curves/bn254';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSource, readDevKeyFacts, TARGET } from '../../scripts/gen-known-dev-keys.js';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import {
  KNOWN_DEV_ALPHA_1,
  KNOWN_DEV_VKEY_HASHES,
  affineG1,
  findKnownDevKeys,
  knownDevKeyReason,
} from '../../src/verify/known-dev-keys.js';
import { vkeyHash } from '../../src/bundle/format.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';

const BASE_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const clone = <X>(x: X): X => structuredClone(x);

let bundle: BundleData;
let packet: InclusionPacket;

/** The bundle with its manifest claiming a real ceremony (and vkey hashes matching its keys). */
function lying(b: BundleData): BundleData {
  const out = clone(b);
  out.manifest.keys.ceremony = 'ceremony';
  out.manifest.keys.insecure = false;
  for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
    out.manifest.keys.circuits[kind].hashes.vkey = vkeyHash(out.vkeys[kind]);
  }
  return out;
}

/** The same key with its top-level JSON fields in reverse order: another file text, the same key. */
function reordered<X extends object>(vkey: X): X {
  return Object.fromEntries(Object.entries(vkey).reverse()) as X;
}

beforeAll(async () => {
  const work = await tempDir('devkeys');
  await proveSolvency({
    statement: await statementFromLedger(makeLedger(3).ledger, T, 'USD'),
    secret: SECRET,
    keys: await devKeys(),
    outDir: path.join(work, 'bundle'),
    packetsDir: path.join(work, 'packets'),
    allowInsecureDevKeys: true,
  });
  bundle = await readBundle(path.join(work, 'bundle'));
  const files = (await readdir(path.join(work, 'packets'))).sort();
  packet = await readPacket(path.join(work, 'packets', files[files.length - 1]!));
});

afterAll(async () => {
  await terminateCurves();
});

describe('the embedded list of dev keys', () => {
  it('is what keys/dev holds now (else: run npx tsx scripts/gen-known-dev-keys.ts)', async () => {
    const facts = await readDevKeyFacts();
    const hint = 'src/verify/known-dev-keys.ts is stale: run `npx tsx scripts/gen-known-dev-keys.ts`';
    expect(KNOWN_DEV_VKEY_HASHES, hint).toEqual(Object.fromEntries(facts.hashes));
    expect(KNOWN_DEV_ALPHA_1, hint).toEqual(facts.alphas);
    const current = await readFile(TARGET, 'utf8');
    expect(current === (await expectedSource(current, facts)), hint).toBe(true);
  });

  it('holds the hash of each key the bundle was proven with, computed as the manifest computes it', () => {
    for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
      expect(vkeyHash(bundle.vkeys[kind])).toBe(bundle.manifest.keys.circuits[kind].hashes.vkey);
      expect(KNOWN_DEV_VKEY_HASHES[vkeyHash(bundle.vkeys[kind])]).toBe(`b64-n8-k8-${kind}`);
    }
  });

  it('a key of another setup is not a dev key', () => {
    const other = clone(bundle.vkeys.chunk) as Record<string, unknown>;
    other.vk_alpha_1 = ['1', '2', '1']; // the G1 generator: another phase 1
    expect(knownDevKeyReason(other)).toBeNull();
    expect(knownDevKeyReason(undefined)).toBeNull();
    expect(findKnownDevKeys({ chunk: other })).toEqual([]);
  });

  it('recognises a dev key rewritten in another JSON layout or in Jacobian coordinates', () => {
    const moved = reordered(bundle.vkeys.chunk);
    expect(vkeyHash(moved)).not.toBe(vkeyHash(bundle.vkeys.chunk));
    expect(knownDevKeyReason(moved)).toMatch(/dev powers of tau/);
    const [x, y] = (bundle.vkeys.chunk.vk_alpha_1 as string[]).map(BigInt) as [bigint, bigint];
    const z = 7n;
    const jacobian = clone(bundle.vkeys.chunk) as Record<string, unknown>;
    jacobian.vk_alpha_1 = [
      ((x * z * z) % BASE_Q).toString(),
      ((y * z * z * z) % BASE_Q).toString(),
      z.toString(),
    ];
    expect(affineG1(jacobian.vk_alpha_1)).toEqual([x.toString(), y.toString()]);
    expect(knownDevKeyReason(jacobian)).toMatch(/dev powers of tau/);
  });
});

describe('verifyBundle and verifyInclusion flag dev keys themselves', () => {
  it('an honest dev bundle: ok, one loud warning, insecureDevKeys', async () => {
    const r = await verifyBundle(bundle);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.insecureDevKeys).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/INSECURE DEVELOPMENT KEYS/);
    const inc = await verifyInclusion(packet, bundle);
    expect(inc.ok).toBe(true);
    expect(inc.insecureDevKeys).toBe(true);
    expect(inc.figures?.insecureKeys).toBe(true);
  });

  it('a manifest claiming a real ceremony over the dev keys: warned, flagged and refused', async () => {
    const liar = lying(bundle);
    const r = await verifyBundle(liar);
    expect(r.ok).toBe(false);
    expect(r.insecureDevKeys).toBe(true);
    expect(r.summary?.insecure).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/INSECURE DEVELOPMENT KEYS/);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/claims ceremony "ceremony".*public INSECURE DEV KEYS.*b64-n8-k8-chunk/);
    const inc = await verifyInclusion(packet, liar);
    expect(inc.ok).toBe(false);
    expect(inc.insecureDevKeys).toBe(true);
    expect(inc.warnings.join(' ')).toMatch(/INSECURE DEVELOPMENT KEYS/);
    expect(inc.reason).toMatch(/public INSECURE DEV KEYS/);
  });

  it('reformatted dev keys cannot slip past under a ceremony claim (the proofs would still verify)', async () => {
    const liar = clone(bundle);
    for (const kind of ['chunk', 'aggregate', 'solvency'] as const)
      liar.vkeys[kind] = reordered(liar.vkeys[kind]);
    const hiding = lying(liar);
    const r = await verifyBundle(hiding);
    // Only the lie is found: every proof verifies with the reordered keys, so this is a real evasion.
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/dev powers of tau/);
    expect(r.insecureDevKeys).toBe(true);
    expect(r.proofsVerified).toBe(0);
    // With the claim told honestly, the reordered bundle verifies: the refusal above is the lie alone.
    const honest = clone(hiding);
    honest.manifest.keys.ceremony = 'insecure-dev';
    honest.manifest.keys.insecure = true;
    const h = await verifyBundle(honest);
    expect(h.errors).toEqual([]);
    expect(h.ok).toBe(true);
    expect(h.insecureDevKeys).toBe(true);
  });

  it('a manifest that declares insecure keys keeps its warning even when the keys are unknown', async () => {
    const other = clone(bundle);
    // 2G: a sound point that is not the dev alpha (the generator itself is refused as degenerate).
    const twoG = bn254.G1.ProjectivePoint.BASE.double().toAffine();
    const alpha = [twoG.x.toString(), twoG.y.toString(), '1'];
    (other.vkeys.chunk as Record<string, unknown>).vk_alpha_1 = [...alpha];
    (other.vkeys.aggregate as Record<string, unknown>).vk_alpha_1 = [...alpha];
    (other.vkeys.solvency as Record<string, unknown>).vk_alpha_1 = [...alpha];
    for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
      other.manifest.keys.circuits[kind].hashes.vkey = vkeyHash(other.vkeys[kind]);
    }
    const r = await verifyBundle(other);
    expect(r.insecureDevKeys).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/INSECURE DEVELOPMENT KEYS/);
    // Not dev keys, and claiming a ceremony: no lie to report (the proofs fail against the altered keys).
    const claimed = clone(other);
    claimed.manifest.keys.ceremony = 'ceremony';
    claimed.manifest.keys.insecure = false;
    const c = await verifyBundle(claimed);
    expect(c.insecureDevKeys).toBe(false);
    expect(c.warnings).toEqual([]);
    expect(c.errors.some((e) => /INSECURE DEV KEYS/.test(e))).toBe(false);
    expect(c.errors.some((e) => /Groth16 verification failed/.test(e))).toBe(true);
  });
});
