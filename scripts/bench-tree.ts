// Tree benchmark: npx tsx scripts/bench-tree.ts [userCounts=100000,1000000] [--workers=N] [--writers=N] [--old=500]
// For each user count, in a child process of its own (so that its peak RSS is its own): a synthetic
// statement (account ids as the ledger derives them, src/protocol/account-id.ts; pseudo-random balances),
// the production family b64-n128-k16, no proving. Times the tree build on worker threads
// (buildSolvencyTreeParallel) and the packets written to a temp dir as prove writes them (packetBatches +
// writePackets, on writer threads), and reads the process's peak RSS (VmHWM). Before printing it checks what it
// built: a packet file per user; a sample of packets, read back from disk, whose paths lead from the leaf
// (recomputed from the packet) through the chunk and aggregation roots to the top root; the total; and, at
// the --old size, the whole tree equal to the reference build (the previous implementation, poseidon-lite,
// every path re-hashed), whose rate it prints for comparison.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePacket } from '../src/bundle/packet.js';
import { writePackets } from '../src/bundle-io/packet-writers.js';
import { leafHash, poseidon, userCommitment } from '../src/crypto/poseidon.js';
import { ledgerAccountId } from '../src/protocol/account-id.js';
import { accountField } from '../src/protocol/encoding.js';
import { B64_N128_K16 } from '../src/protocol/families.js';
import { packetBatches } from '../src/prover/packets.js';
import { rootFromPath } from '../src/tree/chunk-tree.js';
import { childNodes } from '../src/tree/solvency-tree.js';
import type { SolvencyStatement, SolvencyTree } from '../src/tree/solvency-tree.js';
import { buildSolvencyTreeParallel } from '../src/tree-build/build-tree.js';
import { buildReferenceTree } from '../test/tree/reference-tree.js';
import { treeFacts } from '../test/tree/tree-facts.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SECRET = new Uint8Array(32).fill(42);
const T = Date.UTC(2025, 5, 30);
const FAMILY = B64_N128_K16;

function statement(n: number): SolvencyStatement {
  let x = 0x243f6a8885a308d3n;
  const users = Array.from({ length: n }, (_, i) => {
    x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    const externalRef = `user-${i}`;
    return { accountId: ledgerAccountId('USER', 'USD', externalRef), externalRef, liability: x % 10n ** 10n };
  });
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime: T,
    auditHead: { sequence: 1, hash: 'ab'.repeat(32) },
    reserves: 1n << 90n,
    users,
  };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench-tree: check failed: ${what}`);
}

/** The top root recomputed from a chunk root through the aggregation levels (children from the tree). */
function rootAbove(tree: SolvencyTree, chunk: number, chunkRoot: bigint): bigint {
  let root = chunkRoot;
  let index = chunk;
  const K = FAMILY.aggChildren;
  for (const level of tree.aggregates) {
    const node = level[Math.floor(index / K)]!;
    root = poseidon(childNodes(tree, node).map((c, i) => (i === index % K ? root : (c?.root ?? 0n))));
    index = Math.floor(index / K);
  }
  return root;
}

/** Reads a sample of the written packets back and verifies each path up to the top root. */
async function checkPackets(tree: SolvencyTree, st: SolvencyStatement, dir: string): Promise<number> {
  const files = await readdir(dir);
  check(files.length === st.users.length, `${files.length} packet files for ${st.users.length} users`);
  const step = Math.max(1, Math.floor(files.length / 200));
  let checked = 0;
  for (let i = 0; i < files.length; i += step, checked++) {
    const p = parsePacket(await readFile(path.join(dir, files[i]!), 'utf8'));
    const leaf = leafHash(userCommitment(accountField(p.accountId), BigInt(p.salt)), BigInt(p.balance));
    const siblings = p.siblings.map((l) => l.map(BigInt));
    const chunkRoot = rootFromPath(leaf, p.leaf, siblings, FAMILY.chunkUsers);
    check(chunkRoot === tree.chunks[p.chunk]!.root, `packet ${p.accountId}: chunk root`);
    check(rootAbove(tree, p.chunk, chunkRoot).toString() === p.root, `packet ${p.accountId}: top root`);
    check(p.root === tree.top.root.toString(), `packet ${p.accountId}: root is the tree's`);
  }
  return checked;
}

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

