// Per-user inclusion packets (protocol.md §8).
import type { SolvencyTree } from '../tree/solvency-tree.js';
import { PROTOCOL_VERSION } from '../bundle/format.js';
import type { InclusionPacket } from '../bundle/format.js';

export function buildPackets(tree: SolvencyTree): InclusionPacket[] {
  const iso = new Date(tree.snapshotTime).toISOString();
  return tree.users.map((u) => ({
    protocol: PROTOCOL_VERSION,
    currency: tree.currency,
    snapshotTime: iso,
    snapshotTimeMs: String(tree.snapshotTime),
    accountId: u.accountId,
    externalRef: u.externalRef,
    balance: u.balance.toString(),
    salt: u.salt.toString(),
    chunk: u.chunk,
    leaf: u.leaf,
    siblings: u.siblings.map((level) => level.map((x) => x.toString())),
    root: tree.top.root.toString(),
    sumCommit: tree.top.sumCommit.toString(),
  }));
}
