// Computes witnesses in process on worker threads: snarkjs `wtns.calculate` runs the circuit's wasm witness
// generator into memory and hands back the `.wtns` bytes (no process started per witness). Each worker
// thread computes one witness at a time.
import { Worker } from 'node:worker_threads';
import { snarkjsMainPath } from '../zk/snarkjs-package.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import { ProofGenerationError } from './errors.js';

// Worker body: plain CommonJS, so it runs the same under tsx, vitest and compiled dist/. snarkjs loads the
// 'web-worker' package, which, inside a worker thread, evaluates workerData.mod as the worker's script:
// give it an empty one.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const snarkjs = require(workerData.snarkjsPath);
parentPort.on('message', async (m) => {
  try {
    const out = { type: 'mem' };
    await snarkjs.wtns.calculate(m.input, m.wasmPath, out);
    const data = out.data;
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
  /** The `.wtns` bytes of `input` for the circuit whose witness generator is `wasmPath`. */
  calculate(input: CircuitInput, wasmPath: string, id: string): Promise<Uint8Array>;
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
      w.postMessage({ seq: t.seq, input: t.input, wasmPath: t.wasmPath });
    }
  };
  const workerData = { snarkjsPath: snarkjsMainPath(), mod: 'data:,void 0' };
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
    calculate(input, wasmPath, id) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ seq: seq++, input, wasmPath, id, resolve, reject });
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
