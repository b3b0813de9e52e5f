// The run id: one hash of everything that decides a run's proofs (the statement, the secret, the keys and
// the options), so a rerun of the same command after a coordinator crash publishes the same job ids and
// picks up the results already in Redis, while any change gives a new id and never reuses old results.
// The secret enters only through an HMAC under it: the id reveals nothing about it.
import { bytesToHex, hmacSha256, sha256 } from '../crypto/sha256.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import type { KeySet } from '../setup/keyset.js';
import type { SolvencyStatement } from '../tree/solvency-tree.js';

export interface RunIdInput {
  statement: SolvencyStatement;
  secret: Uint8Array;
  keys: Pick<KeySet, 'family' | 'circuits'>;
  publishTotal: boolean;
  padToUsers?: number;
}

const enc = new TextEncoder();

/** 64 hex digits naming the run (see the file comment). */
export function queueRunId(input: RunIdInput): string {
  const s = input.statement;
  const canonical = JSON.stringify({
    v: 1,
    currency: s.currency,
    decimals: s.decimals,
    snapshotTime: s.snapshotTime,
    auditHead: [s.auditHead.sequence, s.auditHead.hash],
    reserves: s.reserves.toString(),
    users: s.users.map((u) => [u.accountId, u.externalRef, u.liability.toString()]),
    secret: bytesToHex(hmacSha256(input.secret, enc.encode('zkreserve/queue-run-id/v1'))),
    family: input.keys.family.id,
    keys: CIRCUIT_KINDS.map((k) => input.keys.circuits[k].hashes),
    publishTotal: input.publishTotal,
    padToUsers: input.padToUsers ?? null,
  });
  return bytesToHex(sha256(enc.encode(canonical)));
}
