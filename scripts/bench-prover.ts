// Prover benchmark: npx tsx scripts/bench-prover.ts [userCounts=64,256,512] [--raw-sample=4] [--mode=workers]
// For each user count (dev family b64-n8-k8, insecure dev keys): seconds per chunk proof, users proven per
// second, pipeline overhead (our end-to-end time / the sum of raw snarkjs fullProve times of the same
// proofs, run one after the other with snarkjs' default threading), peak RSS, bundle verify time and one
// user's inclusion verify time; and the leaf-level constraints per user, ours against the naive binary
// Merkle-sum tree at the same chunk size (scripts/bench-constraints.ts covers the production sizes).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { proveSolvency } from '../src/prover/prove-solvency.js';
import type { ProveMode } from '../src/prover/prove-pool.js';
import { readBundle, readPacket } from '../src/bundle-io/read.js';
import { verifyBundle } from '../src/verify/verify-bundle.js';
import { verifyInclusion } from '../src/verify/verify-inclusion.js';
import { buildSolvencyTree } from '../src/tree/solvency-tree.js';
import type { SolvencyStatement } from '../src/tree/solvency-tree.js';
import {
  aggregateInput,
  chunkInput,
  expectedPublicSignals,
  expectedSolvencySignals,
  solvencyInput,
} from '../src/zk/circuit-inputs.js';
import type { CircuitInput } from '../src/zk/circuit-inputs.js';
import { devKeyDirs, ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { B64_N8_K8 } from '../src/protocol/families.js';
import type { CircuitKind } from '../src/protocol/families.js';
import { snarkjs, terminateCurves } from '../src/zk/snarkjs.js';
import { naiveConstraints } from './lib/constraint-counts.js';
import { accountId } from '../src/ledger/account.js';

const args = process.argv.slice(2);
const sizes = (args.find((a) => !a.startsWith('--')) ?? '64,256,512').split(',').map(Number);
const rawSample = Number(args.find((a) => a.startsWith('--raw-sample='))?.split('=')[1] ?? 4);
const mode = (args.find((a) => a.startsWith('--mode='))?.split('=')[1] ?? 'workers') as ProveMode;
const SECRET = new Uint8Array(32).fill(42);
const T = Date.UTC(2025, 5, 30);

function statement(n: number): SolvencyStatement {
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime: T,
    auditHead: { sequence: 1, hash: '5a'.repeat(32) },
    reserves: 10n ** 15n,
    // Real ledger account ids of (USER, USD, reference): the verifier recomputes them from the packet.
    users: Array.from({ length: n }, (_, i) => ({
      accountId: accountId('USER', 'USD', `user-${i}`),
      externalRef: `user-${i}`,
      liability: BigInt(1000 + ((i * 7919) % 100_000)),
    })),
  };
}

