// The exact bytes each signature covers (docs/reserves.md "Signed bytes"). Every message starts
// with its own domain tag, so a signature of one kind can never be read as another. Browser-safe.
import { canonicalJson } from '../util/canonical-json.js';
import type { CanonicalValue } from '../util/canonical-json.js';
import { PROTOCOL_VERSION } from '../bundle/format.js';
import type { InclusionPacket } from '../bundle/format.js';
import { PACKET_FIELDS } from '../bundle/packet.js';

/** Tag of a bundle signature's message. */
export const BUNDLE_SIGNATURE_TAG = `${PROTOCOL_VERSION}/bundle-signature`;
/** Tag of a snapshot index signature's message. */
export const INDEX_SIGNATURE_TAG = `${PROTOCOL_VERSION}/index-signature`;
/** Tag of a packet signature's canonical JSON. */
export const PACKET_SIGNATURE_TAG = `${PROTOCOL_VERSION}/packet-signature`;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The bytes a bundle signature covers: UTF-8 of `zkreserve/2/bundle-signature\n<digest, 64 hex>`. */
export function bundleSignatureMessage(bundleDigest: string): Uint8Array {
  return utf8(`${BUNDLE_SIGNATURE_TAG}\n${bundleDigest}`);
}

/** The bytes an index signature covers: UTF-8 of `zkreserve/2/index-signature\n<index digest, 64 hex>`. */
export function indexSignatureMessage(indexDigest: string): Uint8Array {
  return utf8(`${INDEX_SIGNATURE_TAG}\n${indexDigest}`);
}

/**
 * The protocol.md §8 fields of a packet, without its signature: what a packet signature covers (and the
 * only fields any verifier reads; other fields a file may hold are neither signed nor read).
 */
export function packetBody(packet: InclusionPacket): Record<string, unknown> {
  const record = packet as unknown as Record<string, unknown>;
  return Object.fromEntries(PACKET_FIELDS.map((name) => [name, record[name]]));
}

/**
 * The bytes a packet signature covers: UTF-8 of the RFC 8785 canonical JSON of
 * `{ tag: "zkreserve/2/packet-signature", bundleDigest, packet: <every §8 field of the packet> }`.
 */
export function packetSignatureMessage(packet: InclusionPacket, bundleDigest: string): Uint8Array {
  const value = { tag: PACKET_SIGNATURE_TAG, bundleDigest, packet: packetBody(packet) };
  return utf8(canonicalJson(value as unknown as CanonicalValue));
}
