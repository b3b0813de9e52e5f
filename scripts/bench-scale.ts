// Scale benchmark of the production family: npm run bench:scale -- [--family=b64-n128-k16] [--chunks=3]
//   [--queue-ratio=R] [--rapidsnark-chunk-seconds=S]   (or ZKRESERVE_BENCH_QUEUE_RATIO / _RAPIDSNARK_CHUNK_S)
// On this machine, with the production-size dev keys (made once from the insecure 2^16 test ptau):
// - seconds per chunk, aggregate and solvency proof on ONE thread (one single-threaded snarkjs worker, the
//   way every proving slot runs), and users proven per second per core;
// - resume cost: seconds to re-check the saved proofs of a work directory (Groth16 verify + expected public
//   signals, what a rerun does before proving the rest);
// - a projection of wall time for 10^6 and 10^7 users on 1, 8 and 64 machines of 16 cores, from the measured
//   per-core rates. Inputs measured elsewhere are taken as flags and printed as such: the queue's throughput
//   ratio to the in-process pool (BullMQ helper) and a rapidsnark chunk-proof time (native prover helper);
//   without them the table says "not measured" and assumes no queue overhead.
// Every timed proof is checked (refuseProof) before any figure is printed.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { familyById } from '../src/protocol/families.js';
import type { CircuitKind } from '../src/protocol/families.js';
import { buildSolvencyTree } from '../src/tree/solvency-tree.js';
import type { SolvencyStatement } from '../src/tree/solvency-tree.js';
import { planProofs } from '../src/prover/plan.js';
import type { ProofJob } from '../src/prover/plan.js';
import { createProvePool } from '../src/prover/prove-pool.js';
import { refuseProof } from '../src/prover/accept-proof.js';
import { loadSavedProofs, openWorkDir, workIdentity } from '../src/prover/work-dir.js';
import { treeShape } from '../src/prover/run-plan.js';
import { accountId } from '../src/ledger/account.js';
import { terminateCurves } from '../src/zk/snarkjs.js';
import type { KeySet } from '../src/setup/keyset.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const family = familyById(flag('family') ?? 'b64-n128-k16');
const chunkSample = Number(flag('chunks') ?? 3);
const queueRatioText = flag('queue-ratio') ?? process.env.ZKRESERVE_BENCH_QUEUE_RATIO;
const rapidsnarkText = flag('rapidsnark-chunk-seconds') ?? process.env.ZKRESERVE_BENCH_RAPIDSNARK_CHUNK_S;
const queueRatio = queueRatioText === undefined ? undefined : Number(queueRatioText);
const rapidsnarkChunk = rapidsnarkText === undefined ? undefined : Number(rapidsnarkText);
const SECRET = new Uint8Array(32).fill(42);
const T = Date.UTC(2025, 5, 30);
const CORES_PER_MACHINE = 16;

function statement(users: number): SolvencyStatement {
  return {
    currency: family.balanceBits === 100 ? 'ETH' : 'USD',
    decimals: family.balanceBits === 100 ? 18 : 2,
    snapshotTime: T,
    auditHead: { sequence: 1, hash: '5a'.repeat(32) },
    reserves: 10n ** 18n,
    users: Array.from({ length: users }, (_, i) => ({
      accountId: accountId('USER', 'USD', `user-${i}`),
      externalRef: `user-${i}`,
      liability: BigInt(1000 + ((i * 7919) % 100_000)),
    })),
  };
}

/** Proves `jobs` one after the other on one single-threaded worker; mean seconds per proof (all checked). */
async function timeOnOneThread(keys: KeySet, jobs: readonly ProofJob[]) {
  const pool = createProvePool({ workers: 1 });
  const job = (j: ProofJob) => {
    const c = keys.circuits[j.kind];
    return {
      id: j.id,
      kind: j.kind,
      keyHashes: c.hashes,
      attempt: 1,
      wasmPath: c.wasmPath,
      zkeyPath: c.zkeyPath,
      input: j.input(),
    };
  };
  try {
    await pool.prove(job(jobs[0]!)); // warm-up: the worker loads the circuit and the key
    const seconds: number[] = [];
    const proofs = [];
    for (const j of jobs) {
      const input = job(j);
      const t0 = performance.now();
      const r = await pool.prove(input);
      seconds.push((performance.now() - t0) / 1000);
      const refused = await refuseProof(keys.circuits[j.kind].vkey, j.expected(), r);
      if (refused) throw new Error(`timed ${j.kind} proof ${j.id} was refused: ${refused}`);
      proofs.push({ id: j.id, proof: { proof: r.proof, publicSignals: j.expected() } });
    }
    return { mean: seconds.reduce((a, b) => a + b, 0) / seconds.length, proofs };
  } finally {
    await pool.close();
  }
}

