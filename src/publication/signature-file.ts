// The signatures file of a bundle, `signatures.json` beside its manifest (docs/reserves.md). It is
// not covered by the bundle digest (it holds signatures of that digest), so adding a signature never changes
// what the others signed. Entries are kept as found: a malformed entry is reported by the check
// (check-signatures.ts) as an invalid signature, not thrown, so one bad entry cannot hide the good ones.
// Browser-safe.
import { PROTOCOL_VERSION } from '../bundle/format.js';
import { SignatureFileError } from './errors.js';
import type { SignatureEntry } from './signature-entry.js';

/** File name of a bundle's signatures, beside manifest.json. */
export const SIGNATURES_FILE = 'signatures.json';

/** The `kind` of a bundle's signatures file. */
export const SIGNATURES_KIND = 'bundle-signatures';

/** A bundle's signatures file. `signatures` holds entries as read (each is checked on its own). */
export interface SignatureFile {
  protocol: typeof PROTOCOL_VERSION;
  kind: typeof SIGNATURES_KIND;
  signatures: unknown[];
}

/** An empty signatures file. */
export function emptySignatureFile(): SignatureFile {
  return { protocol: PROTOCOL_VERSION, kind: SIGNATURES_KIND, signatures: [] };
}

/**
 * Parses a signatures file's JSON text. Throws SignatureFileError when it is not JSON, not of this kind or
 * protocol, or has no `signatures` list; the entries themselves are checked by checkSignatures.
 */
export function parseSignatureFile(text: string, source = SIGNATURES_FILE): SignatureFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SignatureFileError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  const v = value as Partial<SignatureFile> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new SignatureFileError(`${source} is not a zkreserve signatures file (not a JSON object)`);
  }
  if (v.protocol !== PROTOCOL_VERSION || v.kind !== SIGNATURES_KIND) {
    throw new SignatureFileError(
      `${source} is not a zkreserve signatures file: protocol must be ${PROTOCOL_VERSION} and kind ` +
        `${SIGNATURES_KIND}, got ${JSON.stringify(v.protocol)} and ${JSON.stringify(v.kind)}`,
    );
  }
  if (!Array.isArray(v.signatures)) {
    throw new SignatureFileError(`${source}: signatures must be a list`);
  }
  return { protocol: PROTOCOL_VERSION, kind: SIGNATURES_KIND, signatures: [...v.signatures] };
}

/**
 * `entries` with `entry` added: an earlier entry with the same public key is replaced in place (a signer
 * re-signs a changed bundle), any other entry is kept as it was.
 */
export function withSignature(entries: readonly unknown[], entry: SignatureEntry): unknown[] {
  const same = (e: unknown): boolean =>
    typeof e === 'object' && e !== null && (e as { publicKey?: unknown }).publicKey === entry.publicKey;
  const at = entries.findIndex(same);
  if (at < 0) return [...entries, entry];
  return [...entries.slice(0, at), entry, ...entries.slice(at + 1).filter((e) => !same(e))];
}

/** The file's text: two-space JSON and a final newline. */
export function signatureFileText(file: SignatureFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
