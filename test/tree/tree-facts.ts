// Everything a solvency tree determines, as plain JSON-able data (bigints as decimal strings): its nodes,
// leaves, users with their inclusion paths, every circuit input and expected public signal, and the packets.
// Two trees are bit-identical for the prover when their facts are equal.
import { buildPackets } from '../../src/prover/packets.js';
import type { SolvencyStatement, SolvencyTree } from '../../src/tree/solvency-tree.js';
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

/** `n` users with pseudo-random ids and balances (some 0), in no particular order. */
export function syntheticStatement(n: number, seed = 1): SolvencyStatement {
  let x = BigInt(seed) * 0x9e3779b97f4a7c15n;
  const next = (): bigint => (x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n));
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime: 1_751_284_800_000 + seed,
    auditHead: { sequence: 3, hash: '5a'.repeat(32) },
    reserves: 10n ** 15n,
    users: Array.from({ length: n }, (_, i) => ({
      accountId: (next().toString(16) + i.toString(16)).padStart(64, '0').slice(-64),
      externalRef: `user-${i}`,
      liability: i % 5 === 0 ? 0n : next() % 10n ** 9n,
    })),
  };
}
