// Runs Groth16 proofs (witness + prove) either on worker threads, each with a single-threaded snarkjs
// curve (no oversubscription: one thread per worker), or on the main thread with snarkjs' own threads.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { snarkjs } from '../zk/snarkjs.js';
import type { Groth16Proof, PublicSignals } from '../zk/snarkjs.js';
import { snarkjsDependency, snarkjsMainPath } from '../zk/snarkjs-package.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import type { CircuitKind } from '../protocol/families.js';
import type { ArtifactHashes } from '../setup/keyset.js';
import { ProofGenerationError } from './errors.js';
import { createRapidsnarkPool } from './rapidsnark-pool.js';

export interface ProveJob {
  /** Proof id (`L{level}-{index}` or `solvency`): names the job in errors and in queue job ids. */
  id: string;
  /** Which circuit of the key set proves it. */
  kind: CircuitKind;
  /**
   * The SHA-256 hashes of the key set's files for this circuit: a backend that proves with keys of its own
   * (a queue worker, a native prover) must refuse a job whose hashes differ from its keys'.
   */
  keyHashes: ArtifactHashes;
  /** 1 for the first try; runProofs retries a refused proof with attempt + 1 (a queue gives it a new job id). */
  attempt: number;
  wasmPath: string;
  zkeyPath: string;
  /** The circuit input, or a function that builds it when the job is taken up (not before). */
  input: CircuitInput | (() => CircuitInput);
}

function inputOf(job: ProveJob): CircuitInput {
  return typeof job.input === 'function' ? job.input() : job.input;
}

export interface ProveResult {
  proof: Groth16Proof;
  publicSignals: PublicSignals;
}

/**
 * A proving backend. Its results are not trusted: runProofs checks every proof (Groth16 verify and the
 * expected public signals) before accepting it, so a faulty worker or binary cannot put a bad proof in a
 * bundle.
 */
export interface ProvePool {
  prove(job: ProveJob): Promise<ProveResult>;
  close(): Promise<void>;
}

export type ProveMode = 'workers' | 'snarkjs-threads';

/** Which prover computes the proofs: snarkjs (WebAssembly, in process) or the native rapidsnark binary. */
export type ProveBackend = 'snarkjs' | 'rapidsnark';

export interface ProvePoolOptions {
  mode?: ProveMode;
  /** Worker count for mode `workers` (default: available cores). */
  workers?: number;
  /** Default 'snarkjs'. 'rapidsnark' needs `rapidsnarkPath` (the CLI finds it: src/cli/prover-options.ts). */
  backend?: ProveBackend;
  /** The rapidsnark binary, for backend 'rapidsnark'. */
  rapidsnarkPath?: string;
  /** rapidsnark processes at once and witness threads (default: the measured rapidsnark-pool.ts defaults). */
  rapidsnarkProcesses?: number;
  witnessThreads?: number;
}

