// The signer key file (`zkreserve signer new`): an Ed25519 private key with the name and role it signs as.
// Only its text format lives here (browser-safe); the CLI writes it with mode 0600 and refuses to read one
// that group or others may read (src/cli/signer-key-file.ts).
import { KEY_HEX, publicKeyOf } from './ed25519.js';
import { SignerKeyError } from './errors.js';
import { isSignerRole } from './signature-entry.js';
import type { SignerRole } from './signature-entry.js';
import type { PinnedSigner } from './signer-set.js';

/** The `kind` of a signer key file. */
export const SIGNER_KEY_KIND = 'zkreserve-signer-key';

/** A signer's key: the private seed and the public key, with the name and role it signs as. */
export interface SignerKey extends PinnedSigner {
  /** The 32-byte Ed25519 private key (seed), 64 lowercase hex digits. Never published. */
  privateKey: string;
}

/** A signer key from a 32-byte seed (hex). */
export function signerKeyFromSeed(seedHex: string, name: string, role: SignerRole): SignerKey {
  if (!KEY_HEX.test(seedHex)) throw new SignerKeyError('a signer seed must be 64 lowercase hex digits');
  if (name.trim() === '') throw new SignerKeyError('a signer needs a name');
  return { name, role, publicKey: publicKeyOf(seedHex), privateKey: seedHex };
}

/** The key file's text (JSON, one field a line). */
export function signerKeyText(key: SignerKey): string {
  const file = {
    kind: SIGNER_KEY_KIND,
    algorithm: 'ed25519',
    name: key.name,
    role: key.role,
    publicKey: key.publicKey,
    privateKey: key.privateKey,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Parses a key file's text. Throws SignerKeyError when it is not a signer key, a field is malformed, or the
 * stated public key is not the private key's (a file edited by hand, or two keys mixed up).
 */
export function parseSignerKey(text: string, source: string): SignerKey {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new SignerKeyError(`${source} is not a signer key file: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || v.kind !== SIGNER_KEY_KIND || v.algorithm !== 'ed25519') {
    throw new SignerKeyError(`${source} is not a zkreserve signer key (zkreserve signer new <file>)`);
  }
  if (typeof v.privateKey !== 'string' || !KEY_HEX.test(v.privateKey)) {
    throw new SignerKeyError(`${source}: privateKey must be 64 lowercase hex digits`);
  }
  if (!isSignerRole(v.role)) {
    throw new SignerKeyError(`${source}: role must be operator or auditor, got ${JSON.stringify(v.role)}`);
  }
  if (typeof v.name !== 'string' || v.name.trim() === '') throw new SignerKeyError(`${source} has no name`);
  const key = signerKeyFromSeed(v.privateKey, v.name, v.role);
  if (v.publicKey !== key.publicKey) {
    throw new SignerKeyError(`${source}: publicKey is not the public key of its privateKey`);
  }
  return key;
}
