// The coordinator's ProvePool over BullMQ: each prove() becomes a job on the key set's queue (job-data.ts),
// published in a bounded window (a job's circuit input is built only when it is published), and resolves
// with what a worker returned. Nothing returned is trusted here: runProofs verifies every proof and re-proves
// a refused one with attempt + 1, which this pool publishes as a new job. close() removes the run's jobs
// (and with them their inputs and results) from Redis.
import { Queue, QueueEvents } from 'bullmq';
import type { Job } from 'bullmq';
import type { KeySet } from '../setup/keyset.js';
import type { ProveJob, ProvePool, ProveResult } from '../prover/prove-pool.js';
import { ProofGenerationError } from '../prover/errors.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import { queueTarget, waitForRedis } from './connect.js';
import { QueueJobFailedError } from './errors.js';
import { JOB_FORMAT, QUEUE_PREFIX, keySetQueueName, proofJobId } from './job-data.js';
import type { ProofJobData, ProofJobResult } from './job-data.js';

export type QueuePoolEvent =
  { type: 'retry'; proof: string; attempt: number } | { type: 'cleanup'; removed: number; kept: number };

export interface QueuePoolOptions {
  /** `redis://[:password@]host:port/db` or `rediss://...`. */
  url: string;
  /** The run id (run-id.ts): job ids derive from it, so a rerun of the same run re-publishes the same jobs. */
  runId: string;
  /** The key set the run proves with: its queue is the one workers holding these keys listen on. */
  keys: Pick<KeySet, 'family' | 'circuits'>;
  /** Most jobs published and not yet finished (default 256). */
  window?: number;
  /** BullMQ tries per job when a worker throws or stalls (default 3). */
  attempts?: number;
  /** Seconds to wait for the first connection (default 15). */
  connectTimeoutSeconds?: number;
  onEvent?: (e: QueuePoolEvent) => void;
}

export interface QueuePool extends ProvePool {
  /** The BullMQ queue name. */
  readonly queueName: string;
  /** The URL, password redacted. */
  readonly display: string;
  /** Workers connected to the queue at the last look (-1 when Redis does not say: CLIENT LIST disabled). */
  liveWorkers(): number;
}

interface Entry {
  job: ProveJob;
  resolve: (r: ProveResult) => void;
  reject: (e: Error) => void;
}

function inputOf(job: ProveJob): CircuitInput {
  return typeof job.input === 'function' ? job.input() : job.input;
}

function sameHashes(a: ProveJob['keyHashes'], b: ProveJob['keyHashes']): boolean {
  return a.r1cs === b.r1cs && a.wasm === b.wasm && a.zkey === b.zkey && a.vkey === b.vkey;
}

