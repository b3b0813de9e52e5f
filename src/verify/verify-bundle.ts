// Verifies a whole bundle (protocol.md §9 "Verifying a bundle"). Browser-safe: takes a loaded BundleData.
import type { BundleData } from '../bundle/format.js';
import { summarizeManifest } from '../bundle/summary.js';
import type { BundleSummary } from '../bundle/summary.js';
import { checkManifest, checkVkeys } from './checks.js';
import type { VkeyCheckOptions } from './checks.js';
import { checkDevKeys } from './dev-keys.js';
import { checkProofSet, wholeBundle } from './proof-set.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';

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

/** Whether `options` pin every circuit's key (then the family is the pinned one, not the bundle's word). */
export function keysPinned(options: VkeyCheckOptions): boolean {
  return CIRCUIT_KINDS.every((kind) => typeof options.trustedVkeyHashes?.[kind] === 'string');
}

/**
 * The bundle's public figures; `insecure` when the manifest says so or the keys are known dev keys;
 * `options` say whether the keys were pinned.
 */
export function summarize(bundle: BundleData, options: VkeyCheckOptions = {}): BundleSummary {
  return summarizeManifest(bundle.manifest, checkDevKeys(bundle).insecure, keysPinned(options));
}

/** Checks every proof, every link, and every manifest claim against the solvency proof. */
export async function verifyBundle(
  bundle: BundleData,
  options: VerifyBundleOptions = {},
): Promise<BundleReport> {
  const m = bundle?.manifest;
  const devKeys = checkDevKeys(bundle);
  let keysMatched = false;
  const report = (errors: string[], proofsVerified = 0): BundleReport => ({
    ok: errors.length === 0,
    errors,
    warnings: [...devKeys.warnings],
    // Pinned means the keys matched the pinned hashes: only then is the family the pinned one.
    summary: m ? summarizeManifest(m, devKeys.insecure, keysPinned(options) && keysMatched) : null,
    proofsVerified,
    insecureDevKeys: devKeys.insecureDevKeys,
  });

  const manifestErrors = checkManifest(m);
  if (manifestErrors.length > 0) return report(manifestErrors);
  const keyErrors = [...(devKeys.error ? [devKeys.error] : []), ...checkVkeys(bundle, options)];
  if (keyErrors.length > 0) return report(keyErrors);
  keysMatched = true;
  const { errors, proofsVerified } = await checkProofSet(
    bundle,
    wholeBundle(bundle),
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  return report(errors, proofsVerified);
}
