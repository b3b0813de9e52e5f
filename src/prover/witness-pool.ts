// Computes witnesses in process on worker threads: the circuit's wasm witness generator, run by circom_runtime
// (the witness calculator snarkjs' `wtns.calculate` uses, from snarkjs' own dependencies), hands back the
// `.wtns` bytes (no process started per witness). Each thread compiles a circuit's wasm once and reuses the
// calculator for later witnesses of that circuit: compiling the production chunk's 5.7 MB wasm took about
// 40% of a witness's CPU time (scripts/bench-rapidsnark.ts). The bytes equal snarkjs' `wtns.calculate`
// output (test/prover/witness-pool.test.ts). Each worker thread computes one witness at a time.
import { Worker } from 'node:worker_threads';
import { snarkjsDependency } from '../zk/snarkjs-package.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import { ProofGenerationError } from './errors.js';

// Worker body: plain CommonJS, so it runs the same under tsx, vitest and compiled dist/. Calculators are
// cached by wasm path and the wasm's hash from the key set (a changed file under the same path is a new key).
const WORKER_SOURCE = `
const { readFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { WitnessCalculatorBuilder } = require(workerData.circomRuntimePath);
const calculators = new Map();
parentPort.on('message', async (m) => {
  try {
    const key = m.wasmPath + '\\0' + m.wasmHash;
    let wc = calculators.get(key);
    if (!wc) {
      wc = await WitnessCalculatorBuilder(readFileSync(m.wasmPath));
      calculators.set(key, wc);
    }
    const data = await wc.calculateWTNSBin(m.input, true);
    parentPort.postMessage({ seq: m.seq, ok: true, data }, [data.buffer]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, ok: false, error: String((e && e.message) || e) });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Task {
  seq: number;
  input: CircuitInput;
  wasmPath: string;
  wasmHash: string;
  id: string;
  resolve: (w: Uint8Array) => void;
  reject: (e: Error) => void;
}

interface Reply {
  ready?: boolean;
  seq?: number;
  ok?: boolean;
  data?: Uint8Array;
  error?: string;
}

/** A fixed set of witness threads. */
export interface WitnessPool {
  /**
   * The `.wtns` bytes of `input` for the circuit whose witness generator is `wasmPath` (with SHA-256
   * `wasmHash`, which keys the thread's calculator cache); `id` names the proof in errors.
   */
  calculate(input: CircuitInput, wasm: { path: string; hash: string }, id: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Starts `threads` witness worker threads. */
export function createWitnessPool(threads: number): WitnessPool {
  const queue: Task[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Task>();
  const workers: Worker[] = [];
  let seq = 0;
  let failure: Error | null = null;
  let closed = false;

  const failAll = (e: Error): void => {
    failure ??= e;
    for (const t of queue.splice(0)) t.reject(e);
    for (const t of busy.values()) t.reject(e);
    busy.clear();
  };
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const t = queue.shift()!;
      const w = idle.pop()!;
      busy.set(w, t);
      w.postMessage({ seq: t.seq, input: t.input, wasmPath: t.wasmPath, wasmHash: t.wasmHash });
    }
  };
  // circom_runtime loads ffjavascript, whose 'web-worker' package, inside any worker thread, evaluates
  // workerData.mod as the worker's script: give it an empty one.
  const workerData = { circomRuntimePath: snarkjsDependency('circom_runtime').path, mod: 'data:,void 0' };
  for (let i = 0; i < Math.max(1, threads); i++) {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
    workers.push(w);
    w.on('message', (m: Reply) => {
      if (!m.ready) {
        const t = busy.get(w);
        if (!t) return;
        busy.delete(w);
        if (m.ok) t.resolve(m.data!);
        else t.reject(new ProofGenerationError(`witness of proof ${t.id} failed: ${m.error}`));
      }
      idle.push(w);
      pump();
    });
    w.on('error', (e) => failAll(new ProofGenerationError(`witness thread crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!closed) failAll(new ProofGenerationError(`witness thread exited with code ${code}`));
    });
  }
  return {
    calculate(input, wasm, id) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ seq: seq++, input, wasmPath: wasm.path, wasmHash: wasm.hash, id, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      failAll(new ProofGenerationError('witness pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
