// Browser-safe verifier entry point.
export { verifyBundle, summarize, INSECURE_KEYS_WARNING } from './verify-bundle.js';
export type { BundleReport, BundleSummary, VerifyBundleOptions } from './verify-bundle.js';
export { verifyInclusion, inclusionProofIds } from './verify-inclusion.js';
export type { InclusionResult, InclusionFigures } from './verify-inclusion.js';
export type { VkeyCheckOptions } from './checks.js';
