// The signed snapshot index (docs/reserves.md "The snapshot index"): one file per snapshot time
// listing every currency's bundle digest, signed by the operator (and co-signed by auditors), so that a user
// with balances in several currencies checks one publication. Browser-safe: building and parsing only; the
// CLI reads the bundles.
import { canonicalJson } from '../util/canonical-json.js';
import type { CanonicalValue } from '../util/canonical-json.js';
import { bytesToHex, sha256 } from '../crypto/sha256.js';
import { PROTOCOL_VERSION } from '../bundle/format.js';
import { isCurrencyCode } from '../money/currency.js';
import { SnapshotIndexError } from './errors.js';

/** The `kind` of a snapshot index. */
export const INDEX_KIND = 'snapshot-index';
/** Domain tag of the index digest. */
export const INDEX_DIGEST_TAG = `${PROTOCOL_VERSION}/snapshot-index`;

/** One currency's bundle in the index. */
export interface IndexEntry {
  currency: string;
  snapshotTime: string;
  /** The bundle digest (protocol.md §11), 64 lowercase hex digits. */
  digest: string;
  /** The bundle directory relative to the index file's directory, `/`-separated, never `..` or absolute. */
  path: string;
}

/** A snapshot index: the entries (sorted by currency) and the signatures of its digest. */
export interface SnapshotIndex {
  protocol: typeof PROTOCOL_VERSION;
  kind: typeof INDEX_KIND;
  snapshotTime: string;
  snapshotTimeMs: string;
  bundles: IndexEntry[];
  /** Signature entries over indexDigest (checked by checkSignatures with indexSignatureMessage). */
  signatures: unknown[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Why `p` is not an acceptable relative bundle path (null when it is). */
export function indexPathProblem(p: string): string | null {
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\\')) {
    return `path ${JSON.stringify(p)} must be relative, with / separators`;
  }
  if (p.split('/').some((part) => part === '..' || part === '')) {
    return `path ${JSON.stringify(p)} may not contain .. or empty parts (bundles sit at or below the index)`;
  }
  return null;
}

/**
 * An unsigned index of `bundles` (one snapshot time, one bundle per currency). Throws SnapshotIndexError
 * for bundles of different snapshot times, a currency listed twice, a bad digest or path, or no bundle.
 */
export function buildIndex(bundles: readonly (IndexEntry & { snapshotTimeMs: string })[]): SnapshotIndex {
  if (bundles.length === 0) throw new SnapshotIndexError('an index needs at least one bundle');
  const first = bundles[0]!;
  const seen = new Set<string>();
  for (const b of bundles) {
    if (b.snapshotTimeMs !== first.snapshotTimeMs || b.snapshotTime !== first.snapshotTime) {
      throw new SnapshotIndexError(
        `bundles of different snapshot times: ${b.path} is at ${b.snapshotTime}, ${first.path} at ` +
          `${first.snapshotTime} (one index per snapshot time)`,
      );
    }
    if (seen.has(b.currency)) {
      throw new SnapshotIndexError(`two bundles of ${b.currency} (${b.path} and another): one per currency`);
    }
    seen.add(b.currency);
  }
  const index: SnapshotIndex = {
    protocol: PROTOCOL_VERSION,
    kind: INDEX_KIND,
    snapshotTime: first.snapshotTime,
    snapshotTimeMs: first.snapshotTimeMs,
    bundles: [...bundles]
      .map(({ currency, snapshotTime, digest, path }) => ({ currency, snapshotTime, digest, path }))
      .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
    signatures: [],
  };
  checkEntries(index, 'the index');
  return index;
}

/**
 * The index digest: SHA-256 of the canonical JSON of `{ tag: "zkreserve/2/snapshot-index", snapshotTime,
 * snapshotTimeMs, bundles }`, lowercase hex. Signatures are not covered (they sign it).
 */
export function indexDigest(index: SnapshotIndex): string {
  const value = {
    tag: INDEX_DIGEST_TAG,
    snapshotTime: index.snapshotTime,
    snapshotTimeMs: index.snapshotTimeMs,
    bundles: index.bundles,
  } as unknown as CanonicalValue;
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(value))));
}

function checkEntries(index: SnapshotIndex, source: string): void {
  const currencies = new Set<string>();
  index.bundles.forEach((b, i) => {
    const at = `${source}: bundles[${i}]`;
    if (typeof b !== 'object' || b === null) throw new SnapshotIndexError(`${at} is not an object`);
    if (!isCurrencyCode(b.currency)) throw new SnapshotIndexError(`${at}: currency is not a currency code`);
    if (currencies.has(b.currency)) throw new SnapshotIndexError(`${at}: ${b.currency} is listed twice`);
    currencies.add(b.currency);
    if (b.snapshotTime !== index.snapshotTime) {
      throw new SnapshotIndexError(`${at}: snapshot time ${String(b.snapshotTime)} is not the index's`);
    }
    if (typeof b.digest !== 'string' || !HEX64.test(b.digest)) {
      throw new SnapshotIndexError(`${at}: digest must be 64 lowercase hex digits`);
    }
    const problem = typeof b.path === 'string' ? indexPathProblem(b.path) : 'path must be a string';
    if (problem !== null) throw new SnapshotIndexError(`${at}: ${problem}`);
  });
}

/** Parses an index's JSON text; throws SnapshotIndexError naming the first problem. */
export function parseIndex(text: string, source: string): SnapshotIndex {
  let v: Partial<SnapshotIndex>;
  try {
    v = JSON.parse(text) as Partial<SnapshotIndex>;
  } catch (e) {
    throw new SnapshotIndexError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || v.protocol !== PROTOCOL_VERSION || v.kind !== INDEX_KIND) {
    throw new SnapshotIndexError(
      `${source} is not a zkreserve snapshot index (protocol ${PROTOCOL_VERSION}, kind ${INDEX_KIND})`,
    );
  }
  if (typeof v.snapshotTime !== 'string' || typeof v.snapshotTimeMs !== 'string') {
    throw new SnapshotIndexError(`${source}: snapshotTime and snapshotTimeMs must be strings`);
  }
  if (!Array.isArray(v.bundles) || v.bundles.length === 0) {
    throw new SnapshotIndexError(`${source}: bundles must be a non-empty list`);
  }
  if (!Array.isArray(v.signatures)) throw new SnapshotIndexError(`${source}: signatures must be a list`);
  const index: SnapshotIndex = {
    protocol: PROTOCOL_VERSION,
    kind: INDEX_KIND,
    snapshotTime: v.snapshotTime,
    snapshotTimeMs: v.snapshotTimeMs,
    bundles: v.bundles.map((b: Partial<IndexEntry> | null) =>
      typeof b === 'object' && b !== null
        ? ({
            currency: b.currency,
            snapshotTime: b.snapshotTime,
            digest: b.digest,
            path: b.path,
          } as IndexEntry)
        : (b as unknown as IndexEntry),
    ),
    signatures: [...v.signatures],
  };
  checkEntries(index, source);
  return index;
}

/** The index file's text: two-space JSON and a final newline. */
export function indexText(index: SnapshotIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}
