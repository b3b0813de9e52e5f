// zkreserve worker: proves jobs from a coordinator's queue (zkreserve prove --queue) on this machine, with
// the keys in --keys, until SIGINT/SIGTERM (the first one finishes the jobs in hand, a second one leaves
// them to other workers at once).
import type { Command } from 'commander';
import { INSECURE_DEV_KEYS_WARNING } from '../../setup/keyset.js';
import type { QueueWorkerEvent } from '../../queue/worker.js';
import { redactUrl } from '../../queue/redis-url.js';
import { banner, err } from '../../terminal/output.js';
import { positiveInt } from '../options.js';
import { CliExit, EXIT_FAILED } from '../errors.js';
import { addProverOptions, resolveProver } from '../prover-options.js';
import type { ProverCliOptions } from '../prover-options.js';
import { createProvePool } from '../../prover/prove-pool.js';

interface WorkerOptions extends ProverCliOptions {
  queue: string;
  keys?: string;
  insecureDevKeys?: boolean;
  family?: string[];
  concurrency?: string;
  lockDuration?: string;
}

export function registerWorker(program: Command): void {
  const command = program
    .command('worker')
    .description('prove the jobs of a coordinator (zkreserve prove --queue) with the keys on this machine')
    .requiredOption(
      '--queue <url>',
      'Redis of the coordinator: redis://[:password@]host:port/db or rediss:// (TLS)',
    )
    .option('--keys <dir>', 'keys exported by a ceremony (every family present is served)')
    .option(
      '--insecure-dev-keys',
      'allow the insecure development keys (the default without --keys; tests only)',
    )
    .option('--family <id...>', 'serve only these circuit families (e.g. b64-n128-k16)')
    .option(
      '--concurrency <n>',
      'proofs at once, one single-threaded prover each (default 1; use the core count)',
    )
    .option(
      '--lock-duration <ms>',
      "how long a job's lock lasts unrenewed: a dead worker's job waits this long",
      '30000',
    );
  addProverOptions(command).action(worker);
}

function describe(e: QueueWorkerEvent): string {
  if (e.type === 'proving') return `proving ${e.proof} (${e.family}, try ${e.attempt}, job ${e.jobId})`;
  if (e.type === 'proved') return `proved ${e.proof} (try ${e.attempt}, job ${e.jobId})`;
  if (e.type === 'broken') return `stopping: ${e.reason}`;
  return `${e.type} job ${e.jobId}: ${e.reason}`;
}

/** Resolves on the first SIGINT/SIGTERM with `false`, and `force()` becomes true on a second one. */
function untilSignal(): { stopped: Promise<void>; forced: () => boolean } {
  let count = 0;
  let resolve: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (resolve = r));
  const on = (sig: string): void => {
    count++;
    err(
      count === 1
        ? `${sig}: finishing the jobs in hand (send it again to stop at once)`
        : `${sig}: stopping now`,
    );
    resolve();
    if (count > 1) process.exit(130);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { stopped, forced: () => count > 1 };
}

async function worker(opts: WorkerOptions): Promise<void> {
  const concurrency = opts.concurrency === undefined ? 1 : positiveInt(opts.concurrency, '--concurrency');
  const lockDurationMs = positiveInt(opts.lockDuration ?? '30000', '--lock-duration');
  // Loaded here, not at start-up: BullMQ takes most of a second to load and other commands do not need it.
  const { loadWorkerKeySets } = await import('../../queue/worker-keys.js');
  const { startQueueWorker } = await import('../../queue/worker.js');
  const keySets = await loadWorkerKeySets({
    ...(opts.keys !== undefined ? { dir: opts.keys } : {}),
    insecureDevKeys: opts.insecureDevKeys === true,
    ...(opts.family ? { families: opts.family } : {}),
  });
  if (keySets.some((k) => k.insecure))
    banner(['worker: serving INSECURE DEVELOPMENT KEYS.', INSECURE_DEV_KEYS_WARNING]);
  // rapidsnark: one pool for every slot (it runs its own processes over the cores); snarkjs: one
  // single-threaded prover per slot (the worker's default pool).
  const prover = await resolveProver(opts);
  const pool =
    prover.backend === 'rapidsnark' ? createProvePool({ ...prover, workers: concurrency }) : undefined;
  const signals = untilSignal();
  const w = await startQueueWorker({
    url: opts.queue,
    ...(pool ? { pool } : {}),
    keySets,
    concurrency,
    lockDurationMs,
    stalledIntervalMs: Math.max(1000, Math.floor(lockDurationMs / 2)),
    onEvent: (e) => err(describe(e)),
  });
  err(
    `worker ${w.name}: ${concurrency} slot(s) on ${redactUrl(opts.queue)}, families ` +
      `${keySets.map((k) => k.family.id).join(', ')} (queues ${w.queues.join(', ')})`,
  );
  const broken = await Promise.race([signals.stopped.then(() => null), w.broken]);
  await w.close(signals.forced());
  if (pool) await pool.close();
  if (broken !== null) throw new CliExit(EXIT_FAILED, `error: ${broken}`);
  err(`worker ${w.name}: stopped`);
}
