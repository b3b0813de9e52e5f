// The solvency tree of protocol.md §3-§6 as a sequence of hash batches: the builder yields every Poseidon
// input it needs, one batch per stage (user commitments, leaves, each chunk level, chunk sum commitments,
// each aggregation level), and resumes with their hashes. Each batch's hashes are independent, so a driver
// may compute them in any order or in parallel (src/tree-build/); `runTreeSteps` computes them in turn.
// Every chunk's levels are computed once and every inclusion path is read from them. Pure; browser-safe.
import { PAD_CHILD } from '../crypto/poseidon.js';
import { accountField, currencyId, splitAuditHead } from '../protocol/encoding.js';
import type { CircuitFamily } from '../protocol/families.js';
import { assertSecret, padCommit, sumSalt } from '../protocol/salts.js';
import type { SaltContext } from '../protocol/salts.js';
import { chunkArities, pathFromLevels } from './chunk-tree.js';
import { InvalidStatementError } from './errors.js';
import { leafOrder } from './leaf-order.js';
import { userDerivations } from './user-derivations.js';
import type {
  AggregateNode,
  ChunkNode,
  Leaf,
  SolvencyStatement,
  SolvencyTree,
  TreeNode,
  TreeOptions,
  UserDerivations,
  UserLeaf,
} from './types.js';
import { chunkCounts, validateStatement } from './validate.js';

/** One batch of Poseidon inputs (each 1..16 field elements); the answer is their hashes, in order. */
export type HashBatch = (readonly bigint[])[];

/** The builder: yields hash batches, resumes with their hashes, returns the tree. */
export type TreeSteps = Generator<HashBatch, SolvencyTree, bigint[]>;

/** A user's leaf in the tree; its path is read from the chunk's levels when asked for. */
class TreeUserLeaf implements UserLeaf {
  readonly #levels: readonly (readonly bigint[])[];
  constructor(
    readonly accountId: string,
    readonly externalRef: string,
    readonly balance: bigint,
    readonly salt: bigint,
    readonly chunk: number,
    readonly leaf: number,
    levels: readonly (readonly bigint[])[],
  ) {
    this.#levels = levels;
  }

