// The coordinator pool and the queue worker in one process against a real redis-server: a run through
// Redis gives the same bundle as a local run; a hostile worker's corrupted proofs are refused and proved
// again; a job naming keys a worker does not hold is refused without retries; the run's jobs are gone
// from Redis once the bundle is written.
import path from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { createQueuePool } from '../../src/queue/coordinator.js';
import type { QueuePoolEvent } from '../../src/queue/coordinator.js';
import { startQueueWorker } from '../../src/queue/worker.js';
import type { QueueWorker, QueueWorkerEvent } from '../../src/queue/worker.js';
import { queueRunId } from '../../src/queue/run-id.js';
import { JOB_FORMAT, QUEUE_PREFIX, keySetQueueName, proofJobId } from '../../src/queue/job-data.js';
import type { ProofJobData } from '../../src/queue/job-data.js';
import { ensureDevKeys } from '../../src/setup/dev-ceremony.js';
import { B100_N8_K8 } from '../../src/protocol/families.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { ProvePool } from '../../src/prover/prove-pool.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';
import { chunkInput } from '../../src/zk/circuit-inputs.js';
import { snarkjs, terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';
import { HAVE_REDIS, REDIS_SKIP_REASON, startRedis } from '../support/redis.js';
import type { RedisServer } from '../support/redis.js';
import { expectVerified, jobKeys, publicSignals } from './helpers.js';

if (!HAVE_REDIS) console.warn(`test/queue/queue-pool: skipped: ${REDIS_SKIP_REASON}`);

let redis: RedisServer;
let keys: KeySet;
let statement: SolvencyStatement;
let local: Record<string, string[]>;
let work: string;

async function proveVia(
  name: string,
  events: QueuePoolEvent[],
): Promise<{ bundle: string; packets: string; runId: string; queueName: string }> {
  const bundle = path.join(work, name);
  const packets = `${bundle}-packets`;
  // A different padding per run: a different run id, so runs never share jobs.
  const padToUsers = name === 'hostile' ? 33 : 32;
  const runId = queueRunId({ statement, secret: SECRET, keys, publishTotal: false, padToUsers });
  const pool = await createQueuePool({ url: redis.url, runId, keys, onEvent: (e) => events.push(e) });
  try {
    await proveSolvency({
      statement,
      secret: SECRET,
      keys,
      outDir: bundle,
      packetsDir: packets,
      allowInsecureDevKeys: true,
      padToUsers,
      pool,
    });
  } finally {
    await pool.close();
  }
  return { bundle, packets, runId, queueName: pool.queueName };
}

describe.skipIf(!HAVE_REDIS)('the queue pool with in-process workers', () => {
  beforeAll(async () => {
    redis = await startRedis();
    keys = await devKeys();
    statement = await statementFromLedger(makeLedger(20).ledger, T, 'USD');
    work = await tempDir('queue');
    // The same run proved locally: 4 chunks, 1 aggregation, solvency.
    await proveSolvency({
      statement,
      secret: SECRET,
      keys,
      outDir: path.join(work, 'local'),
      packetsDir: path.join(work, 'local-packets'),
      allowInsecureDevKeys: true,
      padToUsers: 32,
      workers: 1,
    });
    local = await publicSignals(path.join(work, 'local'));
  }, 300_000);

  afterAll(async () => {
    await redis?.close();
    await terminateCurves();
  });

  it('proves through Redis: the bundle verifies, equals a local run, and its jobs are removed', async () => {
    const seen: QueueWorkerEvent[] = [];
    const w = await startQueueWorker({
      url: redis.url,
      keySets: [keys],
      concurrency: 2,
      onEvent: (e) => seen.push(e),
    });
    const events: QueuePoolEvent[] = [];
    try {
      const r = await proveVia('queued', events);
      expect(await expectVerified(r.bundle, r.packets)).toBe(20);
      expect(await publicSignals(r.bundle)).toEqual(local);
      expect(seen.filter((e) => e.type === 'proved')).toHaveLength(Object.keys(local).length);
      expect(events).toContainEqual({ type: 'cleanup', removed: Object.keys(local).length, kept: 0 });
      expect(await jobKeys(redis, r.queueName, r.runId.slice(0, 32))).toEqual([]);
    } finally {
      await w.close();
    }
  }, 120_000);

  // Attack: a worker returns proofs that do not verify (a real curve point in the wrong place; signals that
  // are not the tree's). The coordinator must refuse both and have them proved again.
  it('refuses a hostile worker’s corrupted proofs and has an honest worker prove them again', async () => {
    const queueName = keySetQueueName(keys);
    let corrupted = 0;
    let handedBack!: () => void;
    const hostileDone = new Promise<void>((r) => (handedBack = r));
    const hostile: Worker = new Worker(
      queueName,
      async (job) => {
        const d = job.data as ProofJobData;
        if (corrupted >= 2) throw new Error('hostile worker leaving');
        const c = keys.circuits[d.kind];
        const { proof, publicSignals: signals } = await snarkjs.groth16.fullProve(
          d.input,
          c.wasmPath,
          c.zkeyPath,
        );
        corrupted++;
        if (corrupted === 2) {
          void hostile.close().then(handedBack);
          return {
            proof,
            publicSignals: signals.map((s: string) => (BigInt(s) + 1n).toString()),
            worker: 'hostile',
          };
        }
        return { proof: { ...proof, pi_a: proof.pi_c }, publicSignals: signals, worker: 'hostile' };
      },
      { connection: { host: '127.0.0.1', port: redis.port }, prefix: QUEUE_PREFIX, concurrency: 1 },
    );
    let honest: QueueWorker | undefined;
    void hostileDone.then(async () => {
      honest = await startQueueWorker({ url: redis.url, keySets: [keys], concurrency: 2 });
    });
    const events: QueuePoolEvent[] = [];
    try {
      const r = await proveVia('hostile', events);
      expect(corrupted).toBe(2);
      const retries = events.filter((e) => e.type === 'retry');
      expect(retries).toHaveLength(2);
      expect(retries.every((e) => e.type === 'retry' && e.attempt === 2)).toBe(true);
      await expectVerified(r.bundle, r.packets);
      expect(await jobKeys(redis, r.queueName, r.runId.slice(0, 32))).toEqual([]);
    } finally {
      await hostile.close();
      await honest?.close();
    }
  }, 180_000);

  it('re-publishing a run is idempotent: a rerun coordinator collects a finished result without a worker', async () => {
    const w = await startQueueWorker({ url: redis.url, keySets: [keys] });
    const runId = 'cd'.repeat(32);
    const tree = buildSolvencyTree(statement, SECRET, keys.family);
    const c = keys.circuits.chunk;
    const job = {
      id: 'L0-000000',
      kind: 'chunk' as const,
      keyHashes: c.hashes,
      attempt: 1,
      wasmPath: c.wasmPath,
      zkeyPath: c.zkeyPath,
      input: () => chunkInput(tree.chunks[0]!),
    };
    const first = await createQueuePool({ url: redis.url, runId, keys });
    const r1 = await first.prove(job);
    await w.close();
    // The "crashed" coordinator never closed: a second one of the same run finds the finished job. Groth16
    // proofs are randomized, so an identical proof is the same job's result, not a new proof.
    const second = await createQueuePool({ url: redis.url, runId, keys });
    const r2 = await second.prove(job);
    expect(r2).toEqual(r1);
    await second.close();
    await first.close();
    expect(await jobKeys(redis, second.queueName, runId.slice(0, 32))).toEqual([]);
  }, 60_000);

  it('a worker whose prover keeps failing stops taking jobs; the jobs keep their other tries', async () => {
    const failing: ProvePool = {
      prove: () => Promise.reject(new Error('prover threads are gone')),
      close: () => Promise.resolve(),
    };
    const w = await startQueueWorker({ url: redis.url, keySets: [keys], pool: failing });
    const queue = new Queue(keySetQueueName(keys), {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: QUEUE_PREFIX,
    });
    try {
      const runId = 'ef'.repeat(32);
      const tree = buildSolvencyTree(statement, SECRET, keys.family, { padToUsers: 48 }); // 6 chunks
      const ids: string[] = [];
      for (const [i, chunk] of tree.chunks.entries()) {
        const proof = `L0-00000${i}`;
        const data: ProofJobData = {
          v: JOB_FORMAT,
          run: runId,
          proof,
          family: keys.family.id,
          kind: 'chunk',
          keyHashes: keys.circuits.chunk.hashes,
          attempt: 1,
          input: chunkInput(chunk),
        };
        const jobId = proofJobId(runId, proof, 1);
        ids.push(jobId);
        // A long backoff: a failed try does not come back during the test.
        await queue.add('chunk', data, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 600_000 } });
      }
      expect(await w.broken).toMatch(
        /3 proofs failed in a row on worker .*prover threads are gone.*no more jobs/,
      );
      await w.close();
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
      expect(states).not.toContain('failed');
      expect(jobs.filter((j) => j?.attemptsMade === 1)).toHaveLength(3);
      expect(jobs.filter((j) => j?.attemptsMade === 0).length).toBeGreaterThanOrEqual(ids.length - 3);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await w.close();
    }
  }, 60_000);

  it('a worker refuses, without retries, a job naming keys it does not hold', async () => {
    const wide = await ensureDevKeys(B100_N8_K8);
    const seen: QueueWorkerEvent[] = [];
    const w = await startQueueWorker({ url: redis.url, keySets: [wide], onEvent: (e) => seen.push(e) });
    // A forged job on the b100 queue that names the b64 chunk keys.
    const queue = new Queue(keySetQueueName(wide), {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: QUEUE_PREFIX,
    });
    try {
      const runId = 'ab'.repeat(32);
      const data: ProofJobData = {
        v: JOB_FORMAT,
        run: runId,
        proof: 'L0-000000',
        family: keys.family.id,
        kind: 'chunk',
        keyHashes: keys.circuits.chunk.hashes,
        attempt: 1,
        input: { sumSalt: '1' },
      };
      const job = await queue.add('chunk', data, { jobId: proofJobId(runId, 'L0-000000', 1), attempts: 3 });
      await expect(job.waitUntilFinished(await queueEventsFor(wide))).rejects.toThrow(
        /does not hold the keys/,
      );
      const after = await queue.getJob(job.id!);
      expect(after?.attemptsMade).toBe(1);
      expect(after?.failedReason).toMatch(/refused by worker .* asks for b64-n8-k8 chunk/);
      expect(seen.some((e) => e.type === 'refused')).toBe(true);
      expect(seen.some((e) => e.type === 'proving')).toBe(false);
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
      await w.close();
      for (const e of openEvents.splice(0)) await e.close();
    }
  }, 60_000);
});

const openEvents: QueueEvents[] = [];
async function queueEventsFor(k: KeySet): Promise<QueueEvents> {
  const e = new QueueEvents(keySetQueueName(k), {
    connection: { host: '127.0.0.1', port: redis.port },
    prefix: QUEUE_PREFIX,
  });
  openEvents.push(e);
  await e.waitUntilReady();
  return e;
}
