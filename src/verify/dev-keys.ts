// Are a bundle's keys insecure? protocol.md §9 step 3's warning, decided by the keys themselves
// (known-dev-keys.ts) and not only by the manifest's claim. Browser-safe.
import type { BundleData, BundleManifest } from '../bundle/format.js';
import { INSECURE_BUNDLE_WARNING } from '../protocol/insecure-keys.js';
import { findKnownDevKeys } from './known-dev-keys.js';

export interface DevKeyCheck {
  /** The manifest's own word: it declares insecure keys (keys.insecure not false, or ceremony insecure-dev). */
  declared: boolean;
  /** Some verification key is a known insecure dev key (the verifier's own finding). */
  insecureDevKeys: boolean;
  /** The verdict: the keys are insecure, by the manifest's word or by the keys themselves. */
  insecure: boolean;
  /** INSECURE_BUNDLE_WARNING when the keys are insecure. */
  warnings: string[];
  /** Set when the manifest claims a real ceremony while its keys are the dev keys: the manifest lies. */
  error: string | null;
}

/** The manifest's own word: it declares insecure keys. */
function manifestSaysInsecure(m: BundleManifest | undefined): boolean {
  return m?.keys?.insecure !== false || m?.keys?.ceremony === 'insecure-dev';
}

export function checkDevKeys(bundle: BundleData): DevKeyCheck {
  const m = bundle?.manifest;
  const found = findKnownDevKeys(bundle?.vkeys);
  const declared = manifestSaysInsecure(m);
  const insecureDevKeys = found.length > 0;
  const insecure = declared || insecureDevKeys;
  const error =
    insecureDevKeys && !declared
      ? `keys: the manifest claims ceremony ${JSON.stringify(m?.keys?.ceremony)} with secure keys, but its ` +
        `verification keys are the public INSECURE DEV KEYS (${found.map((f) => `${f.kind}: ${f.reason}`).join('; ')})`
      : null;
  return { declared, insecureDevKeys, insecure, warnings: insecure ? [INSECURE_BUNDLE_WARNING] : [], error };
}