// Worker body: plain CommonJS, so it runs the same under tsx, vitest and compiled dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const snarkjs = require(workerData.snarkjsPath);
const ff = require(workerData.ffjavascriptPath);
(async () => {
  // snarkjs looks the curve up on globalThis.curve_bn128: install a single-threaded one so that this worker
  // uses exactly one thread and builds the curve only once.
  globalThis.curve_bn128 = await ff.buildBn128(true);
  parentPort.on('message', async (job) => {
    try {
      const { proof, publicSignals } = await snarkjs.groth16.fullProve(job.input, job.wasmPath, job.zkeyPath);
      parentPort.postMessage({ seq: job.seq, ok: true, proof, publicSignals });
    } catch (e) {
      parentPort.postMessage({ seq: job.seq, ok: false, error: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

interface Pending {
  job: ProveJob;
  seq: number;
  resolve: (r: ProveResult) => void;
  reject: (e: Error) => void;
}

interface WorkerMessage {
  ready?: boolean;
  fatal?: string;
  seq?: number;
  ok?: boolean;
  proof?: Groth16Proof;
  publicSignals?: PublicSignals;
  error?: string;
}

function workerPaths(): { snarkjsPath: string; ffjavascriptPath: string; mod: string } {
  const snarkjsPath = snarkjsMainPath();
  const ffjavascriptPath = snarkjsDependency('ffjavascript').path;
  // snarkjs loads the 'web-worker' package, which, inside any worker thread, evaluates workerData.mod as
  // the worker's script: give it an empty one.
  return { snarkjsPath, ffjavascriptPath, mod: 'data:,void 0' };
}

function workerPool(count: number): ProvePool {
  const paths = workerPaths();
  const queue: Pending[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  let seq = 0;
  let closed = false;
  let fatal: Error | null = null;
  const workers: Worker[] = [];

  const failAll = (err: Error): void => {
    fatal = err;
    for (const p of queue.splice(0)) p.reject(err);
    for (const [, p] of busy) p.reject(err);
    busy.clear();
  };

  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const p = queue.shift()!;
      let input: CircuitInput;
      try {
        input = inputOf(p.job);
      } catch (e) {
        p.reject(e as Error);
        continue;
      }
      const w = idle.pop()!;
      busy.set(w, p);
      w.postMessage({ seq: p.seq, input, wasmPath: p.job.wasmPath, zkeyPath: p.job.zkeyPath });
    }
  };

  for (let i = 0; i < count; i++) {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: paths });
    workers.push(w);
    w.on('message', (m: WorkerMessage) => {
      if (m.ready) {
        idle.push(w);
        pump();
        return;
      }
      if (m.fatal !== undefined) {
        failAll(new ProofGenerationError(`prover worker failed to start: ${m.fatal}`));
        return;
      }
      const p = busy.get(w);
      if (!p) return;
      busy.delete(w);
      idle.push(w);
      if (m.ok) p.resolve({ proof: m.proof!, publicSignals: m.publicSignals! });
      else p.reject(new ProofGenerationError(`proof ${p.job.id} failed: ${m.error}`));
      pump();
    });
    w.on('error', (e) => failAll(new ProofGenerationError(`prover worker crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!closed && code !== 0) failAll(new ProofGenerationError(`prover worker exited with code ${code}`));
    });
  }

  return {
    prove(job) {
      if (fatal) return Promise.reject(fatal);
      if (closed) return Promise.reject(new ProofGenerationError('prove pool is closed'));
      return new Promise<ProveResult>((resolve, reject) => {
        queue.push({ job, seq: seq++, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      failAll(new ProofGenerationError('prove pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function mainThreadPool(): ProvePool {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    prove(job) {
      // snarkjs already spreads one proof over all cores: run proofs one after the other.
      const run = chain.then(async () => {
        const input = inputOf(job);
        try {
          const r = (await snarkjs.groth16.fullProve(input, job.wasmPath, job.zkeyPath)) as ProveResult;
          return r;
        } catch (e) {
          throw new ProofGenerationError(`proof ${job.id} failed: ${(e as Error).message}`);
        }
      });
      chain = run.catch(() => undefined);
      return run;
    },
    async close() {
      await chain;
    },
  };
}

/**
 * Default: snarkjs in `workers` mode with one single-threaded worker per core (measured faster, see
 * bench-prover); backend 'rapidsnark' proves with the native binary (rapidsnark-pool.ts).
 */
export function createProvePool(options: ProvePoolOptions = {}): ProvePool {
  if (options.backend === 'rapidsnark') {
    if (!options.rapidsnarkPath)
      throw new ProofGenerationError("prove backend 'rapidsnark' needs the path of the rapidsnark binary");
    return createRapidsnarkPool({
      binary: options.rapidsnarkPath,
      ...(options.rapidsnarkProcesses ? { processes: options.rapidsnarkProcesses } : {}),
      ...(options.witnessThreads ? { witnessThreads: options.witnessThreads } : {}),
    });
  }
  const mode = options.mode ?? 'workers';
  if (mode === 'snarkjs-threads') return mainThreadPool();
  const count = Math.max(1, options.workers ?? availableParallelism());
  return workerPool(count);
}