/** Connects to Redis (fails fast when it cannot) and returns the pool. */
export async function createQueuePool(options: QueuePoolOptions): Promise<QueuePool> {
  const { connection, display } = queueTarget(options.url);
  const queueName = keySetQueueName(options.keys);
  const queue = new Queue<ProofJobData, ProofJobResult>(queueName, { connection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(queueName, { connection, prefix: QUEUE_PREFIX });
  let lastError: string | undefined;
  const onError = (e: Error): void => {
    lastError = e.message;
  };
  queue.on('error', onError);
  events.on('error', onError);
  try {
    await waitForRedis(
      queue.waitUntilReady(),
      display,
      (options.connectTimeoutSeconds ?? 15) * 1000,
      () => lastError,
    );
    await events.waitUntilReady();
  } catch (e) {
    await Promise.allSettled([events.close(), queue.close()]);
    throw e;
  }
  return queuePool(options, queue, events, queueName, display);
}

function queuePool(
  options: QueuePoolOptions,
  queue: Queue<ProofJobData, ProofJobResult>,
  events: QueueEvents,
  queueName: string,
  display: string,
): QueuePool {
  const window = Math.max(1, options.window ?? 256);
  const attempts = Math.max(1, options.attempts ?? 3);
  // Each job waiting for its result listens for the queue's 'closing' event (BullMQ waitUntilFinished).
  queue.setMaxListeners(window + 16);
  const pending: Entry[] = [];
  const outstanding = new Set<Entry>();
  const published = new Set<string>();
  let closed = false;
  let workers = -1;
  let counting = false;

  const countWorkers = (): void => {
    if (counting || closed) return;
    counting = true;
    queue
      .getWorkersCount()
      .then((n) => (workers = n))
      .catch(() => (workers = -1))
      .finally(() => (counting = false));
  };

  const publish = async (job: ProveJob): Promise<ProveResult> => {
    const c = options.keys.circuits[job.kind];
    if (!sameHashes(job.keyHashes, c.hashes)) {
      throw new ProofGenerationError(`proof ${job.id} names keys other than the queue pool's ${queueName}`);
    }
    const jobId = proofJobId(options.runId, job.id, job.attempt);
    if (job.attempt > 1) options.onEvent?.({ type: 'retry', proof: job.id, attempt: job.attempt });
    const data: ProofJobData = {
      v: JOB_FORMAT,
      run: options.runId,
      proof: job.id,
      family: options.keys.family.id,
      kind: job.kind,
      keyHashes: job.keyHashes,
      attempt: job.attempt,
      input: inputOf(job),
    };
    // Same id as an existing job (a rerun after a coordinator crash): BullMQ keeps the existing job.
    const added: Job<ProofJobData, ProofJobResult> = await queue.add(job.kind, data, {
      jobId,
      attempts,
      backoff: { type: 'exponential', delay: 1000 },
      // Backstops only: close() removes the run's jobs; these catch a coordinator that died for good.
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    published.add(jobId);
    if ((await added.getState()) === 'failed') await added.retry('failed');
    let r: ProofJobResult;
    try {
      r = await added.waitUntilFinished(events);
    } catch (e) {
      throw new QueueJobFailedError(
        `proof ${job.id} (try ${job.attempt}, job ${jobId}) failed on the workers: ${(e as Error).message}`,
      );
    }
    countWorkers();
    // Untrusted: runProofs checks the signals and the Groth16 proof (a malformed result is refused there).
    return { proof: r?.proof, publicSignals: r?.publicSignals } as ProveResult;
  };

  const pump = (): void => {
    while (!closed && outstanding.size < window && pending.length > 0) {
      const e = pending.shift()!;
      outstanding.add(e);
      publish(e.job)
        .then(e.resolve, e.reject)
        .finally(() => {
          outstanding.delete(e);
          pump();
        });
    }
  };

  countWorkers();
  return {
    queueName,
    display,
    liveWorkers: () => workers,
    prove(job) {
      if (closed) return Promise.reject(new QueueJobFailedError('the queue pool is closed'));
      return new Promise<ProveResult>((resolve, reject) => {
        pending.push({ job, resolve, reject });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const gone = new QueueJobFailedError('the queue pool was closed before the proof finished');
      for (const e of pending.splice(0)) e.reject(gone);
      for (const e of outstanding) e.reject(gone);
      await removeJobs(queue, published, options.onEvent);
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}

/** Removes the run's jobs, 64 at a time; a job a worker still holds (locked), or one already gone, is counted as kept. */
async function removeJobs(
  queue: Queue<ProofJobData, ProofJobResult>,
  ids: Set<string>,
  onEvent: QueuePoolOptions['onEvent'],
): Promise<void> {
  const all = [...ids];
  let removed = 0;
  let kept = 0;
  for (let i = 0; i < all.length; i += 64) {
    const codes = await Promise.all(all.slice(i, i + 64).map((id) => queue.remove(id).catch(() => 0)));
    for (const c of codes) {
      if (c === 1) removed++;
      else kept++;
    }
  }
  onEvent?.({ type: 'cleanup', removed, kept });
}
