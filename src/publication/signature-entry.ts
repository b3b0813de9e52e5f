// One signature entry, as `signatures.json` (beside a bundle's manifest) and a snapshot index's `signatures`
// list hold it: who claims to sign (role, name), the key, the digest signed and the signature.
// Browser-safe.
import { fingerprint } from './ed25519.js';

/** Who signs: the operator publishing the bundle, or an auditor co-signing the same digest. */
export type SignerRole = 'operator' | 'auditor';

/** The roles, in the order they are shown. */
export const SIGNER_ROLES: readonly SignerRole[] = ['operator', 'auditor'];

/** Whether `x` is a signer role. */
export function isSignerRole(x: unknown): x is SignerRole {
  return x === 'operator' || x === 'auditor';
}

/**
 * A signature over a digest (a bundle's, protocol.md §11, or a snapshot index's). `role` and `name` are the
 * signer's claims, not signed: a verifier trusts the name and role it pinned for the key, never these.
 */
export interface SignatureEntry {
  role: SignerRole;
  name: string;
  algorithm: 'ed25519';
  /** Ed25519 public key, 64 lowercase hex digits. */
  publicKey: string;
  /** The digest the signer signed (64 lowercase hex digits): shown when it is not the current one. */
  digest: string;
  /** Ed25519 signature of the message (messages.ts), 128 lowercase hex digits. */
  signature: string;
}

/** A signer as a short text: `operator "Example Ltd" (key 3f2a 91c0 77de 0b14)`. */
export function describeSigner(role: string, name: string, publicKey: string): string {
  return `${role} ${JSON.stringify(name)} (key ${fingerprint(publicKey)})`;
}
