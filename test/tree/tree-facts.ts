// Everything a solvency tree determines, as plain JSON-able data (bigints as decimal strings): its nodes,
// leaves, users with their inclusion paths, every circuit input and expected public signal, and the packets.
// Two trees are bit-identical for the prover when their facts are equal.
import { buildPackets } from '../../src/prover/packets.js';
import type { SolvencyTree } from '../../src/tree/solvency-tree.js';
import {
  aggregateInput,
  chunkInput,
  expectedPublicSignals,
  expectedSolvencySignals,
  solvencyInput,
} from '../../src/zk/circuit-inputs.js';

const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));

export function treeFacts(tree: SolvencyTree): unknown {
  const { family, chunks, aggregates, users, top, ...scalars } = tree;
  return plain({
    family: family.id,
    scalars,
    top,
    chunks,
    aggregates,
    users: users.map((u) => ({
      accountId: u.accountId,
      externalRef: u.externalRef,
      balance: u.balance,
      salt: u.salt,
      chunk: u.chunk,
      leaf: u.leaf,
      siblings: u.siblings,
    })),
    chunkInputs: chunks.map((c) => [chunkInput(c), expectedPublicSignals(c)]),
    aggregateInputs: aggregates.flat().map((a) => [aggregateInput(tree, a), expectedPublicSignals(a)]),
    solvency: [true, false].map((t) => [solvencyInput(tree, t), expectedSolvencySignals(tree, t)]),
    packets: buildPackets(tree),
  });
}
