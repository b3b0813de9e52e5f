// The solvency tree's plain data (protocol.md §3-§6): the statement it is built from, its nodes and each
// user's leaf. Browser-safe.
import type { CircuitFamily } from '../protocol/families.js';

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
  /** HMAC-SHA256 for the salts and the leaf order (SaltContext.hmac; default @noble/hashes). */
  hmac?: (key: Uint8Array, message: Uint8Array) => Uint8Array;
}

/** Each user's salt and leaf-order sort key, in the statement's user order. */
export interface UserDerivations {
  salts: readonly bigint[];
  orderKeys: readonly string[];
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
  /** Chunk-tree siblings, bottom up (protocol.md §8); read from the chunk's levels on each access. */
  readonly siblings: bigint[][];
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
