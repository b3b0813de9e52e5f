// Proves every planned job on the pool, checking each proof's public signals against the tree's.
import type { KeySet } from '../setup/keyset.js';
import type { ProofWithSignals } from '../bundle/format.js';
import { ProofGenerationError } from './errors.js';
import type { ProofJob } from './plan.js';
import type { ProvePool } from './prove-pool.js';

export type ProvePhase = 'chunk' | 'aggregate' | 'solvency' | 'write';

export interface ProveProgress {
  done: number;
  total: number;
  phase: ProvePhase;
}

/**
 * Runs all `jobs` (each builds its circuit input when the pool takes it) and returns the proofs by id.
 * Reports progress once before the first proof and after each one. Throws ProofGenerationError when a
 * proof fails or its public signals differ from the tree's.
 */
export async function runProofs(
  pool: ProvePool,
  keys: KeySet,
  jobs: readonly ProofJob[],
  onProgress?: (p: ProveProgress) => void,
): Promise<Record<string, ProofWithSignals>> {
  const total = jobs.length;
  let done = 0;
  onProgress?.({ done, total, phase: 'chunk' });
  const proofs: Record<string, ProofWithSignals> = {};
  await Promise.all(
    jobs.map(async (job) => {
      const c = keys.circuits[job.kind];
      const r = await pool.prove({
        id: job.id,
        wasmPath: c.wasmPath,
        zkeyPath: c.zkeyPath,
        input: job.input,
      });
      const got = r.publicSignals.map(String);
      const expected = job.expected();
      if (got.length !== expected.length || got.some((v, i) => v !== expected[i])) {
        throw new ProofGenerationError(
          `proof ${job.id}: the circuit's public signals differ from the tree's (circuit/protocol mismatch)`,
        );
      }
      proofs[job.id] = { proof: r.proof, publicSignals: got };
      done++;
      onProgress?.({ done, total, phase: job.kind });
    }),
  );
  return proofs;
}
