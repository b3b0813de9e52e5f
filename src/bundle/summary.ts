// The public figures of a bundle, computed in one place: the bundle verifier's report (BundleReport.summary,
// verify/verify-bundle.ts summarize), the CLI's `verify` printer (text and JSON) and the verification page all
// render this one object. Browser-safe. The figures are the manifest's claims, which the verifier checks
// against the proofs; they are read defensively, so that a report on a malformed manifest still shows what
// it has. Field order is output: `verify --json` prints the object as it is.
//
// Some figures are claims that no proof checks (issue 9 §1): `unverified` lists them, and every renderer
// shows them with CLAIMED_NOT_VERIFIED. The family is one of them unless the keys were pinned.
import type { BundleManifest } from './format.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';

/** The label every renderer puts after a figure that no proof checks. */
export const CLAIMED_NOT_VERIFIED = '(claimed, not verified)';

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
  /** The verification keys were pinned (trusted keys): the family and keys are the pinned ones. */
  keysPinned: boolean;
  /** users.policy (a claim). */
  usersPolicy: string;
  /** keys.circuits.<kind>.name, chunk, aggregate, solvency (claims). */
  circuitNames: string[];
  /** Manifest fields shown here that no proof or check binds: render them as CLAIMED_NOT_VERIFIED. */
  unverified: string[];
}

/**
 * The summary of a bundle with `manifest`; `insecure` is the verifier's verdict on its keys, `keysPinned`
 * whether its keys were checked against trusted key hashes (which is what fixes the family).
 */
export function summarizeManifest(m: BundleManifest, insecure: boolean, keysPinned = false): BundleSummary {
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
    keysPinned,
    usersPolicy: m.users?.policy,
    circuitNames: CIRCUIT_KINDS.map((kind) => String(m.keys?.circuits?.[kind]?.name)),
    unverified: [
      ...(keysPinned ? [] : ['family']),
      'auditHead.sequence',
      'users.policy',
      'keys.transcript',
      'keys.circuits.*.name',
    ],
  };
}
