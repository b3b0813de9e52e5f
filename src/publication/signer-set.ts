// The signer set a verifier pins (`--signers <file>`, the page's signers input): the public keys it trusts,
// each with the name and role the verifier knows it by (docs/reserves.md). Only signatures by these
// keys count towards a threshold. Browser-safe: the CLI reads the file, the page takes the text.
import { PROTOCOL_VERSION } from '../bundle/format.js';
import { KEY_HEX } from './ed25519.js';
import { SignerSetError } from './errors.js';
import { isSignerRole } from './signature-entry.js';
import type { SignerRole } from './signature-entry.js';

/** The `kind` of a signer set file. */
export const SIGNERS_KIND = 'signers';

/** One pinned signer. */
export interface PinnedSigner {
  name: string;
  role: SignerRole;
  /** Ed25519 public key, 64 lowercase hex digits. */
  publicKey: string;
}

/** A parsed signer set: where it came from, and the pinned signers by public key. */
export interface SignerSet {
  source: string;
  byKey: ReadonlyMap<string, PinnedSigner>;
}

/**
 * Parses a signer set's JSON text: `{ "protocol": "zkreserve/2", "kind": "signers", "signers": [ { "name",
 * "role", "publicKey" } ] }`. Throws SignerSetError naming the problem: not JSON, another kind, a signer with
 * a missing name, an unknown role, a key that is not 64 lowercase hex digits, or one key listed twice.
 */
export function parseSignerSet(text: string, source: string): SignerSet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SignerSetError(`cannot read signer set ${source}: ${(e as Error).message}`);
  }
  const v = value as { protocol?: unknown; kind?: unknown; signers?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.protocol !== PROTOCOL_VERSION || v.kind !== SIGNERS_KIND) {
    throw new SignerSetError(
      `${source} is not a zkreserve signer set (protocol ${PROTOCOL_VERSION}, kind ${SIGNERS_KIND})`,
    );
  }
  if (!Array.isArray(v.signers)) throw new SignerSetError(`${source}: signers must be a list`);
  const byKey = new Map<string, PinnedSigner>();
  v.signers.forEach((raw: unknown, i) => {
    const s = raw as Partial<PinnedSigner> | null;
    const at = `${source}: signers[${i}]`;
    if (typeof s !== 'object' || s === null) throw new SignerSetError(`${at} is not an object`);
    if (typeof s.name !== 'string' || s.name.trim() === '') throw new SignerSetError(`${at} has no name`);
    if (!isSignerRole(s.role)) {
      throw new SignerSetError(`${at}: role must be operator or auditor, got ${JSON.stringify(s.role)}`);
    }
    if (typeof s.publicKey !== 'string' || !KEY_HEX.test(s.publicKey)) {
      throw new SignerSetError(`${at}: publicKey must be 64 lowercase hex digits (an Ed25519 key)`);
    }
    if (byKey.has(s.publicKey)) {
      throw new SignerSetError(`${at}: the key of ${JSON.stringify(s.name)} is listed twice`);
    }
    byKey.set(s.publicKey, { name: s.name, role: s.role, publicKey: s.publicKey });
  });
  if (byKey.size === 0) throw new SignerSetError(`${source} pins no signer`);
  return { source, byKey };
}

/** A signer as one line of a signer set's `signers` list (what `zkreserve signer show` prints). */
export function signerSetLine(signer: PinnedSigner): string {
  return JSON.stringify({ name: signer.name, role: signer.role, publicKey: signer.publicKey });
}

/** A whole signer set file's text for `signers`. */
export function signerSetText(signers: readonly PinnedSigner[]): string {
  const lines = signers.map((s) => `    ${signerSetLine(s)}`).join(',\n');
  return `{\n  "protocol": "${PROTOCOL_VERSION}",\n  "kind": "${SIGNERS_KIND}",\n  "signers": [\n${lines}\n  ]\n}\n`;
}
