// Queue overhead benchmark: npm run bench:queue -- [users=256] [--keys=<dir>] [--family=<id>] [--workers=2]
// Proves the same job set twice on this machine: in-process (a warm local pool of `workers` single-threaded
// provers) and through Redis (a coordinator pool and `workers` warm `zkreserve worker` processes of one slot
// each, on a redis-server started here on a loopback port). Both bundles must verify and have identical
// public signals before anything is printed. Prints the ratio in-process time / queue time (1.0: the queue
// costs nothing; the target is >= 0.9). Needs dist/ (npm run build) for the worker processes.
// Keys: those in --keys, else the insecure dev keys of --family (b64-n128-k16: the production family, made once
// from ../shared/fixtures/ptau16), else of the quick dev family.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { proveSolvency } from '../src/prover/prove-solvency.js';
import { createProvePool } from '../src/prover/prove-pool.js';
import type { ProvePool } from '../src/prover/prove-pool.js';
import { readBundle } from '../src/bundle-io/read.js';
import { verifyBundle } from '../src/verify/verify-bundle.js';
import { createQueuePool } from '../src/queue/coordinator.js';
import { queueRunId } from '../src/queue/run-id.js';
import { loadWorkerKeySets } from '../src/queue/worker-keys.js';
import { buildSolvencyTree } from '../src/tree/solvency-tree.js';
import type { SolvencyStatement } from '../src/tree/solvency-tree.js';
import { chunkInput } from '../src/zk/circuit-inputs.js';
import { familyFor } from '../src/protocol/families.js';
import type { KeySet } from '../src/setup/keyset.js';
import { accountId } from '../src/ledger/account.js';
import { terminateCurves } from '../src/zk/snarkjs.js';
import { startRedis } from '../test/support/redis.js';

const args = process.argv.slice(2);
const users = Number(args.find((a) => !a.startsWith('--')) ?? 256);
const keysDir = args.find((a) => a.startsWith('--keys='))?.split('=')[1];
const family = args.find((a) => a.startsWith('--family='))?.split('=')[1];
const workers = Number(args.find((a) => a.startsWith('--workers='))?.split('=')[1] ?? 2);
const SECRET = new Uint8Array(32).fill(42);
const BIN = path.resolve('bin/zkreserve.js');

function statement(n: number): SolvencyStatement {
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime: Date.UTC(2025, 5, 30),
    auditHead: { sequence: 1, hash: '5a'.repeat(32) },
    reserves: 10n ** 15n,
    users: Array.from({ length: n }, (_, i) => ({
      accountId: accountId('USER', 'USD', `user-${i}`),
      externalRef: `user-${i}`,
      liability: BigInt(1000 + ((i * 7919) % 100_000)),
    })),
  };
}

async function chooseKeys(): Promise<KeySet> {
  const sets = await loadWorkerKeySets({
    ...(keysDir ? { dir: keysDir } : {}),
    insecureDevKeys: true,
    ...(family ? { families: [family] } : {}),
  });
  const want = [familyFor(2, 'production').id, familyFor(2, 'dev').id];
  const k = want.map((id) => sets.find((s) => s.family.id === id)).find((s) => s !== undefined);
  if (!k) throw new Error(`no key set for USD (${want.join(' or ')})`);
  return k;
}

function startWorker(url: string, family: string): Promise<ChildProcess> {
  const keyArgs = keysDir ? ['--keys', keysDir, '--insecure-dev-keys'] : ['--insecure-dev-keys'];
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url, ...keyArgs, '--family', family], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/slot\(s\)/.test(log)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${log}`)));
  });
}

async function timedRun(keys: KeySet, st: SolvencyStatement, out: string, pool: ProvePool): Promise<number> {
  const t0 = performance.now();
  await proveSolvency({
    statement: st,
    secret: SECRET,
    keys,
    outDir: out,
    packetsDir: `${out}-packets`,
    allowInsecureDevKeys: true,
    pool,
  });
  const seconds = (performance.now() - t0) / 1000;
  const report = await verifyBundle(await readBundle(out));
  if (!report.ok) throw new Error(`${out} does not verify: ${report.errors.join('; ')}`);
  return seconds;
}

async function main(): Promise<void> {
  const keys = await chooseKeys();
  const st = statement(users);
  const tree = buildSolvencyTree(st, SECRET, keys.family);
  const proofs = tree.chunks.length + tree.aggregates.flat().length + 1;
  const work = await mkdtemp(path.join(tmpdir(), 'zkreserve-bench-queue-'));
  console.log(`family ${keys.family.id}, ${users} users, ${proofs} proofs, ${workers} provers each way`);

  // In-process: a warm pool (one warm-up proof per prover, not timed).
  const local = createProvePool({ mode: 'workers', workers });
  const c = keys.circuits.chunk;
  const warm = {
    kind: 'chunk' as const,
    keyHashes: c.hashes,
    attempt: 1,
    wasmPath: c.wasmPath,
    zkeyPath: c.zkeyPath,
  };
  await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      local.prove({ ...warm, id: `warm-${i}`, input: chunkInput(tree.chunks[0]!) }),
    ),
  );
  const localSeconds = await timedRun(keys, st, path.join(work, 'local'), local);
  await local.close();

  const redis = await startRedis();
  const procs: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) procs.push(await startWorker(redis.url, keys.family.id));
    const runId = queueRunId({ statement: st, secret: SECRET, keys, publishTotal: false });
    const pool = await createQueuePool({ url: redis.url, runId, keys });
    let queueSeconds: number;
    try {
      queueSeconds = await timedRun(keys, st, path.join(work, 'queue'), pool);
    } finally {
      await pool.close();
    }
    const a = await readBundle(path.join(work, 'local'));
    const b = await readBundle(path.join(work, 'queue'));
    for (const id of Object.keys(a.proofs)) {
      if (a.proofs[id]!.publicSignals.join() !== b.proofs[id]?.publicSignals.join()) {
        throw new Error(`proof ${id}: the queued run's public signals differ from the local run's`);
      }
    }
    console.log('both bundles verified; their public signals are identical');
    console.log(
      `in-process      ${localSeconds.toFixed(2)} s  (${(proofs / localSeconds).toFixed(2)} proofs/s)`,
    );
    console.log(
      `through Redis   ${queueSeconds.toFixed(2)} s  (${(proofs / queueSeconds).toFixed(2)} proofs/s)`,
    );
    console.log(
      `ratio (in-process time / queue time): ${(localSeconds / queueSeconds).toFixed(3)} (target >= 0.9)`,
    );
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await redis.close();
    await terminateCurves();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
