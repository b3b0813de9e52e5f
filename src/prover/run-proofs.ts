// Proves every planned job on the pool and accepts a proof only after checking it (accept-proof.ts): a
// refused proof is proved again, up to `maxAttempts` times, then the run fails.
import type { KeySet } from '../setup/keyset.js';
import type { ProofWithSignals } from '../bundle/format.js';
import { refuseProof } from './accept-proof.js';
import { ProofGenerationError } from './errors.js';
import type { ProofJob } from './plan.js';
import type { ProvePool } from './prove-pool.js';

export type ProvePhase = 'chunk' | 'aggregate' | 'solvency' | 'write';

export interface ProveProgress {
  done: number;
  total: number;
  phase: ProvePhase;
}

export interface RunProofsOptions {
  onProgress?: (p: ProveProgress) => void;
  /** Tries per proof before the run fails (default 3). */
  maxAttempts?: number;
  /** Called when a proof is refused and will be proved again (for logs and tests). */
  onRefused?: (id: string, attempt: number, reason: string) => void;
}

/** Proves one job until a proof is accepted; throws ProofGenerationError after `maxAttempts` refusals. */
async function proveAccepted(
  pool: ProvePool,
  keys: KeySet,
  job: ProofJob,
  options: RunProofsOptions,
): Promise<ProofWithSignals> {
  const c = keys.circuits[job.kind];
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  let reason = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const r = await pool.prove({
      id: job.id,
      kind: job.kind,
      keyHashes: c.hashes,
      attempt,
      wasmPath: c.wasmPath,
      zkeyPath: c.zkeyPath,
      input: job.input,
    });
    const expected = job.expected();
    reason = (await refuseProof(c.vkey, expected, r)) ?? '';
    if (!reason) return { proof: r.proof, publicSignals: expected };
    if (attempt < maxAttempts) options.onRefused?.(job.id, attempt, reason);
  }
  throw new ProofGenerationError(
    `proof ${job.id} was refused ${maxAttempts} times: ${reason} (circuit/protocol mismatch or a faulty prover)`,
  );
}

/**
 * Runs all `jobs` (each builds its circuit input when the pool takes it) and returns the accepted proofs by
 * id. Reports progress once before the first proof and after each one.
 */
export async function runProofs(
  pool: ProvePool,
  keys: KeySet,
  jobs: readonly ProofJob[],
  options: RunProofsOptions = {},
): Promise<Record<string, ProofWithSignals>> {
  const { onProgress } = options;
  const total = jobs.length;
  let done = 0;
  onProgress?.({ done, total, phase: 'chunk' });
  const proofs: Record<string, ProofWithSignals> = {};
  await Promise.all(
    jobs.map(async (job) => {
      proofs[job.id] = await proveAccepted(pool, keys, job, options);
      done++;
      onProgress?.({ done, total, phase: job.kind });
    }),
  );
  return proofs;
}
