// A ProvePool that proves with the native rapidsnark binary. Each job goes through two stages: its witness,
// computed in process on a witness thread (witness-pool.ts), written as a `.wtns` file (0600) into a
// private temporary folder (0700); then one rapidsnark process proves it (rapidsnark-run.ts). The stages
// overlap across jobs: while rapidsnark proves one job, the witness threads compute the next ones (at most
// `witnessThreads` witnesses wait for a prover). Every job's files are removed as soon as it is done,
// whether it succeeded or not, and the folder when the pool is closed. Results are not trusted: runProofs
// verifies each one.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import { ProofGenerationError } from './errors.js';
import { createPrivateTempDir, writePrivateFile } from './private-temp.js';
import type { PrivateTempDir } from './private-temp.js';
import type { ProveJob, ProvePool, ProveResult } from './prove-pool.js';
import { checkRapidsnarkBinary } from './rapidsnark-binary.js';
import { runRapidsnark } from './rapidsnark-run.js';
import { Semaphore } from './semaphore.js';
import { createWitnessPool } from './witness-pool.js';

/**
 * Measured on 2 cores (scripts/bench-rapidsnark.ts, docs/operating.md "Measured figures"): two rapidsnark
 * processes (one alone leaves cores idle in its serial parts) and one witness thread computing the next
 * witnesses beside them were the fastest of 1-2 processes x 1-2 threads, in wall time and CPU per proof.
 */
export const DEFAULT_RAPIDSNARK_PROCESSES = 2;
export const DEFAULT_WITNESS_THREADS = 1;

export interface RapidsnarkPoolOptions {
  /** The rapidsnark binary (checked when the pool starts: checkRapidsnarkBinary). */
  binary: string;
  /** rapidsnark processes at once (default DEFAULT_RAPIDSNARK_PROCESSES). */
  processes?: number;
  /** Witness threads (default DEFAULT_WITNESS_THREADS). */
  witnessThreads?: number;
  /** Where the private temporary folder is made (default: the system's temporary folder). */
  tempParent?: string;
}

function inputOf(job: ProveJob): CircuitInput {
  return typeof job.input === 'function' ? job.input() : job.input;
}

/** Starts a rapidsnark pool; the binary check and the temporary folder are ready before the first job runs. */
export function createRapidsnarkPool(options: RapidsnarkPoolOptions): ProvePool {
  const { binary } = options;
  const processes = Math.max(1, options.processes ?? DEFAULT_RAPIDSNARK_PROCESSES);
  const threads = Math.max(1, options.witnessThreads ?? DEFAULT_WITNESS_THREADS);
  const witnesses = createWitnessPool(threads);
  const inFlight = new Semaphore(processes + threads);
  const provers = new Semaphore(processes);
  const abort = new AbortController();
  const running = new Set<Promise<unknown>>();
  let closed = false;
  const ready: Promise<PrivateTempDir> = checkRapidsnarkBinary(binary).then(() =>
    createPrivateTempDir('zkreserve-witness-', options.tempParent),
  );
  ready.catch(() => undefined); // reported by every prove()

  const proveOne = async (job: ProveJob): Promise<ProveResult> => {
    const dir = await ready;
    await inFlight.acquire();
    try {
      if (closed) throw new ProofGenerationError('prove pool is closed');
      const wasm = { path: job.wasmPath, hash: job.keyHashes.wasm };
      const wtns = await witnesses.calculate(inputOf(job), wasm, job.id);
      const jobDir = await mkdtemp(path.join(dir.path, 'job-'));
      try {
        const files = {
          zkey: job.zkeyPath,
          wtns: path.join(jobDir, 'witness.wtns'),
          proof: path.join(jobDir, 'proof.json'),
          public: path.join(jobDir, 'public.json'),
        };
        await writePrivateFile(files.wtns, wtns);
        wtns.fill(0); // the witness holds balances: keep no copy in memory longer than needed
        await writePrivateFile(files.proof, '');
        await writePrivateFile(files.public, '');
        return await provers.use(() => runRapidsnark(binary, job.id, files, abort.signal));
      } finally {
        await rm(jobDir, { recursive: true, force: true });
      }
    } finally {
      inFlight.release();
    }
  };

  return {
    prove(job) {
      if (closed) return Promise.reject(new ProofGenerationError('prove pool is closed'));
      const p = proveOne(job);
      running.add(p);
      void p.finally(() => running.delete(p)).catch(() => undefined);
      return p;
    },
    async close() {
      closed = true;
      abort.abort();
      await witnesses.close();
      await Promise.allSettled([...running]);
      await ready.then((d) => d.remove()).catch(() => undefined);
    },
  };
}
