// Checks signature entries over one digest against a pinned signer set and a threshold, naming every signer
// seen: valid and pinned (counts), valid but not pinned (shown, does not count), or invalid and why. The
// signature is always checked over the CURRENT digest, never the one an entry states, so a signature made
// before the bundle changed fails. One key signing twice is one signer. Browser-safe.
import { fingerprint, signatureProblem } from './ed25519.js';
import { isSignerRole } from './signature-entry.js';
import type { SignatureEntry } from './signature-entry.js';
import type { SignerSet } from './signer-set.js';
import { SignerSetError } from './errors.js';

/** What became of one signer (one public key, however many entries it has). */
export type SignerStatus = 'valid-pinned' | 'valid-unpinned' | 'invalid';

/** One signer seen in the entries. */
export interface SignerSeen {
  status: SignerStatus;
  /** Why it is invalid ('' otherwise). */
  reason: string;
  /** The public key as the entry gives it (may be malformed when invalid). */
  publicKey: string;
  /** fingerprint(publicKey). */
  fingerprint: string;
  /** The pinned name when the key is pinned, else the entry's own claim. */
  name: string;
  /** The pinned role when the key is pinned, else the entry's own claim. */
  role: string;
  /** The entry's claimed name and role when they differ from the pinned ones (else null). */
  claimed: { name: string; role: string } | null;
  /** Whether the key is in the pinned signer set. */
  pinned: boolean;
  /** How many entries carry this key (a duplicate counts once). */
  entries: number;
}

/** The outcome of checkSignatures. */
export interface SignaturesCheck {
  /** The digest every signature was checked against. */
  digest: string;
  signers: SignerSeen[];
  /** Distinct pinned keys with a valid signature. */
  validPinned: number;
  /** The threshold asked for (null: none, as without a signer set). */
  threshold: number | null;
  /** validPinned >= threshold (false without a threshold). */
  met: boolean;
  /** Where the pinned set came from (null when none was given). */
  signersSource: string | null;
}

const text = (x: unknown): string => (typeof x === 'string' ? x : '');

/** Why one entry is not a valid signature of `digest` (null when it is). */
function entryProblem(raw: unknown, digest: string, message: (digest: string) => Uint8Array): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'the entry is not an object';
  const e = raw as Partial<SignatureEntry>;
  if (e.algorithm !== 'ed25519') return `algorithm must be ed25519, got ${JSON.stringify(e.algorithm)}`;
  if (!isSignerRole(e.role)) return `role must be operator or auditor, got ${JSON.stringify(e.role)}`;
  if (typeof e.name !== 'string') return 'the entry has no name';
  const problem = signatureProblem(message(digest), text(e.publicKey), text(e.signature));
  if (problem === null) return null;
  if (typeof e.digest === 'string' && e.digest !== digest) {
    return `it signs digest ${e.digest.slice(0, 16)}…, not the current ${digest.slice(0, 16)}…: the data changed after it was signed`;
  }
  return problem;
}

/**
 * Checks `entries` (as read from a signatures file) over `digest`, whose signed bytes `message` gives. With
 * `signers`, only their keys count and `threshold` (default 1) of them must have signed; without, every
 * valid signature is shown as not pinned and nothing is required. A threshold that is not a positive
 * integer throws SignerSetError.
 */
export function checkSignatures(
  entries: readonly unknown[],
  digest: string,
  message: (digest: string) => Uint8Array,
  options: { signers?: SignerSet | undefined; threshold?: number | undefined } = {},
): SignaturesCheck {
  const bySigner = new Map<string, SignerSeen>();
  const seen: SignerSeen[] = [];
  entries.forEach((raw, i) => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<SignatureEntry>;
    const publicKey = text(e.publicKey);
    const problem = entryProblem(raw, digest, message);
    const pinnedAs = options.signers?.byKey.get(publicKey);
    const key = publicKey === '' ? `#${i}` : publicKey;
    const earlier = bySigner.get(key);
    if (earlier) {
      earlier.entries++;
      // A key with one valid entry is a valid signer; its other entries add nothing.
      if (earlier.status === 'invalid' && problem === null) {
        earlier.status = pinnedAs ? 'valid-pinned' : 'valid-unpinned';
        earlier.reason = '';
      }
      return;
    }
    const claimed = { name: text(e.name), role: text(e.role) };
    const signer: SignerSeen = {
      status: problem !== null ? 'invalid' : pinnedAs ? 'valid-pinned' : 'valid-unpinned',
      reason: problem ?? '',
      publicKey,
      fingerprint: fingerprint(publicKey),
      name: pinnedAs?.name ?? claimed.name,
      role: pinnedAs?.role ?? claimed.role,
      claimed:
        pinnedAs && (pinnedAs.name !== claimed.name || pinnedAs.role !== claimed.role) ? claimed : null,
      pinned: pinnedAs !== undefined,
      entries: 1,
    };
    bySigner.set(key, signer);
    seen.push(signer);
  });
  const validPinned = seen.filter((s) => s.status === 'valid-pinned').length;
  const threshold = options.signers ? (options.threshold ?? 1) : null;
  if (threshold !== null && !(Number.isSafeInteger(threshold) && threshold >= 1)) {
    // A threshold of 0 (or NaN) would be met by no signature at all.
    throw new SignerSetError(`the threshold must be a positive integer, got ${String(threshold)}`);
  }
  return {
    digest,
    signers: seen,
    validPinned,
    threshold,
    met: threshold !== null && validPinned >= threshold,
    signersSource: options.signers?.source ?? null,
  };
}

/** Why the check fails, in one line, or null when the threshold is met (or none was asked for). */
export function thresholdProblem(check: SignaturesCheck, what: string): string | null {
  if (check.threshold === null || check.met) return null;
  return (
    `signatures: ${check.validPinned} valid signature${check.validPinned === 1 ? '' : 's'} by signers pinned ` +
    `in ${check.signersSource} over ${what}'s digest ${check.digest}, ${check.threshold} required`
  );
}
