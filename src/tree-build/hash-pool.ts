// Poseidon on worker threads: each worker hashes with circomlibjs' WebAssembly Poseidon (circomlib's
// constants, the same function as poseidon-lite; test/tree-build/hash-pool.test.ts cross-checks every
// arity), a batch split into slices that the workers take in turn. Node only.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HashWorkerError } from './errors.js';
import { packBatch, unpackElements } from './field-bytes.js';

/** Hashes batches of independent Poseidon inputs on worker threads. */
export interface HashPool {
  /** The hashes of `inputs` (each 1..16 field elements), in order. */
  hashMany(inputs: readonly (readonly bigint[])[]): Promise<bigint[]>;
  close(): Promise<void>;
}

export interface HashPoolOptions {
  /** Worker threads (default: available cores). */
  workers?: number;
}

// Worker body: plain CommonJS, so it runs the same under tsx, vitest and compiled dist/. It imports only
// circomlibjs' Poseidon module (its package entry would load ethers and the rest of circomlibjs), which builds
// a single-threaded curve (no threads of its own). Inputs and outputs are 32-byte little-endian integers.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { buildPoseidon } = await import(workerData.poseidonUrl);
  const poseidon = await buildPoseidon();
  const F = poseidon.F;
  parentPort.on('message', (m) => {
    try {
      const out = new Uint8Array(m.lengths.length * 32);
      let o = 0;
      for (let i = 0; i < m.lengths.length; i++) {
        const n = m.lengths[i];
        const buf = new Uint8Array(n * 32);
        for (let j = 0; j < n; j++, o += 32) buf.set(F.fromRprLE(m.data, o), j * 32);
        F.toRprLE(out, i * 32, poseidon(buf));
      }
      parentPort.postMessage({ seq: m.seq, out }, [out.buffer]);
    } catch (e) {
      parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

interface Slice {
  seq: number;
  inputs: readonly (readonly bigint[])[];
  resolve: (hashes: bigint[]) => void;
  reject: (e: Error) => void;
}

interface WorkerMessage {
  ready?: boolean;
  fatal?: string;
  seq?: number;
  out?: Uint8Array;
  error?: string;
}

const require = createRequire(import.meta.url);

/** circomlibjs' WebAssembly Poseidon module: src/poseidon_wasm.js of the package (its entry is build/main.cjs). */
function poseidonModuleUrl(): string {
  const root = path.dirname(path.dirname(require.resolve('circomlibjs')));
  return pathToFileURL(path.join(root, 'src', 'poseidon_wasm.js')).href;
}

/** Slices of a batch: enough for every worker to take several, each at most 8192 hashes. */
function sliceSize(n: number, workers: number): number {
  return Math.min(8192, Math.max(64, Math.ceil(n / (workers * 4))));
}

/** Starts `workers` hashing threads. */
export function createHashPool(options: HashPoolOptions = {}): HashPool {
  const count = Math.max(1, options.workers ?? availableParallelism());
  // circomlibjs' ffjavascript loads the 'web-worker' package, which inside a worker thread evaluates
  // workerData.mod as a script: give it an empty one.
  const workerData = { poseidonUrl: poseidonModuleUrl(), mod: 'data:,void 0' };
  const queue: Slice[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Slice>();
  const workers: Worker[] = [];
  let seq = 0;
  let closed = false;
  let fatal: Error | null = null;

  const failAll = (err: Error): void => {
    fatal ??= err;
    for (const s of queue.splice(0)) s.reject(err);
    for (const [, s] of busy) s.reject(err);
    busy.clear();
  };
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const s = queue.shift()!;
      let packed;
      try {
        packed = packBatch(s.inputs);
      } catch (e) {
        s.reject(e as Error);
        continue;
      }
      const w = idle.pop()!;
      busy.set(w, s);
      w.postMessage({ seq: s.seq, ...packed }, [packed.data.buffer, packed.lengths.buffer]);
    }
  };
  const onMessage = (w: Worker, m: WorkerMessage): void => {
    if (m.fatal !== undefined) return failAll(new HashWorkerError(`hash worker failed to start: ${m.fatal}`));
    if (!m.ready) {
      const s = busy.get(w);
      if (!s) return;
      busy.delete(w);
      if (m.error !== undefined) s.reject(new HashWorkerError(`hash worker failed: ${m.error}`));
      else s.resolve(unpackElements(m.out!));
    }
    idle.push(w);
    pump();
  };

  for (let i = 0; i < count; i++) {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
    workers.push(w);
    w.on('message', (m: WorkerMessage) => onMessage(w, m));
    w.on('error', (e) => failAll(new HashWorkerError(`hash worker crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!closed && code !== 0) failAll(new HashWorkerError(`hash worker exited with code ${code}`));
    });
  }

  const hashSlice = (inputs: readonly (readonly bigint[])[]): Promise<bigint[]> =>
    new Promise<bigint[]>((resolve, reject) => {
      queue.push({ seq: seq++, inputs, resolve, reject });
      pump();
    });

  return {
    async hashMany(inputs) {
      if (fatal) throw fatal;
      if (closed) throw new HashWorkerError('hash pool is closed');
      const size = sliceSize(inputs.length, count);
      const parts: Promise<bigint[]>[] = [];
      for (let i = 0; i < inputs.length; i += size) parts.push(hashSlice(inputs.slice(i, i + size)));
      return (await Promise.all(parts)).flat();
    },
    async close() {
      closed = true;
      failAll(new HashWorkerError('hash pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
