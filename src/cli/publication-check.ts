// The signed-publication part of `verify` and `verify-inclusion`: the --signers / --threshold options, the
// bundle's signatures.json checked over its current digest, and the packet's signature.
import type { BundleData, InclusionPacket } from '../bundle/format.js';
import { checkPacketSignature } from '../publication/check-packet.js';
import type { PacketSignatureCheck } from '../publication/check-packet.js';
import type { SignerSet } from '../publication/signer-set.js';
import { verifyPublication } from '../verify/verify-publication.js';
import type { PublicationReport } from '../verify/verify-publication.js';
import { CliUsageError } from './errors.js';
import { positiveInt } from './options.js';
import { readSignaturesText, readSignerSetFile } from './signer-files.js';

/** The options as commander gives them. */
export interface SignerOptions {
  signers?: string;
  threshold?: string;
}

/** The --signers option (commander's flags and description). */
export const SIGNERS_OPTION = [
  '--signers <file>',
  'a signer set you trust (pinned Ed25519 keys): only their signatures count',
] as const;

/** The --threshold option. */
export const THRESHOLD_OPTION = [
  '--threshold <k>',
  'how many distinct pinned signers must have signed (default 1 with --signers)',
] as const;

/** The pinned set and threshold; --threshold without --signers is a usage error. */
export function signerChoice(opts: SignerOptions): { signers?: SignerSet; threshold?: number } {
  if (opts.signers === undefined) {
    if (opts.threshold !== undefined) throw new CliUsageError('--threshold needs --signers <file>');
    return {};
  }
  const signers = readSignerSetFile(opts.signers);
  const threshold = opts.threshold === undefined ? 1 : positiveInt(opts.threshold, '--threshold');
  if (threshold > signers.byKey.size) {
    throw new CliUsageError(
      `--threshold ${threshold} is more than the ${signers.byKey.size} signers ${opts.signers} pins`,
    );
  }
  return { signers, threshold };
}

/**
 * The bundle's signatures, checked: null when the bundle is unsigned and no signers were pinned (nothing to
 * show, nothing required).
 */
export async function bundlePublication(
  dir: string,
  bundle: BundleData,
  choice: { signers?: SignerSet; threshold?: number },
): Promise<PublicationReport | null> {
  const text = await readSignaturesText(dir);
  if (text === null && choice.signers === undefined) return null;
  return verifyPublication(bundle, text, choice);
}

/** The packet's signature, in the light of the bundle's signatures and the pinned set. */
export function packetPublication(
  packet: InclusionPacket,
  publication: PublicationReport | null,
  choice: { signers?: SignerSet },
): PacketSignatureCheck {
  return checkPacketSignature(packet, {
    bundleDigest: publication?.digest ?? null,
    bundleSignatures: publication?.check ?? null,
    signers: choice.signers,
  });
}
