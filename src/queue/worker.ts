// A queue worker: takes proof jobs from the queues of the key sets it holds (one BullMQ Worker per key set)
// and proves each on a ProvePool (by default the local single-threaded snarkjs worker threads, one per
// slot). It trusts nothing it reads: a malformed job, or one naming keys it does not hold, fails at once
// with the reason (UnrecoverableError: BullMQ does not retry it). A worker killed mid-job loses only that
// job: its lock expires and BullMQ's stalled-job check hands it to another worker.
import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { KeySet } from '../setup/keyset.js';
import { createProvePool } from '../prover/prove-pool.js';
import type { ProvePool } from '../prover/prove-pool.js';
import { queueTarget, waitForRedis } from './connect.js';
import { QueueJobRefusedError } from './errors.js';
import { QUEUE_PREFIX, checkJobData, keySetQueueName } from './job-data.js';
import type { ProofJobData, ProofJobResult } from './job-data.js';

export type QueueWorkerEvent =
  | { type: 'proving'; proof: string; attempt: number; family: string; jobId: string }
  | { type: 'proved'; proof: string; attempt: number; jobId: string }
  | { type: 'refused' | 'failed'; jobId: string; reason: string }
  | { type: 'broken'; reason: string };

export interface QueueWorkerOptions {
  url: string;
  keySets: readonly KeySet[];
  /** Proofs at once (default 1): one single-threaded prover per slot. */
  concurrency?: number;
  /** How long a job's lock lasts without renewal (ms, default 30000); a dead worker's job waits this long. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (ms, default lockDurationMs). */
  stalledIntervalMs?: number;
  /** The proving backend (default: createProvePool({ mode: 'workers', workers: concurrency })). */
  pool?: ProvePool;
  /** Shown in logs and results (default host-pid). */
  name?: string;
  connectTimeoutSeconds?: number;
  /**
   * Proofs failing in a row (default 3) after which the worker stops taking jobs, so that a broken prover
   * (dead threads, a bad binary) does not use up the tries of every job; those jobs go to other workers.
   */
  maxConsecutiveFailures?: number;
  onEvent?: (e: QueueWorkerEvent) => void;
}

export interface QueueWorker {
  readonly name: string;
  /** The queues served (one per key set). */
  readonly queues: readonly string[];
  /** Resolves with the reason once the worker stopped taking jobs because its proofs keep failing. */
  readonly broken: Promise<string>;
  /** Stops taking jobs; waits for the jobs in hand unless `force` (they then stall and go to another worker). */
  close(force?: boolean): Promise<void>;
}

function short(h: string): string {
  return h.slice(0, 16);
}

/** Throws QueueJobRefusedError unless the job names exactly the keys of `keys` for its kind. */
export function checkJobKeys(data: ProofJobData, keys: KeySet, worker: string): void {
  const mine = keys.circuits[data.kind].hashes;
  const theirs = data.keyHashes;
  const differ = (['r1cs', 'wasm', 'zkey', 'vkey'] as const).filter((k) => mine[k] !== theirs[k]);
  if (data.family !== keys.family.id || differ.length > 0) {
    throw new QueueJobRefusedError(
      `worker ${worker} does not hold the keys job ${data.proof} names: it asks for ${data.family} ${data.kind} ` +
        `(zkey ${short(theirs.zkey)}..., differing in ${differ.join(', ') || 'family'}); this worker's ` +
        `${keys.family.id} ${data.kind} zkey is ${short(mine.zkey)}...`,
    );
  }
}

interface Health {
  /** Called after each proof: null when it succeeded, else the error. */
  report(e: Error | null): void;
}

function processor(
  keys: KeySet,
  pool: ProvePool,
  name: string,
  onEvent: QueueWorkerOptions['onEvent'],
  health: Health,
) {
  return async (job: Job<unknown, ProofJobResult>): Promise<ProofJobResult> => {
    const jobId = job.id ?? '?';
    let data: ProofJobData;
    try {
      data = checkJobData(job.data);
      checkJobKeys(data, keys, name);
    } catch (e) {
      const reason = `refused by worker ${name}: ${(e as Error).message}`;
      onEvent?.({ type: 'refused', jobId, reason });
      throw new UnrecoverableError(reason);
    }
    const c = keys.circuits[data.kind];
    onEvent?.({ type: 'proving', proof: data.proof, attempt: data.attempt, family: data.family, jobId });
    let r: Awaited<ReturnType<ProvePool['prove']>>;
    try {
      r = await pool.prove({
        id: data.proof,
        kind: data.kind,
        keyHashes: c.hashes,
        attempt: data.attempt,
        wasmPath: c.wasmPath,
        zkeyPath: c.zkeyPath,
        input: data.input,
      });
    } catch (e) {
      health.report(e as Error);
      throw e;
    }
    health.report(null);
    onEvent?.({ type: 'proved', proof: data.proof, attempt: data.attempt, jobId });
    return { proof: r.proof, publicSignals: r.publicSignals, worker: name };
  };
}

/** Connects (fails fast when Redis cannot be reached) and starts taking jobs. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { connection, display } = queueTarget(options.url);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const lockDuration = options.lockDurationMs ?? 30_000;
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? createProvePool({ mode: 'workers', workers: concurrency });
  let lastError: string | undefined;
  const maxFailures = Math.max(1, options.maxConsecutiveFailures ?? 3);
  let failures = 0;
  let setBroken: (reason: string) => void = () => undefined;
  const broken = new Promise<string>((r) => (setBroken = r));
  const health: Health = {
    report(e) {
      failures = e ? failures + 1 : 0;
      if (e && failures === maxFailures) {
        const reason = `${failures} proofs failed in a row on worker ${name} (last: ${e.message}): it takes no more jobs`;
        options.onEvent?.({ type: 'broken', reason });
        for (const w of workers) void w.pause(true).catch(() => undefined);
        setBroken(reason);
      }
    },
  };
  const workers: Worker<unknown, ProofJobResult>[] = options.keySets.map((keys) => {
    const w = new Worker<unknown, ProofJobResult>(
      keySetQueueName(keys),
      processor(keys, pool, name, options.onEvent, health),
      {
        connection,
        prefix: QUEUE_PREFIX,
        concurrency,
        name,
        lockDuration,
        stalledInterval: options.stalledIntervalMs ?? lockDuration,
        // A job whose worker died twice in a row fails rather than looping (it then fails the run, loudly).
        maxStalledCount: 2,
      },
    );
    w.on('error', (e) => (lastError = e.message));
    w.on('failed', (job, e) => {
      if (job && !(e instanceof UnrecoverableError)) {
        options.onEvent?.({ type: 'failed', jobId: job.id ?? '?', reason: e.message });
      }
    });
    return w;
  });
  const close = async (force = false): Promise<void> => {
    await Promise.allSettled(workers.map((w) => w.close(force)));
    if (ownPool) await pool.close();
  };
  try {
    for (const w of workers) {
      await waitForRedis(
        w.waitUntilReady(),
        display,
        (options.connectTimeoutSeconds ?? 15) * 1000,
        () => lastError,
      );
    }
  } catch (e) {
    await close(true);
    throw e;
  }
  return { name, queues: workers.map((w) => w.name), broken, close };
}
