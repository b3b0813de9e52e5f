// Browser-safe verifier entry point.
export { verifyBundle, summarize, checkDevKeys, INSECURE_KEYS_WARNING } from './verify-bundle.js';
export type { BundleReport, BundleSummary, DevKeyCheck, VerifyBundleOptions } from './verify-bundle.js';
export { findKnownDevKeys, knownDevKeyReason, KNOWN_DEV_VKEY_HASHES } from './known-dev-keys.js';
export { verifyInclusion, inclusionProofIds } from './verify-inclusion.js';
export type { InclusionResult, InclusionFigures } from './verify-inclusion.js';
export type { VkeyCheckOptions } from './checks.js';
