// The whole solvency tree of protocol.md §3-§6 from a plain statement: leaves, chunks, aggregation levels,
// every node's root / sum / sum commitment, every proof's circuit input and each user's packet data.
// Pure and deterministic (same statement + secret + family -> identical output); browser-safe.
import { PAD_CHILD, leafHash, poseidon, sumCommitment, userCommitment } from '../crypto/poseidon.js';
import {
  accountField,
  accountIdProblem,
  auditHeadProblem,
  currencyId as currencyIdOf,
  splitAuditHead,
} from '../protocol/encoding.js';
import { chunkPath, chunkRoot } from './chunk-tree.js';
import { InvalidStatementError } from './errors.js';
import { SOLVENCY_PUBLIC_INPUTS } from '../protocol/families.js';
import type { CircuitFamily } from '../protocol/families.js';
import { assertSecret, padCommit, sumSalt, userSalt } from '../protocol/salts.js';
import type { SaltContext } from '../protocol/salts.js';

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

export type CircuitInput = Record<string, string | string[]>;

export interface ChildRef {
  root: bigint;
  sumCommit: bigint;
}

export interface TreeNode {
  /** 0: chunk; l >= 1: aggregation level. */
  level: number;
  index: number;
  root: bigint;
  sum: bigint;
  sumSalt: bigint;
  sumCommit: bigint;
  /** Circuit input (decimal strings) for this node's proof. */
  input: CircuitInput;
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
  chunks: TreeNode[];
  /** `aggregates[l - 1]` is aggregation level l; the last level has exactly one node. */
  aggregates: AggregateNode[][];
  /** Nodes per level, level 0 (chunks) first. */
  levelCounts: number[];
  top: AggregateNode;
  /** Users in tree order (sorted by account id). */
  users: UserLeaf[];
}

function dec(x: bigint): string {
  return x.toString(10);
}

