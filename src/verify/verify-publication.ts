// The signed publication of a bundle (docs/reserves.md): the signatures in its signatures.json over
// its CURRENT digest (protocol.md §11), checked against the signers a verifier pins and a threshold.
// Browser-safe: the caller reads signatures.json (null when the bundle has none).
import { bundleDigest } from '../bundle/digest.js';
import type { BundleData } from '../bundle/format.js';
import { checkSignatures, thresholdProblem } from '../publication/check-signatures.js';
import type { SignaturesCheck } from '../publication/check-signatures.js';
import { bundleSignatureMessage } from '../publication/messages.js';
import { SIGNATURES_FILE, parseSignatureFile } from '../publication/signature-file.js';
import type { SignerSet } from '../publication/signer-set.js';
import { ZkReserveError } from '../errors.js';

export interface PublicationOptions {
  /** The pinned signers; without them nothing is required and every signature is shown as not pinned. */
  signers?: SignerSet | undefined;
  /** How many distinct pinned signers must have signed (default 1; only with `signers`). */
  threshold?: number | undefined;
}

export interface PublicationReport {
  /** Pinned signers were given and `threshold` of them signed the current digest. Always true without. */
  ok: boolean;
  /** Why not ok; with no signers pinned, what would have failed (shown, not a failure). */
  problems: string[];
  /** The bundle's current digest (null when it cannot be computed: a partial bundle). */
  digest: string | null;
  /** Whether the bundle has a signatures file. */
  signaturesFile: boolean;
  /** Every signer seen (null when the digest or the file could not be read). */
  check: SignaturesCheck | null;
}

/** Checks the signatures of `bundle` (the text of its signatures.json, or null when it has none). */
export function verifyPublication(
  bundle: BundleData,
  signaturesText: string | null,
  options: PublicationOptions = {},
): PublicationReport {
  const required = options.signers !== undefined;
  const report = (problems: string[], digest: string | null, check: SignaturesCheck | null) => ({
    ok: !required || problems.length === 0,
    problems,
    digest,
    signaturesFile: signaturesText !== null,
    check,
  });
  let digest: string;
  try {
    digest = bundleDigest(bundle);
  } catch (e) {
    if (!(e instanceof ZkReserveError)) throw e;
    return report([`signatures: ${e.message}`], null, null);
  }
  if (signaturesText === null) {
    return report([`signatures: the bundle has no ${SIGNATURES_FILE}: it is not signed`], digest, null);
  }
  let entries: unknown[];
  try {
    entries = parseSignatureFile(signaturesText).signatures;
  } catch (e) {
    if (!(e instanceof ZkReserveError)) throw e;
    return report([`signatures: ${e.message}`], digest, null);
  }
  const check = checkSignatures(entries, digest, bundleSignatureMessage, {
    signers: options.signers,
    threshold: options.threshold,
  });
  const problem = thresholdProblem(check, 'the bundle');
  return report(problem === null ? [] : [problem], digest, check);
}
