// Plans the proofs of a tree: one job per chunk, one per aggregation node, then the solvency proof. A job
// carries no circuit input: it builds its input and expected public signals from the tree's nodes (via the
// witness stage, src/zk/circuit-inputs.ts) when it is proved.
import type { CircuitKind } from '../protocol/families.js';
import type { SolvencyTree } from '../tree/solvency-tree.js';
import {
  aggregateInput,
  chunkInput,
  expectedPublicSignals,
  expectedSolvencySignals,
  solvencyInput,
} from '../zk/circuit-inputs.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import { SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';

export interface ProofJob {
  /** The proof id (`L{level}-{index}` or `solvency`). */
  id: string;
  kind: CircuitKind;
  /** Builds this proof's circuit input from the tree. */
  input: () => CircuitInput;
  /** The public signals this proof must output, in public.json order. */
  expected: () => string[];
}

/** Every proof of `tree`, bottom up: chunks, aggregation levels, solvency. */
export function planProofs(tree: SolvencyTree, publishTotal: boolean): ProofJob[] {
  const jobs: ProofJob[] = tree.chunks.map((c) => ({
    id: proofId(0, c.index),
    kind: 'chunk',
    input: () => chunkInput(c),
    expected: () => expectedPublicSignals(c),
  }));
  for (const a of tree.aggregates.flat()) {
    jobs.push({
      id: proofId(a.level, a.index),
      kind: 'aggregate',
      input: () => aggregateInput(tree, a),
      expected: () => expectedPublicSignals(a),
    });
  }
  jobs.push({
    id: SOLVENCY_PROOF_ID,
    kind: 'solvency',
    input: () => solvencyInput(tree, publishTotal),
    expected: () => expectedSolvencySignals(tree, publishTotal),
  });
  return jobs;
}
