// Poseidon and HMAC-SHA256 on worker threads: each worker hashes with circomlibjs' WebAssembly Poseidon
// (circomlib's constants, the same function as poseidon-lite; test/tree-build/hash-pool.test.ts
// cross-checks every arity) and MACs with node:crypto, a batch split into slices that the workers take in
// turn. Node only.
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
  /**
   * HMAC-SHA256 under `key` (node:crypto) of the UTF-8 of `prefix + id`, for every prefix and id:
   * result[p] holds the MACs of prefixes[p] + ids[k], 32 bytes each, in the order of `ids`. An id may not
   * contain a line feed (HashWorkerError).
   */
  macMany(key: Uint8Array, prefixes: readonly string[], ids: readonly string[]): Promise<Uint8Array[]>;
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
const { createHmac, createSecretKey } = require('node:crypto');
// Messages are taken at once (MACs need no WebAssembly); hashing waits for Poseidon to load.
const loading = import(workerData.poseidonUrl).then((m) => m.buildPoseidon());
loading.catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
const hashes = async (m) => {
  const poseidon = await loading;
  const F = poseidon.F;
  const out = new Uint8Array(m.lengths.length * 32);
  let o = 0;
  for (let i = 0; i < m.lengths.length; i++) {
    const n = m.lengths[i];
    const buf = new Uint8Array(n * 32);
    for (let j = 0; j < n; j++, o += 32) buf.set(F.fromRprLE(m.data, o), j * 32);
    F.toRprLE(out, i * 32, poseidon(buf));
  }
  return out;
};
// HMAC-SHA256 of prefix + id (UTF-8) for each prefix and id: 32 bytes each, prefix by prefix.
const macs = (m) => {
  const key = createSecretKey(m.key);
  const ids = m.count === 0 ? [] : m.joined.split('\\n');
  if (ids.length !== m.count) throw new Error('an id list arrived with ' + ids.length + ' ids, not ' + m.count);
  const out = new Uint8Array(m.prefixes.length * ids.length * 32);
  let o = 0;
  for (const prefix of m.prefixes) {
    for (const id of ids) {
      out.set(createHmac('sha256', key).update(prefix + id, 'utf8').digest(), o);
      o += 32;
    }
  }
  return out;
};
parentPort.on('message', async (m) => {
  try {
    const out = m.op === 'macs' ? macs(m) : await hashes(m);
    parentPort.postMessage({ seq: m.seq, out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e) });
  }
});
`;

/** One message to a worker: built when a worker takes it (so a packing error rejects only this slice). */
interface Slice {
  seq: number;
  message: () => { body: Record<string, unknown>; transfer: ArrayBuffer[] };
  resolve: (out: Uint8Array) => void;
  reject: (e: Error) => void;
}

interface WorkerMessage {
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
      let message;
      try {
        message = s.message();
      } catch (e) {
        s.reject(e as Error);
        continue;
      }
      const w = idle.pop()!;
      busy.set(w, s);
      w.postMessage({ seq: s.seq, ...message.body }, message.transfer);
    }
  };
  const onMessage = (w: Worker, m: WorkerMessage): void => {
    if (m.fatal !== undefined) return failAll(new HashWorkerError(`hash worker failed to start: ${m.fatal}`));
    const s = busy.get(w);
    if (!s) return;
    busy.delete(w);
    if (m.error !== undefined) s.reject(new HashWorkerError(`hash worker failed: ${m.error}`));
    else s.resolve(m.out!);
    idle.push(w);
    pump();
  };

  for (let i = 0; i < count; i++) {
    // Idle from the start: a worker queues what it is sent until its handler runs.
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
    workers.push(w);
    idle.push(w);
    w.on('message', (m: WorkerMessage) => onMessage(w, m));
    w.on('error', (e) => failAll(new HashWorkerError(`hash worker crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!closed && code !== 0) failAll(new HashWorkerError(`hash worker exited with code ${code}`));
    });
  }

  const send = (message: Slice['message']): Promise<Uint8Array> =>
    new Promise<Uint8Array>((resolve, reject) => {
      queue.push({ seq: seq++, message, resolve, reject });
      pump();
    });
  const hashSlice = async (inputs: readonly (readonly bigint[])[]): Promise<bigint[]> =>
    unpackElements(
      await send(() => {
        const packed = packBatch(inputs);
        return { body: { op: 'hash', ...packed }, transfer: [packed.data.buffer, packed.lengths.buffer] };
      }),
    );
  const ready = (): void => {
    if (fatal) throw fatal;
    if (closed) throw new HashWorkerError('hash pool is closed');
  };

  return {
    async hashMany(inputs) {
      ready();
      const size = sliceSize(inputs.length, count);
      const parts: Promise<bigint[]>[] = [];
      for (let i = 0; i < inputs.length; i += size) parts.push(hashSlice(inputs.slice(i, i + size)));
      return (await Promise.all(parts)).flat();
    },
    async macMany(key, prefixes, ids) {
      ready();
      // One slice per worker, all sent now: they are computed even while this thread is busy (no replies
      // need to be read to hand out more work).
      const size = Math.max(1, Math.ceil(ids.length / count));
      const parts: Promise<Uint8Array>[] = [];
      if (ids.some((id) => id.includes('\n'))) throw new HashWorkerError('an id to MAC contains a line feed');
      for (let i = 0; i < ids.length; i += size) {
        // One string per slice: cloning a million small strings into a worker costs seconds, one is a copy.
        const slice = ids.slice(i, i + size);
        const body = { op: 'macs', key, prefixes, joined: slice.join('\n'), count: slice.length };
        parts.push(send(() => ({ body, transfer: [] })));
      }
      const outs = await Promise.all(parts);
      return prefixes.map((_, p) => {
        const all = new Uint8Array(ids.length * 32);
        let o = 0;
        for (const out of outs) {
          const part = out.length / prefixes.length;
          all.set(out.subarray(p * part, (p + 1) * part), o);
          o += part;
        }
        return all;
      });
    },
    async close() {
      closed = true;
      failAll(new HashWorkerError('hash pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