/** One size, in this process: prints one JSON line. */
async function runOne(
  n: number,
  workers: number | undefined,
  writers: number | undefined,
  withOld: boolean,
): Promise<void> {
  const st = statement(n);
  const dir = await mkdtemp(path.join(tmpdir(), 'zkr-bench-tree-'));
  let ok = false;
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const tree = await buildSolvencyTreeParallel(st, SECRET, FAMILY, workers ? { workers } : {});
    const t1 = performance.now();
    await writePackets(dir, packetBatches(tree), writers !== undefined ? { workers: writers } : {});
    const t2 = performance.now();
    const c1 = process.cpuUsage(c0);
    const cpu = (c1.user + c1.system) / 1e6;
    const rss = peakRssMiB();
    check(tree.total === st.users.reduce((s, u) => s + u.liability, 0n), 'total');
    const sampled = await checkPackets(tree, st, dir);
    let old: number | null = null;
    if (withOld) {
      const t3 = performance.now();
      const reference = buildReferenceTree(st, SECRET, FAMILY);
      old = (performance.now() - t3) / 1000;
      check(
        JSON.stringify(treeFacts(reference)) === JSON.stringify(treeFacts(tree)),
        'tree equals the reference build',
      );
    }
    const out = { n, chunks: tree.chunks.length, tree: (t1 - t0) / 1000, packets: (t2 - t1) / 1000 };
    console.log(JSON.stringify({ ...out, cpu, rss, sampled, old, dir }));
    ok = true;
  } finally {
    // Kept for the parent to delete after every run: deleting a million files keeps this machine's disk
    // busy for minutes (online discard), which would be charged to the next run.
    if (!ok) await rm(dir, { recursive: true, force: true });
  }
}

/** One run's figures, as the child prints them. */
interface Row {
  n: number;
  chunks: number;
  tree: number;
  packets: number;
  cpu: number;
  rss: number;
  old: number | null;
  dir: string;
}

function runChild(n: number, extra: string[]): Row {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, script, `--one=${n}`, ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench-tree: the run for ${n} users failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Row;
}

async function main(): Promise<void> {
  const workers = opt('workers') ? Number(opt('workers')) : undefined;
  const one = opt('one');
  const writers = opt('writers') ? Number(opt('writers')) : undefined;
  if (one !== undefined) return runOne(Number(one), workers, writers, args.includes('--with-old'));
  const sizes = (args.find((a) => !a.startsWith('--')) ?? '100000,1000000').split(',').map(Number);
  const oldSize = Number(opt('old') ?? 500);
  const extra = [
    ...(workers ? [`--workers=${workers}`] : []),
    ...(writers !== undefined ? [`--writers=${writers}`] : []),
  ];
  const load = loadavg()[0]!.toFixed(1);
  console.log(
    `bench-tree: ${FAMILY.id}, ${workers ?? availableParallelism()} hashing workers, ${availableParallelism()} cores, load average ${load}`,
  );
  const rows = [...(oldSize > 0 ? [runChild(oldSize, [...extra, '--with-old'])] : [])];
  try {
    for (const n of sizes) rows.push(runChild(n, extra));
  } finally {
    for (const r of rows) await rm(r.dir, { recursive: true, force: true });
  }
  console.log('users      chunks  tree s  packets s  total s  users/s  CPU s  peak RSS MiB');
  for (const r of rows) {
    const total = r.tree + r.packets;
    console.log(
      [
        String(r.n).padEnd(10),
        String(r.chunks).padStart(6),
        r.tree.toFixed(1).padStart(7),
        r.packets.toFixed(1).padStart(10),
        total.toFixed(1).padStart(8),
        Math.round(r.n / total)
          .toString()
          .padStart(8),
        r.cpu.toFixed(1).padStart(6),
        Math.round(r.rss).toString().padStart(13),
      ].join(' '),
    );
  }
  const ref = rows[0]!;
  if (oldSize > 0 && ref.old !== null) {
    console.log(
      `reference build (previous implementation) at ${ref.n} users: ${ref.old.toFixed(1)} s, ` +
        `${Math.round(ref.n / ref.old)} users/s (tree only, one thread); equal to the new build`,
    );
  }
  console.log('CPU s: user + system time of the process, all threads (tree and packets)');
  console.log(`every run checked: one packet per user, ~200 sampled packets verified up to the root`);
}

await main();
