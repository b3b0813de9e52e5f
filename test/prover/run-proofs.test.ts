// Attack: a faulty or malicious prover backend (a queue worker, a native binary) returns a proof that does
// not verify, or a valid proof of other public signals. runProofs must refuse it, prove the job again, and
// fail with the reason once the tries are used up: no refused proof ever reaches a bundle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import type { SolvencyTree } from '../../src/tree/solvency-tree.js';
import { planProofs } from '../../src/prover/plan.js';
import { createProvePool } from '../../src/prover/prove-pool.js';
import type { ProveJob, ProvePool, ProveResult } from '../../src/prover/prove-pool.js';
import { runProofs } from '../../src/prover/run-proofs.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import type { KeySet } from '../../src/setup/keyset.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { ProofGenerationError } from '../../src/prover/errors.js';
import { SECRET, T, devKeys, makeLedger } from './fixtures.js';

let keys: KeySet;
let tree: SolvencyTree;
let real: ProvePool;

beforeAll(async () => {
  keys = await devKeys();
  const statement = await statementFromLedger(makeLedger(5).ledger, T, 'USD');
  tree = buildSolvencyTree(statement, SECRET, keys.family);
  real = createProvePool({ workers: 1 });
});

afterAll(async () => {
  await real.close();
  await terminateCurves();
});

/** A backend that tampers with the answers `tamper` picks, and records every job it was given. */
function faulty(tamper: (job: ProveJob, r: ProveResult) => ProveResult | null): {
  pool: ProvePool;
  seen: ProveJob[];
} {
  const seen: ProveJob[] = [];
  return {
    seen,
    pool: {
      async prove(job) {
        seen.push(job);
        const r = await real.prove(job);
        return tamper(job, r) ?? r;
      },
      close: async () => undefined,
    },
  };
}

describe('runProofs accepts only proofs that verify with the expected public signals', () => {
  it('refuses a corrupted proof once, proves that job again, and the run succeeds', async () => {
    const refused: string[] = [];
    const { pool, seen } = faulty((job, r) =>
      job.kind === 'chunk' && job.attempt === 1
        ? { ...r, proof: { ...r.proof, pi_a: [r.proof.pi_c[0], r.proof.pi_c[1], '1'] } }
        : null,
    );
    const jobs = planProofs(tree, false);
    const proofs = await runProofs(pool, keys, jobs, {
      onRefused: (id, attempt, reason) => refused.push(`${id}#${attempt}: ${reason}`),
    });
    expect(Object.keys(proofs).sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(refused).toEqual(['L0-000000#1: it does not verify under the verification key']);
    expect(seen.filter((j) => j.id === 'L0-000000').map((j) => j.attempt)).toEqual([1, 2]);
    expect(seen[0]!.keyHashes).toEqual(keys.circuits.chunk.hashes);
  });

  it('refuses a valid proof of other public signals, and fails after the last try with the reason', async () => {
    const jobs = planProofs(tree, false);
    const other = await real.prove({
      id: 'other',
      kind: 'solvency',
      keyHashes: keys.circuits.solvency.hashes,
      attempt: 1,
      wasmPath: keys.circuits.solvency.wasmPath,
      zkeyPath: keys.circuits.solvency.zkeyPath,
      input: planProofs(tree, true).at(-1)!.input,
    });
    const { pool } = faulty((job) => (job.kind === 'solvency' ? other : null));
    const run = runProofs(pool, keys, jobs, { maxAttempts: 2 });
    await expect(run).rejects.toBeInstanceOf(ProofGenerationError);
    await expect(run).rejects.toThrow(/proof solvency was refused 2 times: its public signals differ/);
  });
});