  get siblings(): bigint[][] {
    return pathFromLevels(this.#levels, this.leaf);
  }
}

/** Every chunk's levels, bottom up (levels[c][0]: chunk c's leaf hashes, the last: [root]). */
function* chunkLevelSteps(
  leafHashes: readonly bigint[],
  chunkCount: number,
  n: number,
): Generator<HashBatch, bigint[][][], bigint[]> {
  const levels = Array.from({ length: chunkCount }, (_, c) => [leafHashes.slice(c * n, (c + 1) * n)]);
  for (const arity of chunkArities(n)) {
    const batch: HashBatch = [];
    for (const chunk of levels) {
      const below = chunk[chunk.length - 1]!;
      for (let j = 0; j < below.length; j += arity) batch.push(below.slice(j, j + arity));
    }
    const hashes = yield batch;
    const width = levels[0]![levels[0]!.length - 1]!.length / arity;
    levels.forEach((chunk, c) => chunk.push(hashes.slice(c * width, (c + 1) * width)));
  }
  return levels;
}

/** Level 0 nodes: each chunk's leaves, root, sum and sum commitment. */
function* chunkNodeSteps(
  ctx: SaltContext,
  leaves: readonly Leaf[],
  levels: readonly (readonly bigint[])[][],
  n: number,
): Generator<HashBatch, ChunkNode[], bigint[]> {
  const parts = levels.map((_, c) => {
    const own = leaves.slice(c * n, (c + 1) * n);
    return { own, sum: own.reduce((a, l) => a + l.balance, 0n), salt: sumSalt(ctx, 0, c) };
  });
  const commits = yield parts.map((p) => [p.sum, p.salt]);
  return parts.map((p, c) => ({
    level: 0,
    index: c,
    root: levels[c]![levels[c]!.length - 1]![0]!,
    sum: p.sum,
    sumSalt: p.salt,
    sumCommit: commits[c]!,
    leaves: p.own,
  }));
}

/** Aggregation levels until one node remains (always at least one level); padding children: PAD_CHILD. */
function* aggregateSteps(
  ctx: SaltContext,
  family: CircuitFamily,
  chunks: readonly ChunkNode[],
): Generator<HashBatch, AggregateNode[][], bigint[]> {
  const K = family.aggChildren;
  const aggregates: AggregateNode[][] = [];
  let below: readonly TreeNode[] = chunks;
  for (let level = 1; level === 1 || below.length > 1; level++) {
    const parts = Array.from({ length: Math.ceil(below.length / K) }, (_, j) => {
      const group = below.slice(j * K, (j + 1) * K);
      const children = Array.from({ length: K }, (_, i) => {
        const child = group[i];
        return child
          ? { root: child.root, sumCommit: child.sumCommit }
          : { root: PAD_CHILD.root, sumCommit: PAD_CHILD.sumCommit };
      });
      const sum = group.reduce((a, c) => a + c.sum, 0n);
      if (sum >= 1n << BigInt(family.sumBits)) {
        throw new InvalidStatementError(`a partial sum exceeds 2^${family.sumBits}`);
      }
      return { children, sum, salt: sumSalt(ctx, level, j) };
    });
    const hashes = yield [
      ...parts.map((p) => p.children.map((c) => c.root)),
      ...parts.map((p) => [p.sum, p.salt]),
    ];
    const nodes = parts.map((p, j) => ({
      level,
      index: j,
      root: hashes[j]!,
      sum: p.sum,
      sumSalt: p.salt,
      sumCommit: hashes[parts.length + j]!,
      children: p.children,
    }));
    aggregates.push(nodes);
    below = nodes;
  }
  return aggregates;
}

/** A statement validated for the tree builder (treeInput), with its salt context and chunk counts. */
export interface TreeInput {
  statement: SolvencyStatement;
  family: CircuitFamily;
  ctx: SaltContext;
  counts: ReturnType<typeof chunkCounts>;
}

/** Validates the secret and the statement: throws InvalidStatementError / SaltError on bad input. */
export function treeInput(
  statement: SolvencyStatement,
  secret: Uint8Array,
  family: CircuitFamily,
  options: TreeOptions = {},
): TreeInput {
  assertSecret(secret);
  validateStatement(statement, family);
  const ctx: SaltContext = {
    secret,
    currency: statement.currency,
    snapshotTime: statement.snapshotTime,
    ...(options.hmac ? { hmac: options.hmac } : {}),
  };
  return {
    statement,
    family,
    ctx,
    counts: chunkCounts(statement.users.length, family.chunkUsers, options.padToUsers),
  };
}

/**
 * The tree builder (see the file comment). Validates first: throws InvalidStatementError / SaltError on
 * bad input before yielding anything.
 */
export function* solvencyTreeSteps(
  statement: SolvencyStatement,
  secret: Uint8Array,
  family: CircuitFamily,
  options: TreeOptions = {},
): TreeSteps {
  return yield* treeSteps(treeInput(statement, secret, family, options));
}

/**
 * The builder of a validated input. `derivations`: every user's salt and sort key computed elsewhere
 * (src/tree-build computes them on its workers), checked by user-derivations.ts (count, form, a sample
 * recomputed) before use; without it they are derived here.
 */
export function* treeSteps(input: TreeInput, derivations?: UserDerivations): TreeSteps {
  const { statement, family, ctx, counts } = input;
  const N = family.chunkUsers;
  const users = statement.users;
  const ids = users.map((u) => u.accountId);
  const derived = userDerivations(ctx, ids, derivations);
  const order = leafOrder(ctx, ids, counts.total * N, derived.orderKeys);
  const salts = derived.salts;

  // Level 0: N slots per chunk, users and padding leaves in the keyed leaf order (protocol.md §3).
  const userCommits = yield users.map((u, k) => [accountField(u.accountId), salts[k]!]);
  const slotCommit = new Array<bigint>(counts.total * N);
  const slotBalance = new Array<bigint>(counts.total * N);
  users.forEach((u, k) => {
    slotCommit[order.userSlot[k]!] = userCommits[k]!;
    slotBalance[order.userSlot[k]!] = u.liability;
  });
  order.isPadding.forEach((pad, slot) => {
    if (!pad) return;
    slotCommit[slot] = padCommit(ctx, Math.floor(slot / N), slot % N);
    slotBalance[slot] = 0n;
  });
  const leafHashes = yield slotCommit.map((c, s) => [c, slotBalance[s]!]);
  const leaves = leafHashes.map((hash, s) => ({
    userCommit: slotCommit[s]!,
    balance: slotBalance[s]!,
    hash,
  }));
  const levels = yield* chunkLevelSteps(leafHashes, counts.total, N);
  const chunks = yield* chunkNodeSteps(ctx, leaves, levels, N);
  const aggregates = yield* aggregateSteps(ctx, family, chunks);
  const top = aggregates[aggregates.length - 1]![0]!;

  const userLeaves: UserLeaf[] = users
    .map((u, k) => {
      const slot = order.userSlot[k]!;
      const chunk = Math.floor(slot / N);
      return new TreeUserLeaf(
        u.accountId,
        u.externalRef,
        u.liability,
        salts[k]!,
        chunk,
        slot % N,
        levels[chunk]!,
      );
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

/** Drives `steps` to the end, hashing each batch in turn with `hash`. */
export function runTreeSteps(steps: TreeSteps, hash: (inputs: readonly bigint[]) => bigint): SolvencyTree {
  let next = steps.next();
  while (!next.done) next = steps.next(next.value.map(hash));
  return next.value;
}