function validate(statement: SolvencyStatement, family: CircuitFamily): void {
  const { snapshotTime, reserves, users } = statement;
  if (typeof statement.currency !== 'string' || statement.currency.length === 0) {
    throw new InvalidStatementError('statement currency must be a non-empty code');
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
  const K = family.aggChildren;
  const users = [...statement.users].sort((a, b) =>
    a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0,
  );

  const padTo = options.padToUsers;
  if (padTo !== undefined && (!Number.isSafeInteger(padTo) || padTo < users.length)) {
    throw new InvalidStatementError(
      `padToUsers (${String(padTo)}) must be an integer >= the user count (${users.length})`,
    );
  }
  const exactChunks = Math.max(1, Math.ceil(users.length / N));
  const chunkCount = Math.max(exactChunks, Math.ceil((padTo ?? 0) / N));

  // Leaves: users in account-id order, then padding leaves.
  const userCommits: bigint[] = [];
  const balances: bigint[] = [];
  const salts: bigint[] = [];
  for (const u of users) {
    const salt = userSalt(ctx, u.accountId);
    salts.push(salt);
    userCommits.push(userCommitment(accountField(u.accountId), salt));
    balances.push(u.liability);
  }
  for (let slot = users.length; slot < chunkCount * N; slot++) {
    userCommits.push(padCommit(ctx, Math.floor(slot / N), slot % N));
    balances.push(0n);
  }

  // Level 0: chunks.
  const chunks: TreeNode[] = [];
  const chunkLeaves: bigint[][] = [];
  for (let c = 0; c < chunkCount; c++) {
    const uc = userCommits.slice(c * N, (c + 1) * N);
    const bal = balances.slice(c * N, (c + 1) * N);
    const leaves = uc.map((x, i) => leafHash(x, bal[i]!));
    chunkLeaves.push(leaves);
    const sum = bal.reduce((a, b) => a + b, 0n);
    const salt = sumSalt(ctx, 0, c);
    chunks.push({
      level: 0,
      index: c,
      root: chunkRoot(leaves),
      sum,
      sumSalt: salt,
      sumCommit: sumCommitment(sum, salt),
      input: { userCommit: uc.map(dec), balance: bal.map(dec), sumSalt: dec(salt) },
    });
  }

  // Aggregation levels until one node remains (always at least one level).
  const sumLimit = 1n << BigInt(family.sumBits);
  const aggregates: AggregateNode[][] = [];
  let below: TreeNode[] = chunks;
  for (let level = 1; level === 1 || below.length > 1; level++) {
    const nodes: AggregateNode[] = [];
    for (let j = 0; j * K < below.length; j++) {
      const children: ChildRef[] = [];
      const childSum: bigint[] = [];
      const childSumSalt: bigint[] = [];
      for (let i = 0; i < K; i++) {
        const child = below[j * K + i];
        if (child) {
          children.push({ root: child.root, sumCommit: child.sumCommit });
          childSum.push(child.sum);
          childSumSalt.push(child.sumSalt);
        } else {
          children.push({ root: PAD_CHILD.root, sumCommit: PAD_CHILD.sumCommit });
          childSum.push(0n);
          childSumSalt.push(0n);
        }
      }
      const sum = childSum.reduce((a, b) => a + b, 0n);
      if (sum >= sumLimit) throw new InvalidStatementError(`a partial sum exceeds 2^${family.sumBits}`);
      const salt = sumSalt(ctx, level, j);
      nodes.push({
        level,
        index: j,
        root: poseidon(children.map((c) => c.root)),
        sum,
        sumSalt: salt,
        sumCommit: sumCommitment(sum, salt),
        children,
        input: {
          childRoot: children.map((c) => dec(c.root)),
          childSumCommit: children.map((c) => dec(c.sumCommit)),
          childSum: childSum.map(dec),
          childSumSalt: childSumSalt.map(dec),
          sumSalt: dec(salt),
        },
      });
    }
    aggregates.push(nodes);
    below = nodes;
  }
  const top = below[0] as AggregateNode;

  const userLeaves: UserLeaf[] = users.map((u, k) => {
    const chunk = Math.floor(k / N);
    const leaf = k % N;
    return {
      accountId: u.accountId,
      externalRef: u.externalRef,
      balance: u.liability,
      salt: salts[k]!,
      chunk,
      leaf,
      siblings: chunkPath(chunkLeaves[chunk]!, leaf),
    };
  });

  const { hi, lo } = splitAuditHead(statement.auditHead.hash);
  return {
    family,
    currency: statement.currency,
    decimals: statement.decimals,
    snapshotTime: statement.snapshotTime,
    currencyId: currencyIdOf(statement.currency),
    auditHead: { sequence: statement.auditHead.sequence, hash: statement.auditHead.hash, hi, lo },
    reserves: statement.reserves,
    total: top.sum,
    userCount: users.length,
    paddedUsers: chunkCount * N,
    padded: chunkCount > exactChunks,
    chunks,
    aggregates,
    levelCounts: [chunks.length, ...aggregates.map((l) => l.length)],
    top,
    users: userLeaves,
  };
}

/** The Solvency circuit input (protocol.md §6); `publishTotal` sets discloseTotal. */
export function solvencyInput(tree: SolvencyTree, publishTotal: boolean): CircuitInput {
  return {
    root: dec(tree.top.root),
    sumCommit: dec(tree.top.sumCommit),
    reserves: dec(tree.reserves),
    snapshotTime: String(tree.snapshotTime),
    currencyId: dec(tree.currencyId),
    auditHeadHi: dec(tree.auditHead.hi),
    auditHeadLo: dec(tree.auditHead.lo),
    discloseTotal: publishTotal ? '1' : '0',
    disclosedTotal: publishTotal ? dec(tree.total) : '0',
    total: dec(tree.total),
    sumSalt: dec(tree.top.sumSalt),
  };
}

/** The public signals a chunk or aggregation proof must output, in public.json order. */
export function expectedPublicSignals(node: TreeNode | AggregateNode): string[] {
  const out = [dec(node.root), dec(node.sumCommit)];
  if ('children' in node) {
    for (const c of node.children) out.push(dec(c.root));
    for (const c of node.children) out.push(dec(c.sumCommit));
  }
  return out;
}

/** The solvency proof's public signals, in public.json order. */
export function expectedSolvencySignals(tree: SolvencyTree, publishTotal: boolean): string[] {
  const input = solvencyInput(tree, publishTotal);
  return SOLVENCY_PUBLIC_INPUTS.map((k) => input[k] as string);
}
