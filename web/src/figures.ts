// The public figures of a bundle, formatted for people.
import type { BundleManifest } from '../../src/bundle/format.js';
import { CLAIMED_NOT_VERIFIED } from '../../src/bundle/summary.js';
import type { BundleSummary } from '../../src/bundle/summary.js';
import { formatMinorUnits } from '../../src/money/amount.js';
import { CIRCUIT_KINDS } from '../../src/protocol/families.js';
import { isDecimal } from '../../src/verify/checks.js';

export interface Figure {
  label: string;
  value: string;
  /** Shown emphasised (the user's own balance, a warning). */
  strong?: boolean;
}

/** Minor units as a decimal string with the currency's decimals, exactly (no floating point). */
export function formatMinor(amount: bigint, decimals: number): string {
  const [whole, frac] = formatMinorUnits(amount, decimals).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
}

/** A decimal-string amount of minor units with its currency; a malformed one is shown as it is. */
export function formatAmount(minor: unknown, decimals: unknown, currency: unknown): string {
  if (!isDecimal(minor)) return `${String(minor)} (malformed)`;
  const d = Number.isSafeInteger(decimals) && (decimals as number) >= 0 ? (decimals as number) : 0;
  return `${formatMinor(BigInt(minor), d)} ${String(currency)}`;
}

/** An ISO instant as "2025-06-30 12:00:00.000 UTC" (the exact value, no local-time conversion). */
export function formatInstant(iso: unknown): string {
  if (typeof iso !== 'string') return String(iso);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function plural(n: unknown, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The bundle's public figures: its summary (src/bundle/summary.ts, what `zkreserve verify` shows; `insecure`
 * is the verifier's verdict on the keys, not only the manifest's word), plus two facts of its manifest
 * for the careful user: the slots per chunk and the verification-key hashes.
 */
export function describeBundle(s: BundleSummary, m: BundleManifest): Figure[] {
  const ceremony = String(s.ceremony);
  return [
    { label: 'Currency', value: String(s.currency) },
    { label: 'Snapshot time', value: formatInstant(s.snapshotTime) },
    { label: 'Reserves', value: formatAmount(s.reserves, s.decimals, s.currency) },
    {
      label: 'Total owed to users',
      value:
        s.total === null
          ? 'not disclosed (proven to be at most the reserves)'
          : formatAmount(s.total, s.decimals, s.currency),
    },
    {
      label: 'Users committed',
      value: `at most ${String(s.paddedUsers)} (${plural(s.chunks, 'chunk')} of ${String(m.family?.chunkUsers)} slots)`,
    },
    { label: 'Users policy', value: `${String(s.usersPolicy)} ${CLAIMED_NOT_VERIFIED}` },
    { label: 'Audit-log head', value: String(s.auditHead.hash) },
    { label: 'Audit-log entry', value: `#${String(s.auditHead.sequence)} ${CLAIMED_NOT_VERIFIED}` },
    {
      label: 'Circuit family',
      value: s.keysPinned
        ? `${String(s.family)} (pinned by your trusted keys)`
        : `${String(s.family)} ${CLAIMED_NOT_VERIFIED}: keys not pinned`,
      strong: !s.keysPinned,
    },
    { label: 'Circuits', value: `${s.circuitNames.join(', ')} ${CLAIMED_NOT_VERIFIED}` },
    {
      label: 'Keys (setup ceremony)',
      value: s.insecure ? `${ceremony}: INSECURE DEVELOPMENT KEYS` : ceremony,
      strong: s.insecure,
    },
    { label: 'Ceremony transcript', value: `${transcriptOf(m)} ${CLAIMED_NOT_VERIFIED}` },
    {
      // The verifier checked that the key files hash to these; a careful user compares them with the hashes
      // the ceremony published (a bundle cannot vouch for its own keys).
      label: 'Key hashes (SHA-256)',
      value: CIRCUIT_KINDS.map((kind) => `${kind} ${String(m.keys?.circuits?.[kind]?.hashes?.vkey)}`).join(
        '; ',
      ),
    },
  ];
}

/** The transcript steps the manifest states, in words (a claim: nothing binds them to the keys). */
function transcriptOf(m: BundleManifest): string {
  const t = m.keys?.transcript;
  if (!Array.isArray(t) || t.length === 0) return 'none stated';
  return t
    .map((x: unknown) => {
      const step = x as { index?: unknown; type?: unknown; name?: unknown } | null;
      return `#${String(step?.index)} ${String(step?.type)} by "${String(step?.name)}"`;
    })
    .join('; ');
}
