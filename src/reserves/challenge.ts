// The round's challenge (docs/reserves.md "The challenge"): the exact text every reserve signature signs.
// It binds the protocol, the operator, the currency, the snapshot time T and the ledger's audit head at T,
// all known once T has passed, so cold wallets can sign while the proofs run. Browser-safe.
import { PROTOCOL_VERSION } from '../bundle/format.js';
import type { BundleManifest } from '../bundle/format.js';
import { isCurrencyCode } from '../money/currency.js';
import { formatInstant, parseInstant } from '../time.js';
import { InvalidChallengeError } from './errors.js';

/** Longest operator name, in characters (printable ASCII only, so one byte each). */
export const MAX_OPERATOR_LENGTH = 64;

/** What a challenge binds. */
export interface ChallengeInput {
  operator: string;
  currency: string;
  /** Snapshot instant T (ISO 8601 with a zone, or Unix ms). */
  snapshotTime: string | number;
  auditHead: { sequence: number; hash: string };
}

/**
 * Checks an operator name: 1..64 printable ASCII characters (0x20..0x7e), no leading or trailing space.
 * ASCII only, so a wallet shows exactly these characters (no look-alike or invisible one).
 */
export function assertOperatorName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_OPERATOR_LENGTH) {
    throw new InvalidChallengeError(
      `operator name must be 1..${MAX_OPERATOR_LENGTH} printable ASCII characters, got ${JSON.stringify(name)}`,
    );
  }
  if (!/^[\x20-\x7e]+$/.test(name) || name.trim() !== name) {
    throw new InvalidChallengeError(
      `operator name ${JSON.stringify(name)} must be printable ASCII (0x20..0x7e) without leading or trailing spaces`,
    );
  }
}

/**
 * The challenge text: five lines joined by LF (0x0a), no trailing newline, ASCII:
 * `zkreserve/2 reserves challenge`, `operator: <name>`, `currency: <code>`,
 * `snapshot: <T as YYYY-MM-DDTHH:MM:SS.sssZ>`, `audit head: #<sequence> <hash, 64 lowercase hex>`.
 */
export function reservesChallenge(input: ChallengeInput): string {
  assertOperatorName(input.operator);
  if (!isCurrencyCode(input.currency)) {
    throw new InvalidChallengeError(
      `challenge currency ${JSON.stringify(input.currency)} is not a currency code`,
    );
  }
  let at: string;
  try {
    at = formatInstant(parseInstant(input.snapshotTime, 'snapshot time'));
  } catch (e) {
    throw new InvalidChallengeError(`challenge snapshot time: ${(e as Error).message}`);
  }
  const { sequence, hash } = input.auditHead ?? {};
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new InvalidChallengeError(
      `challenge audit sequence must be an integer >= 0, got ${String(sequence)}`,
    );
  }
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    throw new InvalidChallengeError(
      `challenge audit head hash must be 64 lowercase hex digits, got ${String(hash)}`,
    );
  }
  return [
    `${PROTOCOL_VERSION} reserves challenge`,
    `operator: ${input.operator}`,
    `currency: ${input.currency}`,
    `snapshot: ${at}`,
    `audit head: #${sequence} ${hash}`,
  ].join('\n');
}

/** The challenge of a bundle's round for `operator`: currency, T and audit head from its manifest. */
export function challengeForManifest(manifest: BundleManifest, operator: string): string {
  return reservesChallenge({
    operator,
    currency: manifest.currency,
    snapshotTime: manifest.snapshotTime,
    auditHead: { sequence: manifest.auditHead?.sequence, hash: manifest.auditHead?.hash },
  });
}
