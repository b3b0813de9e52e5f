// The reference build of the solvency tree: the implementation before the tree was built in hash batches
// (src/tree/tree-steps.ts), kept verbatim in its logic — poseidon-lite, and every user's path re-hashed from
// the chunk's leaves with chunkPath. Tests compare the current builds against it.
import { PAD_CHILD, leafHash, poseidon, sumCommitment, userCommitment } from '../../src/crypto/poseidon.js';
import { accountField, currencyId, splitAuditHead } from '../../src/protocol/encoding.js';
import type { CircuitFamily } from '../../src/protocol/families.js';
import { assertSecret, padCommit, sumSalt, userSalt } from '../../src/protocol/salts.js';
import type { SaltContext } from '../../src/protocol/salts.js';
import { chunkPath, chunkRoot } from '../../src/tree/chunk-tree.js';
import { leafOrder } from '../../src/tree/leaf-order.js';
import type { LeafOrder } from '../../src/tree/leaf-order.js';
import { InvalidStatementError } from '../../src/tree/errors.js';
import { validateStatement } from '../../src/tree/validate.js';
import type {
  AggregateNode,
  ChildRef,
  ChunkNode,
  Leaf,
  SolvencyStatement,
  SolvencyTree,
  SolvencyUser,
  TreeNode,
  TreeOptions,
  UserLeaf,
} from '../../src/tree/types.js';

/** The chunk count: enough for every user (at least one chunk), and for `padToUsers` leaf slots. */
function chunkCounts(
  userCount: number,
  n: number,
  padTo: number | undefined,
): { exact: number; total: number } {
  if (padTo !== undefined && (!Number.isSafeInteger(padTo) || padTo < userCount)) {
    throw new InvalidStatementError(
      `padToUsers (${String(padTo)}) must be an integer >= the user count (${userCount})`,
    );
  }
  const exact = Math.max(1, Math.ceil(userCount / n));
  return { exact, total: Math.max(exact, Math.ceil((padTo ?? 0) / n)) };
}

/** Level 0: N slots per chunk, users and padding leaves in the keyed leaf order (protocol.md §3). */
function buildChunks(
  ctx: SaltContext,
  users: readonly SolvencyUser[],
  salts: readonly bigint[],
  order: LeafOrder,
  chunkCount: number,
  n: number,
): ChunkNode[] {
  const leaf = (userCommit: bigint, balance: bigint): Leaf => ({
    userCommit,
    balance,
    hash: leafHash(userCommit, balance),
  });
  const slots = new Array<Leaf>(chunkCount * n);
  users.forEach((u, k) => {
    slots[order.userSlot[k]!] = leaf(userCommitment(accountField(u.accountId), salts[k]!), u.liability);
  });
  order.isPadding.forEach((pad, slot) => {
    if (pad) slots[slot] = leaf(padCommit(ctx, Math.floor(slot / n), slot % n), 0n);
  });
  return Array.from({ length: chunkCount }, (_, c) => {
    const leaves = slots.slice(c * n, (c + 1) * n);
    const sum = leaves.reduce((a, l) => a + l.balance, 0n);
    const salt = sumSalt(ctx, 0, c);
    return {
      level: 0,
      index: c,
      root: chunkRoot(leaves.map((l) => l.hash)),
      sum,
      sumSalt: salt,
      sumCommit: sumCommitment(sum, salt),
      leaves,
    };
  });
}

/** Aggregation node `index` of `level` over up to K nodes of the level below (the rest: PAD_CHILD). */
function aggregateNode(
  ctx: SaltContext,
  family: CircuitFamily,
  level: number,
  index: number,
  below: readonly TreeNode[],
): AggregateNode {
  const children: ChildRef[] = Array.from({ length: family.aggChildren }, (_, i) => {
    const child = below[i];
    return child
      ? { root: child.root, sumCommit: child.sumCommit }
      : { root: PAD_CHILD.root, sumCommit: PAD_CHILD.sumCommit };
  });
  const sum = below.reduce((a, c) => a + c.sum, 0n);
  if (sum >= 1n << BigInt(family.sumBits)) {
    throw new InvalidStatementError(`a partial sum exceeds 2^${family.sumBits}`);
  }
  const salt = sumSalt(ctx, level, index);
  return {
    level,
    index,
    root: poseidon(children.map((c) => c.root)),
    sum,
    sumSalt: salt,
    sumCommit: sumCommitment(sum, salt),
    children,
  };
}

/** Aggregation levels until one node remains (always at least one level). */
function buildAggregates(
  ctx: SaltContext,
  family: CircuitFamily,
  chunks: readonly ChunkNode[],
): AggregateNode[][] {
  const K = family.aggChildren;
  const aggregates: AggregateNode[][] = [];
  let below: readonly TreeNode[] = chunks;
  for (let level = 1; level === 1 || below.length > 1; level++) {
    const nodes: AggregateNode[] = [];
    for (let j = 0; j * K < below.length; j++) {
      nodes.push(aggregateNode(ctx, family, level, j, below.slice(j * K, (j + 1) * K)));
    }
    aggregates.push(nodes);
    below = nodes;
  }
  return aggregates;
}

/** Builds the full tree. Throws InvalidStatementError / SaltError on bad input. */
export function buildReferenceTree(
  statement: SolvencyStatement,
  secret: Uint8Array,
  family: CircuitFamily,
  options: TreeOptions = {},
): SolvencyTree {
  assertSecret(secret);
  validateStatement(statement, family); // the statement checks are not what this reference compares
  const ctx: SaltContext = { secret, currency: statement.currency, snapshotTime: statement.snapshotTime };
  const N = family.chunkUsers;
  const users = statement.users;
  const counts = chunkCounts(users.length, N, options.padToUsers);
  const order = leafOrder(
    ctx,
    users.map((u) => u.accountId),
    counts.total * N,
  );
  const salts = users.map((u) => userSalt(ctx, u.accountId));
  const chunks = buildChunks(ctx, users, salts, order, counts.total, N);
  const aggregates = buildAggregates(ctx, family, chunks);
  const top = aggregates[aggregates.length - 1]![0]!;

  const userLeaves: UserLeaf[] = users
    .map((u, k) => {
      const slot = order.userSlot[k]!;
      const chunk = Math.floor(slot / N);
      const leaf = slot % N;
      return {
        accountId: u.accountId,
        externalRef: u.externalRef,
        balance: u.liability,
        salt: salts[k]!,
        chunk,
        leaf,
        siblings: chunkPath(
          chunks[chunk]!.leaves.map((l) => l.hash),
          leaf,
        ),
      };
    })
    .sort((a, b) => a.chunk * N + a.leaf - (b.chunk * N + b.leaf));

  const { hi, lo } = splitAuditHead(statement.auditHead.hash);
  return {
    family,
    currency: statement.currency,
    decimals: statement.decimals,
    snapshotTime: statement.snapshotTime,
    currencyId: currencyId(statement.currency, statement.decimals),
    auditHead: { sequence: statement.auditHead.sequence, hash: statement.auditHead.hash, hi, lo },
    reserves: statement.reserves,
    total: top.sum,
    userCount: users.length,
    paddedUsers: counts.total * N,
    padded: counts.total > counts.exact,
    chunks,
    aggregates,
    levelCounts: [chunks.length, ...aggregates.map((l) => l.length)],
    top,
    users: userLeaves,
  };
}
