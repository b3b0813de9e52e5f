// rapidsnark against snarkjs: npx tsx scripts/bench-rapidsnark.ts [--users=3000] [--samples=3]
//   [--sweep-proofs=6] [--e2e-family=production|dev] [--parts=chunk,e2e]   (npm run bench:rapidsnark)
// On the production family b64-n128-k16 (insecure benchmark keys from ../shared/fixtures/ptau16, see
// scripts/lib/bench-keys.ts): seconds per chunk proof and users proven per second per core for snarkjs on
// one thread and for rapidsnark; the witness share of a rapidsnark proof; a sweep of rapidsnark processes x
// witness threads (the pool's default comes from it); and the end-to-end time of a `--users` bundle with
// each backend (same bundle digest). Needs $ZKRESERVE_RAPIDSNARK or rapidsnark on the PATH. Every proof
// timed is verified (Groth16 and expected public signals) before a figure is printed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { proveSolvency } from '../src/prover/prove-solvency.js';
import { createProvePool } from '../src/prover/prove-pool.js';
import type { ProveJob, ProvePool, ProveResult } from '../src/prover/prove-pool.js';
import { createRapidsnarkPool } from '../src/prover/rapidsnark-pool.js';
import { checkRapidsnarkBinary, findRapidsnark } from '../src/prover/rapidsnark-binary.js';
import { createWitnessPool } from '../src/prover/witness-pool.js';
import { refuseProof } from '../src/prover/accept-proof.js';
import { readBundle } from '../src/bundle-io/read.js';
import { bundleDigest } from '../src/bundle/digest.js';
import { verifyBundle } from '../src/verify/verify-bundle.js';
import { buildSolvencyTree } from '../src/tree/solvency-tree.js';
import type { SolvencyStatement, SolvencyTree } from '../src/tree/solvency-tree.js';
import { chunkInput, expectedPublicSignals } from '../src/zk/circuit-inputs.js';
import { B64_N128_K16, B64_N8_K8 } from '../src/protocol/families.js';
import type { KeySet, KeySetCircuit } from '../src/setup/keyset.js';
import type { CircuitInput } from '../src/zk/circuit-inputs.js';
import { devKeyDirs, ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { accountId } from '../src/ledger/account.js';
import { terminateCurves } from '../src/zk/snarkjs.js';
import { benchCircuitKey, benchProductionKeys } from './lib/bench-keys.js';
import { cpuSeconds } from './lib/cpu-time.js';
import { existsSync } from 'node:fs';

const arg = (name: string, dflt: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const USERS = Number(arg('users', '3000'));
const SAMPLES = Number(arg('samples', '3'));
const SWEEP = Number(arg('sweep-proofs', '6'));
const E2E_FAMILY = arg('e2e-family', 'production');
const PARTS = arg('parts', 'chunk,e2e').split(',');
const SECRET = new Uint8Array(32).fill(42);
const T = Date.UTC(2025, 5, 30);
const CORES = availableParallelism();
const f2 = (x: number) => x.toFixed(2);

function statement(n: number): SolvencyStatement {
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime: T,
    auditHead: { sequence: 1, hash: '5a'.repeat(32) },
    reserves: 10n ** 15n,
    users: Array.from({ length: n }, (_, i) => ({
      accountId: accountId('USER', 'USD', `user-${i}`),
      externalRef: `user-${i}`,
      liability: BigInt(1000 + ((i * 7919) % 100_000)),
    })),
  };
}

function chunkJobs(
  c: KeySetCircuit,
  tree: SolvencyTree,
  count: number,
): { job: ProveJob; expected: string[] }[] {
  return tree.chunks.slice(0, count).map((chunk, i) => ({
    job: {
      id: `L0-${i}`,
      kind: 'chunk',
      keyHashes: c.hashes,
      attempt: 1,
      wasmPath: c.wasmPath,
      zkeyPath: c.zkeyPath,
      input: chunkInput(chunk),
    },
    expected: expectedPublicSignals(chunk),
  }));
}

async function mustVerify(c: KeySetCircuit, expected: string[], r: ProveResult, what: string): Promise<void> {
  const why = await refuseProof(c.vkey, expected, r);
  if (why) throw new Error(`${what}: a proof was refused (${why}): no figure printed`);
}

interface Timed {
  wallPerProof: number;
  cpuPerProof: number;
}

/** Proves `jobs` on `pool` (after one warm-up proof), all submitted at once; verified. */
async function timePool(pool: ProvePool, c: KeySetCircuit, jobs: ReturnType<typeof chunkJobs>, what: string) {
  const [warm, ...rest] = jobs;
  await mustVerify(c, warm!.expected, await pool.prove(warm!.job), what);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const results = await Promise.all(rest.map((j) => pool.prove(j.job)));
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds().total - c0.total;
  for (const [i, r] of results.entries()) await mustVerify(c, rest[i]!.expected, r, what);
  return { wallPerProof: wall / rest.length, cpuPerProof: cpu / rest.length } satisfies Timed;
}

async function witnessShare(binary: string, c: KeySetCircuit, jobs: ReturnType<typeof chunkJobs>) {
  const wp = createWitnessPool(1);
  const dir = await mkdtemp(path.join(tmpdir(), 'zkreserve-bench-wtns-'));
  try {
    const input = jobs[0]!.job.input as CircuitInput;
    await wp.calculate(input, { path: c.wasmPath, hash: c.hashes.wasm }, 'warm');
    let wtnsMs = 0;
    let proveMs = 0;
    for (const [i, j] of jobs.slice(0, SAMPLES).entries()) {
      const t0 = performance.now();
      const w = await wp.calculate(
        j.job.input as CircuitInput,
        { path: c.wasmPath, hash: c.hashes.wasm },
        j.job.id,
      );
      wtnsMs += performance.now() - t0;
      const f = (n: string) => path.join(dir, `${i}.${n}`);
      await writeFile(f('wtns'), w);
      const t1 = performance.now();
      await promisify(execFile)(binary, [c.zkeyPath, f('wtns'), f('proof.json'), f('public.json')]);
      proveMs += performance.now() - t1;
    }
    const n = Math.min(SAMPLES, jobs.length);
    return { wtns: wtnsMs / n / 1000, prove: proveMs / n / 1000 };
  } finally {
    await wp.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function e2e(
  keys: KeySet,
  prover: { backend: 'snarkjs' } | { backend: 'rapidsnark'; rapidsnarkPath: string },
) {
  const work = await mkdtemp(path.join(tmpdir(), 'zkreserve-bench-e2e-'));
  try {
    const t0 = performance.now();
    let provingFrom = 0;
    const r = await proveSolvency({
      statement: statement(USERS),
      secret: SECRET,
      keys,
      outDir: path.join(work, 'bundle'),
      packetsDir: path.join(work, 'packets'),
      allowInsecureDevKeys: true,
      prover,
      // The first report comes once the tree is built, just before the first proof.
      onProgress: (p) => (provingFrom ||= p.done === 0 ? performance.now() : 0),
    });
    const end = performance.now();
    const seconds = (end - t0) / 1000;
    const proving = (end - provingFrom) / 1000;
    const bundle = await readBundle(path.join(work, 'bundle'));
    const report = await verifyBundle(bundle);
    if (!report.ok) throw new Error(`${prover.backend} bundle does not verify: ${report.errors.join('; ')}`);
    return { seconds, proving, proofs: r.proofs, digest: bundleDigest(bundle) };
  } finally {
    await rm(work, { recursive: true, force: true });
    await terminateCurves();
  }
}

/** Per chunk proof: snarkjs on one thread, rapidsnark, the witness share and the concurrency sweep. */
async function chunkPart(binary: string): Promise<void> {
  const { circuit: chunk, entry } = await benchCircuitKey(B64_N128_K16, 'chunk', (m) => console.error(m));
  const n = B64_N128_K16.chunkUsers;
  const constraints = entry.constraints;
  console.log(`family ${B64_N128_K16.id} (${constraints} constraints per chunk proof, ${n} users)`);
  const count = Math.max(SAMPLES, SWEEP) + 1;
  const jobs = chunkJobs(chunk, buildSolvencyTree(statement(n * count), SECRET, B64_N128_K16), count);

  const one = createProvePool({ mode: 'workers', workers: 1 });
  const sj = await timePool(one, chunk, jobs.slice(0, SAMPLES + 1), 'snarkjs').finally(() => one.close());
  await terminateCurves();
  const share = await witnessShare(binary, chunk, jobs);
  const sweep: { p: number; w: number; t: Timed }[] = [];
  for (const [p, w] of [
    [1, 1],
    [2, 1],
    [1, 2],
    [2, 2],
  ] as const) {
    const pool = createRapidsnarkPool({ binary: binary, processes: p, witnessThreads: w });
    const t = await timePool(pool, chunk, jobs.slice(0, SWEEP + 1), `rapidsnark ${p}x${w}`).finally(() =>
      pool.close(),
    );
    sweep.push({ p, w, t });
  }
  const best = sweep.reduce((a, b) => (b.t.wallPerProof < a.t.wallPerProof ? b : a));
  const rs = sweep.find((s) => s.p === 1 && s.w === 1)!.t;
  const perCoreWall = (t: Timed, cores: number) => n / (t.wallPerProof * cores);
  const perCpu = (t: Timed) => n / t.cpuPerProof;
  console.log(
    [
      `chunk proof, snarkjs one thread:   ${f2(sj.wallPerProof)} s wall, ${f2(sj.cpuPerProof)} CPU s; ${f2(perCoreWall(sj, 1))} users/s per core (wall), ${f2(perCpu(sj))} users per CPU second`,
      `chunk proof, rapidsnark (1 x 1):   ${f2(rs.wallPerProof)} s wall on ${CORES} cores, ${f2(rs.cpuPerProof)} CPU s (witness included); ${f2(perCoreWall(rs, CORES))} users/s per core (wall), ${f2(perCpu(rs))} users per CPU second`,
      `  rapidsnark / snarkjs per core:   ${f2(perCoreWall(rs, CORES) / perCoreWall(sj, 1))}x (wall), ${f2(perCpu(rs) / perCpu(sj))}x (CPU) (target >= 4x)`,
      `witness share: witness ${f2(share.wtns)} s (in process, one thread) + rapidsnark ${f2(share.prove)} s (process, alone) = ${f2((100 * share.wtns) / (share.wtns + share.prove))}% witness`,
      `rapidsnark processes x witness threads (${SWEEP} chunk proofs submitted at once, after a warm-up):`,
      ...sweep.map(
        (s) =>
          `  ${s.p} x ${s.w}: ${f2(s.t.wallPerProof)} s wall per proof, ${f2(s.t.cpuPerProof)} CPU s per proof${s === best ? '  <- fastest' : ''}`,
      ),
    ].join('\n'),
  );
}

/** One bundle of USERS users with each backend. */
async function e2ePart(binary: string): Promise<void> {
  const e2eKeys =
    E2E_FAMILY === 'dev'
      ? await ensureDevKeys(B64_N8_K8, {
          checkCommitted: existsSync(path.join(devKeyDirs().committedDir, 'manifest.json')),
        })
      : await benchProductionKeys(B64_N128_K16, (m) => console.error(m));
  const a = await e2e(e2eKeys, { backend: 'snarkjs' });
  const b = await e2e(e2eKeys, { backend: 'rapidsnark', rapidsnarkPath: binary });
  if (a.digest !== b.digest) throw new Error('the two bundles have different digests');
  const label = `${USERS} users, family ${e2eKeys.family.id}${E2E_FAMILY === 'dev' ? ' (DEV family)' : ''}, ${a.proofs} proofs`;
  console.log(
    [
      `end to end (${label}; both bundles verify and have the same digest):`,
      `  snarkjs (one worker per core): ${f2(a.seconds)} s, of which proving and writing ${f2(a.proving)} s (${f2(USERS / a.proving / CORES)} users/s per core)`,
      `  rapidsnark (default pool):     ${f2(b.seconds)} s, of which proving and writing ${f2(b.proving)} s (${f2(USERS / b.proving / CORES)} users/s per core)`,
      `  speed-up of proving:           ${f2(a.proving / b.proving)}x (the rest is the tree, the same for both)`,
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const found = findRapidsnark(undefined);
  if (!found) throw new Error('no rapidsnark: set ZKRESERVE_RAPIDSNARK or put rapidsnark on the PATH');
  await checkRapidsnarkBinary(found.path);
  console.log(`rapidsnark ${found.path}; ${CORES} cores`);
  if (PARTS.includes('chunk')) await chunkPart(found.path);
  if (PARTS.includes('e2e')) await e2ePart(found.path);
  await terminateCurves(); // the verifier's curve threads would keep the process alive
}

await main();
