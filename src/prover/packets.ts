// Per-user inclusion packets (protocol.md §8), built from the tree one chunk at a time so that a run never
// holds every packet at once.
import type { SolvencyTree, UserLeaf } from '../tree/solvency-tree.js';
import { PROTOCOL_VERSION } from '../bundle/format.js';
import type { InclusionPacket } from '../bundle/format.js';

/** The packets of `users` (leaves of `tree`). */
export function packetsOf(tree: SolvencyTree, users: readonly UserLeaf[]): InclusionPacket[] {
  const iso = new Date(tree.snapshotTime).toISOString();
  const root = tree.top.root.toString();
  const sumCommit = tree.top.sumCommit.toString();
  // The users of one chunk share their siblings: each value is converted to decimal once, not once per user.
  const decimal = new Map<bigint, string>();
  const toDecimal = (x: bigint): string => {
    let d = decimal.get(x);
    if (d === undefined) decimal.set(x, (d = x.toString()));
    return d;
  };
  return users.map((u) => ({
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
    siblings: u.siblings.map((level) => level.map(toDecimal)),
    root,
    sumCommit,
  }));
}

/** Every user's packet, in tree order. */
export function buildPackets(tree: SolvencyTree): InclusionPacket[] {
  return packetsOf(tree, tree.users);
}

/**
 * The packets in tree order, a few whole chunks at a time (at least `minBatch` packets per batch, except
 * the last): a run holds one batch of packets at once, never all of them.
 */
export function* packetBatches(tree: SolvencyTree, minBatch = 256): Generator<InclusionPacket[]> {
  const users = tree.users;
  for (let start = 0; start < users.length;) {
    let end = Math.min(users.length, start + minBatch);
    while (end < users.length && users[end]!.chunk === users[end - 1]!.chunk) end++;
    yield packetsOf(tree, users.slice(start, end));
    start = end;
  }
}
