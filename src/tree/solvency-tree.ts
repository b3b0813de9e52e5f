// The whole solvency tree of protocol.md §3-§6 from a plain statement: leaves, chunks, aggregation levels,
// every node's root / sum / sum salt / sum commitment and each user's leaf with its inclusion path. Plain
// bigint data: the circuit inputs and expected public signals are derived from it by src/zk/circuit-inputs.ts.
// Pure and deterministic (same statement + secret + family -> identical output); browser-safe. The build
// itself is src/tree/tree-steps.ts; src/tree-build/ (Node) runs the same steps on worker threads.
import { poseidon } from '../crypto/poseidon.js';
import type { CircuitFamily } from '../protocol/families.js';
import { runTreeSteps, solvencyTreeSteps } from './tree-steps.js';
import type { AggregateNode, SolvencyStatement, SolvencyTree, TreeNode, TreeOptions } from './types.js';

export type {
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
} from './types.js';

/**
 * Builds the full tree on this thread with `hash` (default: poseidon-lite; another implementation of
 * circomlib's Poseidon gives the identical tree). Throws InvalidStatementError / SaltError on bad input.
 */
export function buildSolvencyTree(
  statement: SolvencyStatement,
  secret: Uint8Array,
  family: CircuitFamily,
  options: TreeOptions = {},
  hash: (inputs: readonly bigint[]) => bigint = poseidon,
): SolvencyTree {
  return runTreeSteps(solvencyTreeSteps(statement, secret, family, options), hash);
}

/** The nodes below `node` in its K child slots (null for a padding child). */
export function childNodes(tree: SolvencyTree, node: AggregateNode): (TreeNode | null)[] {
  const below: readonly TreeNode[] = node.level === 1 ? tree.chunks : tree.aggregates[node.level - 2]!;
  const K = node.children.length;
  return node.children.map((_, i) => below[node.index * K + i] ?? null);
}
