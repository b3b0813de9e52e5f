// Packets written on writer threads. Creating a million small files costs more CPU than building their
// JSON, so the files are written by worker threads with synchronous writes (about half the CPU per file of
// the promise API, measured on ext4 and tmpfs), while this thread builds the next batches' text. Two
// writers by default: on this 2-core machine's ext4 two halve the packet time of one (10^6 packets: 65 s
// against 138 s), while four were slower than one (every file is created in the same directory, and
// creating files in one directory serializes on its lock). Node only.
import { Worker } from 'node:worker_threads';
import { prettyJson } from '../bundle/format.js';
import type { InclusionPacket } from '../bundle/format.js';
import { PacketWriteError } from './errors.js';
import { packetFileName, writePacketsToStaging } from './write.js';

// Worker body: plain CommonJS (it runs the same under tsx, vitest and compiled dist/). Each message is a
// batch of [file name, text] pairs for one directory; each file is created (mode 0600, flag 'wx': never
// replacing a file) and written whole. The first failure ends the batch and is reported with its file name.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
parentPort.on('message', (m) => {
  let i = 0;
  try {
    for (; i < m.names.length; i++) {
      fs.writeFileSync(path.join(m.dir, m.names[i]), m.texts[i], { mode: 0o600, flag: 'wx' });
    }
    parentPort.postMessage({ seq: m.seq });
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, file: m.names[i], error: String((e && e.message) || e), code: e && e.code });
  }
});
`;

interface Reply {
  seq: number;
  file?: string;
  error?: string;
  code?: string;
}

/** Below this many packets, write on the calling thread (`workers: 0`): starting writer threads costs more. */
export const MIN_THREADED_PACKETS = 1024;

/** Options of writePackets. */
export interface WritePacketsOptions {
  /** Writer threads (default 2, see above); 0 writes on this thread (for small runs: a thread costs more). */
  workers?: number;
}

/**
 * Writes every packet of `batches` into the staging directory `dir` as writePacketsToStaging does (created
 * 0700 if needed; each file `<accountId>.json`, mode 0600, never replacing an existing file), on writer
 * threads. Holds at most four batches per writer in flight. Rejects with PacketWriteError naming the file
 * on the first failure; files already written stay (the caller discards the staging directory).
 */
export async function writePackets(
  dir: string,
  batches: Iterable<readonly InclusionPacket[]>,
  options: WritePacketsOptions = {},
): Promise<void> {
  await writePacketsToStaging(dir, []); // creates the directory (0700)
  const count = options.workers ?? 2;
  if (count < 1) {
    for (const batch of batches) await writePacketsToStaging(dir, batch);
    return;
  }
  const workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true }));
  try {
    await feed(dir, batches[Symbol.iterator](), workers);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Sends the batches to the writers in turn, each writer at most four batches ahead. */
async function feed(
  dir: string,
  batches: Iterator<readonly InclusionPacket[]>,
  workers: Worker[],
): Promise<void> {
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  const fail = (e: Error): void => {
    failure ??= e;
    for (const [, p] of pending) p.reject(failure);
    pending.clear();
  };
  for (const w of workers) {
    w.on('message', (r: Reply) => {
      const p = pending.get(r.seq);
      pending.delete(r.seq);
      if (r.error === undefined) p?.resolve();
      else {
        const e = new PacketWriteError(`cannot write packet ${r.file}: ${r.error}`, r.code);
        p?.reject(e);
        fail(e);
      }
    });
    w.on('error', (e) => fail(new PacketWriteError(`packet writer crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (code !== 0) fail(new PacketWriteError(`packet writer exited with code ${code}`));
    });
  }
  const inFlight: Promise<void>[][] = workers.map(() => []);
  let seq = 0;
  for (let next = batches.next(); !next.done; next = batches.next()) {
    const batch = next.value;
    const lane = seq % workers.length;
    if (inFlight[lane]!.length >= 4) await inFlight[lane]!.shift();
    if (failure) throw failure;
    const names = batch.map((p) => packetFileName(p.accountId));
    const texts = batch.map((p) => prettyJson(p));
    const done = new Promise<void>((resolve, reject) => pending.set(seq, { resolve, reject }));
    done.catch(() => undefined); // observed below or through `failure`
    inFlight[lane]!.push(done);
    workers[lane]!.postMessage({ seq: seq++, dir, names, texts });
  }
  for (const lane of inFlight) await Promise.all(lane);
  if (failure) throw failure;
}
