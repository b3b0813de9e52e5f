// Ed25519 (RFC 8032) through @noble/curves, and the hex encodings and fingerprints of signer keys. Verification
// is strict RFC 8032 (`zip215: false`: canonical encodings only, as OpenSSL and node:crypto verify), so every
// verifier of the ecosystem reaches the same verdict on the same bytes. Browser-safe.
import { ed25519 } from '@noble/curves/ed25519';
import { hexToBytes } from '@noble/hashes/utils';
import { bytesToHex, sha256 } from '../crypto/sha256.js';

/** A 32-byte Ed25519 public key or private key (seed) as 64 lowercase hex digits. */
export const KEY_HEX = /^[0-9a-f]{64}$/;
/** A 64-byte Ed25519 signature as 128 lowercase hex digits. */
export const SIGNATURE_HEX = /^[0-9a-f]{128}$/;

/** The public key (hex) of a private key (hex seed, 32 bytes). */
export function publicKeyOf(privateKeyHex: string): string {
  return bytesToHex(ed25519.getPublicKey(hexToBytes(privateKeyHex)));
}

/** Signs `message` with a private key (hex seed); the signature as 128 lowercase hex digits. */
export function signBytes(message: Uint8Array, privateKeyHex: string): string {
  return bytesToHex(ed25519.sign(message, hexToBytes(privateKeyHex)));
}

/**
 * Why `signatureHex` is not a valid signature of `message` by `publicKeyHex`, or null when it is. Malformed
 * hex, a public key that is not a point and a non-canonical signature are reasons, never exceptions.
 */
export function signatureProblem(
  message: Uint8Array,
  publicKeyHex: string,
  signatureHex: string,
): string | null {
  if (!KEY_HEX.test(publicKeyHex)) return 'the public key is not 64 lowercase hex digits';
  if (!SIGNATURE_HEX.test(signatureHex)) return 'the signature is not 128 lowercase hex digits';
  let ok: boolean;
  try {
    ok = ed25519.verify(hexToBytes(signatureHex), message, hexToBytes(publicKeyHex), { zip215: false });
  } catch (e) {
    return `the signature cannot be checked: ${(e as Error).message}`;
  }
  return ok ? null : 'the signature does not verify (wrong key, or the signed data changed)';
}

/**
 * A public key's fingerprint: the first 16 hex digits (8 bytes) of SHA-256 of its 32 raw bytes, in groups of
 * four (`3f2a 91c0 77de 0b14`), for reading aloud and comparing by eye. The full key is what is pinned.
 * A string that is not a key gives `(malformed key)`.
 */
export function fingerprint(publicKeyHex: string): string {
  if (!KEY_HEX.test(publicKeyHex)) return '(malformed key)';
  const hex = bytesToHex(sha256(hexToBytes(publicKeyHex))).slice(0, 16);
  return hex.match(/.{4}/g)!.join(' ');
}