const s = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const committed = existsSync(path.join(devKeyDirs().committedDir, 'manifest.json'));
  const keys = await ensureDevKeys(B64_N8_K8, { checkCommitted: committed });
  console.log(`family ${B64_N8_K8.id}, mode ${mode}, raw sample ${rawSample} proofs per circuit`);
  const { chunkUsers: N, balanceBits: B } = B64_N8_K8;
  const ours = keys.manifest.circuits[keys.circuits.chunk.name]!.constraints / N;
  const naive = (await naiveConstraints(N, B)) / N;
  console.log(
    `constraints per user (leaf level, N = ${N}, B = ${B}): ours ${ours.toFixed(1)}, naive ${naive.toFixed(1)}, naive/ours ${(naive / ours).toFixed(2)}`,
  );
  for (const n of sizes) {
    const st = statement(n);
    const tree = buildSolvencyTree(st, SECRET, B64_N8_K8);
    const jobs: { kind: CircuitKind; input: CircuitInput; expected: string[] }[] = [
      ...tree.chunks.map((c) => ({
        kind: 'chunk' as const,
        input: chunkInput(c),
        expected: expectedPublicSignals(c),
      })),
      ...tree.aggregates.flat().map((a) => ({
        kind: 'aggregate' as const,
        input: aggregateInput(tree, a),
        expected: expectedPublicSignals(a),
      })),
      { kind: 'solvency', input: solvencyInput(tree, false), expected: expectedSolvencySignals(tree, false) },
    ];

    // Raw snarkjs: mean fullProve time per circuit over a sample, times the number of proofs of that circuit.
    const rawMean: Partial<Record<CircuitKind, number>> = {};
    for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
      const sample = jobs.filter((j) => j.kind === kind).slice(0, rawSample);
      const c = keys.circuits[kind];
      await snarkjs.groth16.fullProve(sample[0]!.input, c.wasmPath, c.zkeyPath); // warm-up (curve build)
      const t0 = performance.now();
      const results = [];
      for (const j of sample) results.push(await snarkjs.groth16.fullProve(j.input, c.wasmPath, c.zkeyPath));
      rawMean[kind] = (performance.now() - t0) / sample.length;
      // What was timed must have succeeded: each raw proof verifies and has the tree's public signals.
      for (const [i, r] of results.entries()) {
        const got = r.publicSignals.map(String);
        if (got.join() !== sample[i]!.expected.join())
          throw new Error(`raw ${kind} proof: wrong public signals`);
        if (!(await snarkjs.groth16.verify(c.vkey, r.publicSignals, r.proof)))
          throw new Error(`raw ${kind} proof does not verify`);
      }
    }
    await terminateCurves();
    const rawSum = jobs.reduce((acc, j) => acc + rawMean[j.kind]!, 0);

    const work = await mkdtemp(path.join(tmpdir(), 'zkreserve-bench-'));
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    let chunksDoneAt = 0;
    const t0 = performance.now();
    await proveSolvency({
      statement: st,
      secret: SECRET,
      keys,
      outDir: path.join(work, 'bundle'),
      packetsDir: path.join(work, 'packets'),
      allowInsecureDevKeys: true,
      mode,
      onProgress: (p) => {
        if (p.phase === 'chunk' && p.done > 0) chunksDoneAt = performance.now();
      },
    });
    const e2e = performance.now() - t0;
    clearInterval(sampler);

    const bundle = await readBundle(path.join(work, 'bundle'));
    const tv = performance.now();
    const report = await verifyBundle(bundle);
    const verifyMs = performance.now() - tv;
    const packetFile = (await readdir(path.join(work, 'packets')))[0]!;
    const packet = await readPacket(path.join(work, 'packets', packetFile));
    await verifyInclusion(packet, bundle); // warm
    const ti = performance.now();
    const inc = await verifyInclusion(packet, bundle);
    const inclusionMs = performance.now() - ti;
    await terminateCurves();
    // Print no time for work that failed.
    if (!report.ok) throw new Error(`the ${n}-user bundle does not verify: ${report.errors.join('; ')}`);
    if (!inc.ok) throw new Error(`the ${n}-user packet ${packetFile} is refused: ${inc.reason}`);
    await rm(work, { recursive: true, force: true });

    console.log(
      [
        `users ${n}: ${tree.chunks.length} chunks, levels ${tree.levelCounts.join('/')}, ${jobs.length} proofs`,
        `  raw snarkjs fullProve: chunk ${s(rawMean.chunk!)} s, aggregate ${s(rawMean.aggregate!)} s, solvency ${s(rawMean.solvency!)} s; sum ${s(rawSum)} s`,
        `  pipeline: end-to-end ${s(e2e)} s, ${s((chunksDoneAt - t0) / tree.chunks.length)} s per chunk proof (wall, parallel), ${(n / (e2e / 1000)).toFixed(1)} users/s`,
        `  overhead: end-to-end / raw sum = ${(e2e / rawSum).toFixed(3)} (target <= 1.15)`,
        `  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
        `  verify bundle ${s(verifyMs)} s (ok), inclusion ${inclusionMs.toFixed(1)} ms warm (ok; target < 100 ms)`,
      ].join('\n'),
    );
  }
}

await main();
