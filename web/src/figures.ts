// The public figures of a bundle, formatted for people.
import type { BundleData } from '../../src/bundle/format.js';

export interface Figure {
  label: string;
  value: string;
}

/** Minor units as a decimal string with the currency's decimals, exactly (no floating point). */
export function formatMinor(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative ? '-' : ''}${whole}${frac}`;
}

export function describeBundle(bundle: BundleData): Figure[] {
  const m = bundle.manifest;
  return [
    { label: 'Currency', value: m.currency },
    { label: 'Snapshot time', value: m.snapshotTime },
    { label: 'Reserves', value: `${formatMinor(BigInt(m.reserves), m.decimals)} ${m.currency}` },
    {
      label: 'Total liabilities',
      value: m.total === null ? 'not disclosed (proven ≤ reserves)' : `${formatMinor(BigInt(m.total), m.decimals)} ${m.currency}`,
    },
    { label: 'Users committed (upper bound)', value: String(m.users.paddedUsers) },
    { label: 'Audit-log head', value: `#${m.auditHead.sequence} ${m.auditHead.hash}` },
    { label: 'Keys', value: m.keys.insecure ? `${m.keys.ceremony} (INSECURE)` : m.keys.ceremony },
  ];
}
