// The bundle digest (protocol.md §11): one 32-byte SHA-256 that commits to everything a verifier relies on
// in a bundle (the manifest, the three verification keys, every proof's public signals and the reserve
// evidence), so that one signature (a signed publication) or one on-chain record (the anchor) covers it
// all. The proofs' own group elements are deliberately left out: any valid proof of the same public
// signals under the same keys proves the same statement. Browser-safe.
import { canonicalJson } from '../util/canonical-json.js';
import type { CanonicalValue } from '../util/canonical-json.js';
import { bytesToHex, sha256 } from '../crypto/sha256.js';
import { BundleReadError } from './errors.js';
import { PROTOCOL_VERSION } from './format.js';
import type { BundleData } from './format.js';

/** Domain tag hashed before the digest's canonical JSON. */
export const BUNDLE_DIGEST_TAG = `${PROTOCOL_VERSION}/bundle-digest`;

/**
 * What the digest covers, as one canonical JSON value: the manifest, the verification keys, the public
 * signals of every proof the manifest lists (by id, in manifest order) and the reserve evidence (null when
 * the bundle has none). Throws when a listed proof is missing: a digest is only taken of a whole bundle.
 */
export function bundleDigestPreimage(bundle: BundleData): string {
  const publicSignals: Record<string, string[]> = {};
  for (const entry of bundle.manifest.proofs) {
    const p = bundle.proofs[entry.id];
    if (!p)
      throw new BundleReadError(
        `bundle digest: proof ${entry.id} is missing (a digest needs the whole bundle)`,
      );
    publicSignals[entry.id] = p.publicSignals.map(String);
  }
  const value = {
    tag: BUNDLE_DIGEST_TAG,
    manifest: bundle.manifest,
    vkeys: bundle.vkeys,
    publicSignals,
    reserves: bundle.reserves ?? null,
  } as unknown as CanonicalValue;
  return canonicalJson(value);
}

/** The bundle digest: SHA-256 of bundleDigestPreimage, lowercase hex (64 digits). */
export function bundleDigest(bundle: BundleData): string {
  return bytesToHex(sha256(new TextEncoder().encode(bundleDigestPreimage(bundle))));
}
