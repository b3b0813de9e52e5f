// Verifies a whole bundle (protocol.md §9 "Verifying a bundle"). Browser-safe: takes a loaded BundleData.
import { SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';
import type { BundleData, CircuitKind } from '../bundle/format.js';
import {
  checkGroth16,
  checkLinkSlot,
  checkManifest,
  checkSignals,
  checkSolvencyClaims,
  checkVkeys,
} from './checks.js';
import type { VkeyCheckOptions } from './checks.js';

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
}

export interface VerifyBundleOptions extends VkeyCheckOptions {
  onProgress?: (p: { done: number; total: number }) => void;
}

export const INSECURE_KEYS_WARNING =
  'INSECURE DEVELOPMENT KEYS: this bundle was proven with keys from a public, deterministic setup; anyone can ' +
  'forge such proofs, so it proves nothing about real reserves.';

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
    insecure: m.keys?.insecure !== false,
    family: m.family?.id,
  };
}

/** Checks every proof, every link, and every manifest claim against the solvency proof. */
export async function verifyBundle(
  bundle: BundleData,
  options: VerifyBundleOptions = {},
): Promise<BundleReport> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const m = bundle?.manifest;
  const fail = (): BundleReport => ({
    ok: false,
    errors,
    warnings,
    summary: m ? summarize(bundle) : null,
    proofsVerified: 0,
  });

  errors.push(...checkManifest(m));
  if (errors.length > 0) return fail();
  if (m.keys?.insecure !== false || m.keys?.ceremony === 'insecure-dev') warnings.push(INSECURE_KEYS_WARNING);
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
  return { ok: errors.length === 0, errors, warnings, summary: summarize(bundle), proofsVerified: done };
}
