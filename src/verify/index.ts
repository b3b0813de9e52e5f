// Browser-safe verifier entry point: load a bundle and a packet, verify them, summarise the bundle.

// Verifying a bundle and one user's inclusion.
export { verifyBundle, summarize } from './verify-bundle.js';
export type { BundleReport, VerifyBundleOptions } from './verify-bundle.js';
export { verifyInclusion, inclusionProofIds } from './verify-inclusion.js';
export type { InclusionResult, InclusionFigures } from './verify-inclusion.js';
export type { VkeyCheckOptions } from './checks.js';
export { summarizeManifest } from '../bundle/summary.js';
export type { BundleSummary } from '../bundle/summary.js';

// Keys: the insecure dev keys, and keys pinned by a ceremony's published manifest.
export { checkDevKeys } from './dev-keys.js';
export type { DevKeyCheck } from './dev-keys.js';
export { findKnownDevKeys, knownDevKeyReason, KNOWN_DEV_VKEY_HASHES } from './known-dev-keys.js';
export { INSECURE_BUNDLE_WARNING, INSECURE_DEV_KEYS_WARNING } from '../protocol/insecure-keys.js';
/** The former name of INSECURE_BUNDLE_WARNING. */
export { INSECURE_BUNDLE_WARNING as INSECURE_KEYS_WARNING } from '../protocol/insecure-keys.js';
export { parseTrustedKeys, pinnedVkeyHashes } from './trusted-keys.js';
export type { PinnedVkeyHashes, TrustedKeys } from './trusted-keys.js';
export { TrustedKeysError } from './errors.js';

// Reading: a bundle from any file source (a folder, a URL), a packet from its text.
export { loadBundle } from '../bundle/load.js';
export type { LoadBundleOptions, ReadBundleFile } from '../bundle/load.js';
export { parsePacket } from '../bundle/packet.js';
export { BundleReadError, PacketFormatError } from '../bundle/errors.js';
export type { BundleData, BundleManifest, InclusionPacket } from '../bundle/format.js';

// The signed publication: signatures over the bundle digest, pinned signers, signed packets, the index.
export { bundleDigest } from '../bundle/digest.js';
export { verifyPublication } from './verify-publication.js';
export type { PublicationOptions, PublicationReport } from './verify-publication.js';
export { checkSignatures } from '../publication/check-signatures.js';
export type { SignaturesCheck, SignerSeen, SignerStatus } from '../publication/check-signatures.js';
export { checkPacketSignature } from '../publication/check-packet.js';
export type { PacketSignatureCheck } from '../publication/check-packet.js';
export { parseSignerSet } from '../publication/signer-set.js';
export type { PinnedSigner, SignerSet } from '../publication/signer-set.js';
export { parseSignatureFile, SIGNATURES_FILE } from '../publication/signature-file.js';
export { parseIndex, indexDigest } from '../publication/snapshot-index.js';
export type { SnapshotIndex, IndexEntry } from '../publication/snapshot-index.js';
export { fingerprint } from '../publication/ed25519.js';
export {
  bundleSignatureMessage,
  indexSignatureMessage,
  packetSignatureMessage,
} from '../publication/messages.js';
export {
  SignatureFileError,
  SignerSetError,
  SignerKeyError,
  SnapshotIndexError,
  PacketSignatureError,
} from '../publication/errors.js';
