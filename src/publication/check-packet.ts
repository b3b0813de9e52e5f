// Checks an inclusion packet's signature (docs/reserves.md "Signed packets"): that it verifies over
// the packet's fields and the bundle digest it states, whether that digest is the bundle's current one, and
// whose key signed it: the bundle's operator (a valid operator entry of its signatures.json) and/or an
// operator pinned by the verifier. A valid operator signature on a packet that fails inclusion is
// transferable evidence: anyone can check both. Browser-safe.
import type { InclusionPacket } from '../bundle/format.js';
import { fingerprint, signatureProblem } from './ed25519.js';
import { packetSignatureMessage } from './messages.js';
import type { SignaturesCheck } from './check-signatures.js';
import type { PinnedSigner, SignerSet } from './signer-set.js';

/** The outcome of checkPacketSignature. */
export interface PacketSignatureCheck {
  /** The packet carries a signature. */
  signed: boolean;
  /** The signature verifies over the packet's fields and the bundle digest it states. */
  valid: boolean;
  /** Why it is not valid ('' when valid or unsigned). */
  reason: string;
  publicKey: string | null;
  fingerprint: string | null;
  /** The signer's claimed name (the pinned name is in `pinned`). */
  claimedName: string | null;
  /** The bundle digest the signature binds the packet to. */
  bundleDigest: string | null;
  /** The stated digest is the bundle's current one (null: the current one is unknown). */
  matchesBundle: boolean | null;
  /** The key signed the bundle as its operator (a valid operator signature over its current digest). */
  bundleOperator: boolean;
  /** The signer set entry of the key, when the verifier pinned it. */
  pinned: PinnedSigner | null;
  /**
   * The signature holds the operator to this packet: valid, and by the bundle's operator or a pinned
   * operator. Such a packet that does not verify, or whose digest is not the published bundle's, is evidence
   * against the operator.
   */
  attributable: boolean;
}

/**
 * Checks `packet.signature`. `bundleDigest`: the bundle's current digest (null when it cannot be computed,
 * e.g. from a partial bundle); `bundleSignatures`: the check of the bundle's own signatures (for its
 * operator keys), if any; `signers`: the verifier's pinned set, if any.
 */
export function checkPacketSignature(
  packet: InclusionPacket,
  context: {
    bundleDigest: string | null;
    bundleSignatures?: SignaturesCheck | null | undefined;
    signers?: SignerSet | undefined;
  },
): PacketSignatureCheck {
  const s = packet.signature;
  if (!s) {
    return {
      signed: false,
      valid: false,
      reason: '',
      publicKey: null,
      fingerprint: null,
      claimedName: null,
      bundleDigest: null,
      matchesBundle: null,
      bundleOperator: false,
      pinned: null,
      attributable: false,
    };
  }
  let problem: string | null;
  if (s.algorithm !== 'ed25519') problem = `algorithm must be ed25519, got ${JSON.stringify(s.algorithm)}`;
  else if (!/^[0-9a-f]{64}$/.test(s.bundleDigest)) problem = 'bundleDigest is not 64 lowercase hex digits';
  else problem = signatureProblem(packetSignatureMessage(packet, s.bundleDigest), s.publicKey, s.signature);
  const valid = problem === null;
  const bundleOperator =
    context.bundleSignatures?.signers.some(
      (x) => x.publicKey === s.publicKey && x.status !== 'invalid' && x.role === 'operator',
    ) ?? false;
  const pinned = context.signers?.byKey.get(s.publicKey) ?? null;
  return {
    signed: true,
    valid,
    reason: problem ?? '',
    publicKey: s.publicKey,
    fingerprint: fingerprint(s.publicKey),
    claimedName: s.name,
    bundleDigest: s.bundleDigest,
    matchesBundle: context.bundleDigest === null ? null : context.bundleDigest === s.bundleDigest,
    bundleOperator,
    pinned,
    attributable: valid && (bundleOperator || pinned?.role === 'operator'),
  };
}
