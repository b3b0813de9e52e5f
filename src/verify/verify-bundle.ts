// Verifies a whole bundle (protocol.md §9 "Verifying a bundle"). Browser-safe: takes a loaded BundleData.
import { SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';
import type { BundleData } from '../bundle/format.js';
import type { CircuitKind } from '../protocol/families.js';
import {
  checkGroth16,
  checkLinkSlot,
  checkManifest,
  checkSignals,
  checkSolvencyClaims,
  checkVkeys,
} from './checks.js';
import type { VkeyCheckOptions } from './checks.js';
import { findKnownDevKeys } from './known-dev-keys.js';
import { INSECURE_BUNDLE_WARNING } from '../protocol/insecure-keys.js';

export interface BundleSummary {
  currency: string;
  decimals: number;
  snapshotTime: string;
  snapshotTimeMs: string;
  chunks: number;
  levels: number[];
  paddedUsers: number;
  total: string | null;
  reserves: string;
  auditHead: { sequence: number; hash: string };
  ceremony: string;
  insecure: boolean;
  family: string;
}

export interface BundleReport {
  ok: boolean;
  errors: string[];
  warnings: string[];
  summary: BundleSummary | null;
  /** Number of Groth16 proofs checked. */
  proofsVerified: number;
  /**
   * The verifier's own finding, whatever the manifest says: a verification key is one of the public insecure
   * dev keys (keys/dev/), so anyone can forge this bundle's proofs. verifyBundle always sets it; it is
   * optional only so that reports built elsewhere (a bundle that could not be read) need not.
   */
  insecureDevKeys?: boolean;
}

export interface VerifyBundleOptions extends VkeyCheckOptions {
  onProgress?: (p: { done: number; total: number }) => void;
}

/** The manifest's own word: it declares insecure keys. */
function manifestSaysInsecure(m: BundleData['manifest'] | undefined): boolean {
  return m?.keys?.insecure !== false || m?.keys?.ceremony === 'insecure-dev';
}

export interface DevKeyCheck {
  /** Some verification key is a known insecure dev key (the verifier's own finding). */
  insecureDevKeys: boolean;
  /** INSECURE_BUNDLE_WARNING when the manifest declares insecure keys or the keys are known dev keys. */
  warnings: string[];
  /** Set when the manifest claims a real ceremony while its keys are the dev keys: the manifest lies. */
  error: string | null;
}

/** protocol.md §9 step 3's warning, decided by the keys themselves and not only by the manifest's claim. */
export function checkDevKeys(bundle: BundleData): DevKeyCheck {
  const m = bundle?.manifest;
  const found = findKnownDevKeys(bundle?.vkeys);
  const declared = manifestSaysInsecure(m);
  const insecureDevKeys = found.length > 0;
  const warnings = declared || insecureDevKeys ? [INSECURE_BUNDLE_WARNING] : [];
  const error =
    insecureDevKeys && !declared
      ? `keys: the manifest claims ceremony ${JSON.stringify(m?.keys?.ceremony)} with secure keys, but its ` +
        `verification keys are the public INSECURE DEV KEYS (${found.map((f) => `${f.kind}: ${f.reason}`).join('; ')})`
      : null;
  return { insecureDevKeys, warnings, error };
}

export function summarize(bundle: BundleData): BundleSummary {
  const m = bundle.manifest;
  return {
    currency: m.currency,
    decimals: m.decimals,
    snapshotTime: m.snapshotTime,
    snapshotTimeMs: m.snapshotTimeMs,
    chunks: m.tree?.levels?.[0] ?? 0,
    levels: [...(m.tree?.levels ?? [])],
    paddedUsers: m.users?.paddedUsers ?? 0,
    total: m.total,
    reserves: m.reserves,
    auditHead: { sequence: m.auditHead?.sequence, hash: m.auditHead?.hash },
    ceremony: m.keys?.ceremony,
    // Insecure when the manifest says so or when the keys are known dev keys, whatever it says.
    insecure: manifestSaysInsecure(m) || findKnownDevKeys(bundle.vkeys).length > 0,
    family: m.family?.id,
  };
}

/** Checks every proof, every link, and every manifest claim against the solvency proof. */
export async function verifyBundle(
  bundle: BundleData,
  options: VerifyBundleOptions = {},
): Promise<BundleReport> {
  const errors: string[] = [];
  const m = bundle?.manifest;
  const devKeys = checkDevKeys(bundle);
  const warnings: string[] = [...devKeys.warnings];
  const { insecureDevKeys } = devKeys;
  const fail = (): BundleReport => ({
    ok: false,
    errors,
    warnings,
    summary: m ? summarize(bundle) : null,
    proofsVerified: 0,
    insecureDevKeys,
  });

  errors.push(...checkManifest(m));
  if (errors.length > 0) return fail();
  if (devKeys.error) errors.push(devKeys.error);
  errors.push(...checkVkeys(bundle, options));
  if (errors.length > 0) return fail();

  const k = m.family.aggChildren;
  const levels = m.tree.levels;
  const signals = (id: string): string[] => bundle.proofs[id]!.publicSignals;

  // Shape of every proof's public signals.
  for (const e of m.proofs) {
    const err = checkSignals(e.id, e.kind, bundle.proofs[e.id], k);
    if (err) errors.push(err);
  }
  if (errors.length > 0) return fail();

  // Links between levels.
  for (let level = 1; level < levels.length; level++) {
    for (let j = 0; j < levels[level]!; j++) {
      const parentId = proofId(level, j);
      for (let slot = 0; slot < k; slot++) {
        const c = j * k + slot;
        const childId = proofId(level - 1, c);
        const err = checkLinkSlot(
          parentId,
          signals(parentId),
          slot,
          k,
          childId,
          c < levels[level - 1]! ? signals(childId) : 'pad',
        );
        if (err) errors.push(err);
      }
    }
  }
  const topId = proofId(levels.length - 1, 0);
  errors.push(...checkSolvencyClaims(m, signals(SOLVENCY_PROOF_ID), signals(topId)));

  // Every Groth16 proof.
  const total = m.proofs.length;
  let done = 0;
  options.onProgress?.({ done, total });
  for (const e of m.proofs) {
    const err = await checkGroth16(e.id, e.kind as CircuitKind, bundle.vkeys[e.kind], bundle.proofs[e.id]!);
    if (err) errors.push(err);
    done++;
    options.onProgress?.({ done, total });
  }
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    summary: summarize(bundle),
    proofsVerified: done,
    insecureDevKeys,
  };
}
