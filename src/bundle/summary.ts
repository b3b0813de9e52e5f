// The public figures of a bundle, computed in one place: the bundle verifier's report (BundleReport.summary,
// verify/verify-bundle.ts summarize), the CLI's `verify` printer (text and JSON) and the verification page all
// render this one object. Browser-safe. The figures are the manifest's claims, which the verifier checks
// against the proofs; they are read defensively, so that a report on a malformed manifest still shows what
// it has. Field order is output: `verify --json` prints the object as it is.
import type { BundleManifest } from './format.js';

export interface BundleSummary {
  currency: string;
  decimals: number;
  snapshotTime: string;
  snapshotTimeMs: string;
  chunks: number;
  levels: number[];
  paddedUsers: number;
  total: string | null;
  reserves: string;
  auditHead: { sequence: number; hash: string };
  ceremony: string;
  /** The verifier's verdict on the keys (verify/dev-keys.ts), not only the manifest's word. */
  insecure: boolean;
  family: string;
}

/** The summary of a bundle with `manifest`; `insecure` is the verifier's verdict on its keys. */
export function summarizeManifest(m: BundleManifest, insecure: boolean): BundleSummary {
  return {
    currency: m.currency,
    decimals: m.decimals,
    snapshotTime: m.snapshotTime,
    snapshotTimeMs: m.snapshotTimeMs,
    chunks: m.tree?.levels?.[0] ?? 0,
    levels: [...(m.tree?.levels ?? [])],
    paddedUsers: m.users?.paddedUsers ?? 0,
    total: m.total,
    reserves: m.reserves,
    auditHead: { sequence: m.auditHead?.sequence, hash: m.auditHead?.hash },
    ceremony: m.keys?.ceremony,
    insecure,
    family: m.family?.id,
  };
}
