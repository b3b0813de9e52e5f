// The whole solvency tree of protocol.md §3-§6 from a plain statement: leaves, chunks, aggregation levels,
// every node's root / sum / sum salt / sum commitment and each user's leaf with its inclusion path. Plain
// bigint data: the circuit inputs and expected public signals are derived from it by src/zk/circuit-inputs.ts.
// Pure and deterministic (same statement + secret + family -> identical output); browser-safe.
import { PAD_CHILD, leafHash, poseidon, sumCommitment, userCommitment } from '../crypto/poseidon.js';
import {
  accountField,
  accountIdProblem,
  auditHeadProblem,
  MAX_CURRENCY_DECIMALS,
  currencyId,
  splitAuditHead,
} from '../protocol/encoding.js';
import { balanceBitsFor } from '../protocol/families.js';
import type { CircuitFamily } from '../protocol/families.js';
import { isCurrencyCode } from '../money/currency.js';
import { assertSecret, padCommit, sumSalt, userSalt } from '../protocol/salts.js';
import type { SaltContext } from '../protocol/salts.js';
import { chunkPath, chunkRoot } from './chunk-tree.js';
import { leafOrder } from './leaf-order.js';
import type { LeafOrder } from './leaf-order.js';
import { InvalidStatementError } from './errors.js';

export interface SolvencyUser {
  /** The ledger's account id: 64 lowercase hex digits. */
  accountId: string;
  externalRef: string;
  /** Liability in minor units (0 for a user who owes the platform). */
  liability: bigint;
}

/** What the tree proves: plain data, independent of the ledger. */
export interface SolvencyStatement {
  currency: string;
  decimals: number;
  /** Snapshot instant T, Unix ms. */
  snapshotTime: number;
  auditHead: { sequence: number; hash: string };
  /** Reserves (minor units). */
  reserves: bigint;
  users: SolvencyUser[];
}

export interface TreeOptions {
  /** Add whole padding chunks until the tree has at least this many leaf slots (hides the exact count). */
  padToUsers?: number;
}

export interface ChildRef {
  root: bigint;
  sumCommit: bigint;
}

/** What every node of the tree has (protocol.md §4-§5). */
export interface TreeNode {
  /** 0: chunk; l >= 1: aggregation level. */
  level: number;
  index: number;
  root: bigint;
  sum: bigint;
  sumSalt: bigint;
  sumCommit: bigint;
}

/** One leaf slot of a chunk: a user's leaf or a padding leaf (protocol.md §3). */
export interface Leaf {
  /** P(field31(accountId), salt) for a user; padCommit for a padding leaf. */
  userCommit: bigint;
  /** The user's liability; 0 for a padding leaf. */
  balance: bigint;
  /** The leaf: P(userCommit, balance). */
  hash: bigint;
}

export interface ChunkNode extends TreeNode {
  /** The N leaf slots, users and padding leaves in the keyed leaf order (protocol.md §3). */
  leaves: Leaf[];
}

export interface AggregateNode extends TreeNode {
  /** The K child slots, padding children (PAD_CHILD) past the end of the level below. */
  children: ChildRef[];
}

export interface UserLeaf {
  accountId: string;
  externalRef: string;
  balance: bigint;
  salt: bigint;
  chunk: number;
  leaf: number;
  /** Chunk-tree siblings, bottom up (protocol.md §8). */
  siblings: bigint[][];
}

export interface SolvencyTree {
  family: CircuitFamily;
  currency: string;
  decimals: number;
  snapshotTime: number;
  currencyId: bigint;
  auditHead: { sequence: number; hash: string; hi: bigint; lo: bigint };
  reserves: bigint;
  total: bigint;
  userCount: number;
  paddedUsers: number;
  /** True when whole padding chunks were added (padToUsers). */
  padded: boolean;
  chunks: ChunkNode[];
  /** `aggregates[l - 1]` is aggregation level l; the last level has exactly one node. */
  aggregates: AggregateNode[][];
  /** Nodes per level, level 0 (chunks) first. */
  levelCounts: number[];
  top: AggregateNode;
  /** Users in tree order (slot order: chunk, then leaf). */
  users: UserLeaf[];
}

function validate(statement: SolvencyStatement, family: CircuitFamily): void {
  const { snapshotTime, reserves, users } = statement;
  if (!isCurrencyCode(statement.currency)) {
    throw new InvalidStatementError(
      `statement currency ${JSON.stringify(statement.currency)} is not a currency code ([A-Z0-9]{1,31})`,
    );
  }
  const { decimals } = statement;
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > MAX_CURRENCY_DECIMALS) {
    throw new InvalidStatementError(
      `statement decimals must be an integer in [0, ${MAX_CURRENCY_DECIMALS}], got ${String(decimals)}`,
    );
  }
  if (family.balanceBits !== balanceBitsFor(decimals)) {
    throw new InvalidStatementError(
      `family ${family.id} has B = ${family.balanceBits}, but a currency with ${decimals} decimals needs B = ${balanceBitsFor(decimals)} (protocol.md §2)`,
    );
  }
  if (!Number.isSafeInteger(snapshotTime) || snapshotTime < 0) {
    throw new InvalidStatementError(
      `snapshotTime must be non-negative integer Unix ms, got ${String(snapshotTime)}`,
    );
  }
  if (typeof reserves !== 'bigint')
    throw new InvalidStatementError('reserves must be a bigint (minor units)');
  if (reserves < 0n || reserves >= 1n << BigInt(family.sumBits)) {
    throw new InvalidStatementError(`reserves ${reserves} out of range [0, 2^${family.sumBits})`);
  }
  if (!Number.isSafeInteger(statement.auditHead?.sequence) || statement.auditHead.sequence < 0) {
    throw new InvalidStatementError('audit head sequence must be a non-negative integer');
  }
  const headProblem = auditHeadProblem(statement.auditHead.hash);
  if (headProblem !== null) throw new InvalidStatementError(headProblem);
  validateUsers(users, family);
}

function validateUsers(users: readonly SolvencyUser[], family: CircuitFamily): void {
  const limit = 1n << BigInt(family.balanceBits);
  const seen = new Set<string>();
  for (const u of users) {
    const idProblem = accountIdProblem(u.accountId);
    if (idProblem !== null) throw new InvalidStatementError(idProblem);
    if (seen.has(u.accountId)) throw new InvalidStatementError(`account ${u.accountId} appears twice`);
    seen.add(u.accountId);
    if (typeof u.liability !== 'bigint') {
      throw new InvalidStatementError(
        `liability of account ${u.accountId} must be a bigint (minor units), got ${typeof u.liability}`,
      );
    }
    if (u.liability < 0n || u.liability >= limit) {
      throw new InvalidStatementError(
        `liability ${u.liability} of account ${u.accountId} is out of range [0, 2^${family.balanceBits})`,
      );
    }
  }
}

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
export function buildSolvencyTree(
  statement: SolvencyStatement,
  secret: Uint8Array,
  family: CircuitFamily,
  options: TreeOptions = {},
): SolvencyTree {
  assertSecret(secret);
  validate(statement, family);
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

/** The nodes below `node` in its K child slots (null for a padding child). */
export function childNodes(tree: SolvencyTree, node: AggregateNode): (TreeNode | null)[] {
  const below: readonly TreeNode[] = node.level === 1 ? tree.chunks : tree.aggregates[node.level - 2]!;
  const K = node.children.length;
  return node.children.map((_, i) => below[node.index * K + i] ?? null);
}
