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
  /**
   * Proofs already accepted (a resumed run, work-dir.ts): their jobs are not proved again and they are
   * returned as they are. The caller has checked them as runProofs checks a fresh proof.
   */
  done?: Readonly<Record<string, ProofWithSignals>>;
  /**
   * Called with every newly accepted proof, and awaited before it counts as done (the resumable run saves
   * it to its work directory here). A throw fails the run.
   */
  onAccepted?: (id: string, proof: ProofWithSignals) => Promise<void> | void;
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
 * Runs all `jobs` not in `options.done` (each builds its circuit input when the pool takes it) and returns
 * the accepted proofs by id. Reports progress once before the first proof and after each one.
 */
export async function runProofs(
  pool: ProvePool,
  keys: KeySet,
  jobs: readonly ProofJob[],
  options: RunProofsOptions = {},
): Promise<Record<string, ProofWithSignals>> {
  const { onProgress, onAccepted } = options;
  const finished = options.done ?? {};
  const total = jobs.length;
  const proofs: Record<string, ProofWithSignals> = {};
  for (const job of jobs) {
    const p = finished[job.id];
    if (p) proofs[job.id] = p;
  }
  let done = Object.keys(proofs).length;
  onProgress?.({ done, total, phase: 'chunk' });
  await Promise.all(
    jobs
      .filter((job) => !proofs[job.id])
      .map(async (job) => {
        const p = await proveAccepted(pool, keys, job, options);
        if (onAccepted) await onAccepted(job.id, p);
        proofs[job.id] = p;
        done++;
        onProgress?.({ done, total, phase: job.kind });
      }),
  );
  return proofs;
}
