// Making signatures: of a bundle's digest, of a snapshot index's digest, of an inclusion packet.
// Browser-safe (pure: the key is passed in).
import type { InclusionPacket, PacketSignature } from '../bundle/format.js';
import { signBytes } from './ed25519.js';
import { PacketSignatureError } from './errors.js';
import { bundleSignatureMessage, indexSignatureMessage, packetSignatureMessage } from './messages.js';
import type { SignatureEntry } from './signature-entry.js';
import type { SignerKey } from './signer-key.js';

/** A signature entry for `signatures.json`: `key` signs the bundle digest. */
export function signBundleDigest(digest: string, key: SignerKey): SignatureEntry {
  return entry(key, digest, signBytes(bundleSignatureMessage(digest), key.privateKey));
}

/** A signature entry for a snapshot index's `signatures`: `key` signs the index digest. */
export function signIndexDigest(digest: string, key: SignerKey): SignatureEntry {
  return entry(key, digest, signBytes(indexSignatureMessage(digest), key.privateKey));
}

function entry(key: SignerKey, digest: string, signature: string): SignatureEntry {
  return {
    role: key.role,
    name: key.name,
    algorithm: 'ed25519',
    publicKey: key.publicKey,
    digest,
    signature,
  };
}

/**
 * `packet` with its `signature` set (an earlier one replaced): `key` signs the packet's §8 fields and the
 * digest of the bundle it belongs to (messages.ts packetSignatureMessage). Only an operator key signs
 * packets: a packet is the operator's statement to one user.
 */
export function signPacket(packet: InclusionPacket, bundleDigest: string, key: SignerKey): InclusionPacket {
  if (key.role !== 'operator') {
    throw new PacketSignatureError(
      `packets are signed by the operator: the key of ${JSON.stringify(key.name)} is an ${key.role} key`,
    );
  }
  const signature: PacketSignature = {
    algorithm: 'ed25519',
    role: key.role,
    name: key.name,
    publicKey: key.publicKey,
    bundleDigest,
    signature: signBytes(packetSignatureMessage(packet, bundleDigest), key.privateKey),
  };
  return { ...packet, signature };
}