const fmt = (s: number): string =>
  s < 120 ? `${s.toFixed(0)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;

async function main(): Promise<void> {
  const keys = await ensureDevKeys(family, { onProgress: (e) => console.error(`[keys] ${e.message}`) });
  const tree = buildSolvencyTree(statement(chunkSample * family.chunkUsers), SECRET, family);
  const jobs = planProofs(tree, false);
  const byKind = (k: CircuitKind) => jobs.filter((j) => j.kind === k);
  const chunk = await timeOnOneThread(keys, byKind('chunk'));
  const aggregate = await timeOnOneThread(keys, byKind('aggregate').slice(0, 1));
  const solvency = await timeOnOneThread(keys, byKind('solvency'));

  // Resume cost: save the timed proofs into a work directory and time their re-check.
  const saved = [...chunk.proofs, ...aggregate.proofs, ...solvency.proofs];
  const dir = await mkdtemp(path.join(tmpdir(), 'zkreserve-bench-scale-'));
  const dirs = { outDir: path.join(dir, 'bundle'), packetsDir: path.join(dir, 'packets') };
  const work = await openWorkDir(
    dirs,
    workIdentity(tree, keys, { publishTotal: false, padToUsers: undefined }),
  );
  for (const p of saved) await work.save(p.id, p.proof);
  const tr = performance.now();
  const resumed = await loadSavedProofs(work, keys, jobs);
  const resumeSeconds = (performance.now() - tr) / 1000;
  await rm(dir, { recursive: true, force: true });
  await terminateCurves();
  if (Object.keys(resumed.accepted).length !== saved.length || resumed.discarded.length > 0)
    throw new Error(
      `resume re-check accepted ${Object.keys(resumed.accepted).length} of ${saved.length} proofs`,
    );

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `bench:scale, family ${family.id}, ${availableParallelism()} cores (${cpu}); every timed proof checked`,
  );
  console.log(`  chunk proof, one thread      ${chunk.mean.toFixed(2)} s (mean of ${chunk.proofs.length})`);
  console.log(`  aggregate proof, one thread  ${aggregate.mean.toFixed(2)} s`);
  console.log(`  solvency proof, one thread   ${solvency.mean.toFixed(2)} s`);
  const perCore = family.chunkUsers / chunk.mean;
  console.log(`  users proven per second per core (chunk proofs only): ${perCore.toFixed(1)}`);
  console.log(
    `  resume cost: ${resumeSeconds.toFixed(2)} s to re-check ${saved.length} saved proofs ` +
      `(${((resumeSeconds / saved.length) * 1000).toFixed(0)} ms per proof)`,
  );
  console.log(
    `  queue throughput ratio to the in-process pool: ${queueRatio === undefined ? 'not measured (1.0 assumed below)' : `${queueRatio} (input)`}`,
  );
  console.log(
    `  rapidsnark chunk proof: ${rapidsnarkChunk === undefined ? 'not measured' : `${rapidsnarkChunk} s (input)`}`,
  );
  printProjection(
    { chunk: chunk.mean, aggregate: aggregate.mean, solvency: solvency.mean },
    resumeSeconds / saved.length,
  );
}

/** Wall time for 10^6 and 10^7 users on 1, 8 and 64 machines of 16 cores, from per-proof seconds. */
function printProjection(sec: Record<CircuitKind, number>, resumePerProof: number): void {
  const ratio = queueRatio ?? 1;
  const rsScale = rapidsnarkChunk === undefined ? undefined : rapidsnarkChunk / sec.chunk;
  console.log(
    `projection (${CORES_PER_MACHINE} cores per machine, one single-threaded proof per core; more than one machine ` +
      `goes through the queue at ratio ${queueRatio ?? '1.0 (not measured)'})`,
  );
  const header = ['users', 'proofs', 'cpu (1 thread)', '1 machine', '8 machines', '64 machines'];
  if (rsScale !== undefined) header.push('64 machines, rapidsnark');
  header.push('resume re-check');
  console.log(`  ${header.join(' | ')}`);
  for (const users of [1e6, 1e7]) {
    const levels = treeShape(family, users);
    const aggs = levels.slice(1).reduce((a, b) => a + b, 0);
    const proofs = levels[0]! + aggs + 1;
    const cpu = levels[0]! * sec.chunk + aggs * sec.aggregate + sec.solvency;
    const wall = (m: number, scale = 1) => (cpu * scale) / (m * CORES_PER_MACHINE) / (m > 1 ? ratio : 1);
    const row = [users.toExponential(0), String(proofs), fmt(cpu), fmt(wall(1)), fmt(wall(8)), fmt(wall(64))];
    if (rsScale !== undefined) row.push(fmt(wall(64, rsScale)));
    row.push(`${fmt(proofs * resumePerProof)} on 1 thread`);
    console.log(`  ${row.join(' | ')}`);
  }
}

await main();
