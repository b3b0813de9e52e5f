// Proof paths never read the wall clock: from a ledger to the statement, the tree, every circuit input and
// every expected public signal, with Date.now(), new Date(), performance.now() and Math.random() all
// throwing. The result equals an unguarded run (same state, T and secret give the same roots and signals).
import { afterEach, describe, expect, it } from 'vitest';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import {
  aggregateInput,
  chunkInput,
  expectedPublicSignals,
  expectedSolvencySignals,
  solvencyInput,
} from '../../src/zk/circuit-inputs.js';
import { rootFromPath } from '../../src/tree/chunk-tree.js';
import { leafHash, userCommitment } from '../../src/crypto/poseidon.js';
import { field31 } from '../../src/protocol/encoding.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { forbidClock, restoreClock } from '../support/clock-guard.js';
import { SECRET, T, makeLedger } from './fixtures.js';

afterEach(restoreClock);

async function everything(): Promise<string> {
  const fx = makeLedger(20);
  const statement = await statementFromLedger(fx.ledger, T, 'USD');
  const tree = buildSolvencyTree(statement, SECRET, B64_N8_K8, { padToUsers: 40 });
  const user = tree.users[3]!;
  const leaf = leafHash(userCommitment(field31(user.accountId), user.salt), user.balance);
  return JSON.stringify({
    head: statement.auditHead,
    chunks: tree.chunks.map((c) => [chunkInput(c), expectedPublicSignals(c)]),
    aggregates: tree.aggregates.map((level) =>
      level.map((a) => [aggregateInput(tree, a), expectedPublicSignals(a)]),
    ),
    solvency: [solvencyInput(tree, true), expectedSolvencySignals(tree, true)],
    userRoot: rootFromPath(leaf, user.leaf, user.siblings, B64_N8_K8.chunkUsers).toString(),
  });
}

describe('the proof path under a clock guard', () => {
  it('the guard really throws', () => {
    forbidClock();
    expect(() => Date.now()).toThrow(/wall clock/);
    expect(() => performance.now()).toThrow(/wall clock/);
    restoreClock();
  });

  it('statement, tree, inputs and expected signals need no clock, and equal an unguarded run', async () => {
    const free = await everything();
    forbidClock();
    const guarded = await everything();
    restoreClock();
    expect(guarded).toBe(free);
    expect(JSON.parse(guarded).chunks.length).toBe(5);
  });
});
