// The proof pipeline: statement -> tree -> chunk, aggregation and solvency proofs -> bundle + packets.
// Steps: check the keys; build the tree and refuse an insolvent statement before any output; check the
// output directories; prove every job (src/prover/plan.ts, run-proofs.ts) into temporary sibling
// directories (output-dirs.ts) and rename them into place at the end, so a failed or interrupted run leaves
// earlier outputs untouched.
import path from 'node:path';
import { assertKeysAllowed } from '../setup/keyset.js';
import type { KeySet } from '../setup/keyset.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import { terminateCurves } from '../zk/snarkjs.js';
import type { SolvencyStatement, SolvencyTree } from '../tree/solvency-tree.js';
import type { BundleData, BundleManifest, ProofWithSignals } from '../bundle/format.js';
import { writeBundle } from '../bundle-io/write.js';
import { MIN_THREADED_PACKETS, writePackets } from '../bundle-io/packet-writers.js';
import { buildSolvencyTreeParallel } from '../tree-build/build-tree.js';
import { checkKeys } from './check-keys.js';
import { InsolventError } from './errors.js';
import { buildManifest } from './manifest.js';
import { checkOutputDirs, commitStaging, createStaging, discardStaging, stagingDirs } from './output-dirs.js';
import type { OutputDirs } from './output-dirs.js';
import { packetBatches } from './packets.js';
import { planProofs } from './plan.js';
import { createProvePool } from './prove-pool.js';
import type { ProveMode, ProvePool, ProvePoolOptions } from './prove-pool.js';
import { runProofs } from './run-proofs.js';
import { loadSavedProofs, openWorkDir, workIdentity } from './work-dir.js';
import type { ProveProgress } from './run-proofs.js';

export type { ProvePhase, ProveProgress } from './run-proofs.js';

export interface ProveSolvencyOptions {
  statement: SolvencyStatement;
  /** Operator secret (>= 32 bytes): derives every salt. */
  secret: Uint8Array;
  keys: KeySet;
  /** Bundle directory (public). */
  outDir: string;
  /** Directory of per-user inclusion packets (private; never inside the bundle). */
  packetsDir: string;
  allowInsecureDevKeys?: boolean;
  /** Disclose the total liabilities in the solvency proof (default false). */
  publishTotal?: boolean;
  /** Pad the tree with whole padding chunks to at least this many leaf slots. */
  padToUsers?: number;
  /** Replace non-empty output directories. */
  force?: boolean;
  onProgress?: (p: ProveProgress) => void;
  /**
   * Keep every accepted proof in a work directory beside the bundle and reuse a killed run's (default
   * true; work-dir.ts). False proves everything afresh and leaves no work directory.
   */
  resume?: boolean;
  /** Called once the work directory is read, before any proving: how many proofs a rerun reuses. */
  onResume?: (info: ResumeInfo) => void;
  /** Parallelism strategy (default: one single-threaded worker per core). */
  mode?: ProveMode;
  workers?: number;
  /** A proving backend to use instead of a local pool (e.g. the queue coordinator); its creator closes it. */
  pool?: ProvePool;
  /** The proving backend and, for rapidsnark, its binary (default snarkjs; see src/cli/prover-options.ts). */
  prover?: Pick<ProvePoolOptions, 'backend' | 'rapidsnarkPath'>;
}

/** What a run found in its work directory. */
export interface ResumeInfo {
  workDir: string;
  /** Proofs reused (re-checked: expected public signals and Groth16 verify). */
  resumed: number;
  /** Saved proofs refused by that check (deleted, proved again), with why. */
  discarded: { id: string; reason: string }[];
  total: number;
}

export interface ProveSolvencyResult {
  outDir: string;
  packetsDir: string;
  manifest: BundleManifest;
  /** Proof count (chunks + aggregations + 1). */
  proofs: number;
  userCount: number;
  root: string;
}

/** Builds the tree, refuses an insolvent statement, then checks the output directories (nothing written). */
async function prepare(options: ProveSolvencyOptions, dirs: OutputDirs): Promise<SolvencyTree> {
  const tree = await buildSolvencyTreeParallel(options.statement, options.secret, options.keys.family, {
    ...(options.padToUsers !== undefined ? { padToUsers: options.padToUsers } : {}),
  });
  if (tree.total > tree.reserves) throw new InsolventError(tree.currency, tree.total, tree.reserves);
  await checkOutputDirs(dirs, options.force ?? false);
  return tree;
}

/** Writes the bundle and one packet per user into the staging directories, a few chunks' packets at a time (on writer threads for large trees). */
async function writeOutputs(
  staging: OutputDirs,
  tree: SolvencyTree,
  keys: KeySet,
  manifest: BundleManifest,
  proofs: Record<string, ProofWithSignals>,
): Promise<void> {
  const vkeys = Object.fromEntries(
    CIRCUIT_KINDS.map((k) => [k, keys.circuits[k].vkey]),
  ) as BundleData['vkeys'];
  await writeBundle(staging.outDir, { manifest, vkeys, proofs });
  const small = tree.users.length < MIN_THREADED_PACKETS;
  await writePackets(staging.packetsDir, packetBatches(tree), small ? { workers: 0 } : {});
}

/** Proves everything into the staging directories and moves them into place. */
async function proveAndWrite(
  options: ProveSolvencyOptions,
  pool: ProvePool,
  tree: SolvencyTree,
  dirs: OutputDirs,
): Promise<ProveSolvencyResult> {
  const { keys, onProgress } = options;
  const publishTotal = options.publishTotal ?? false;
  const staging = stagingDirs(dirs);
  const jobs = planProofs(tree, publishTotal);
  const work =
    options.resume === false
      ? undefined
      : await openWorkDir(dirs, workIdentity(tree, keys, { publishTotal, padToUsers: options.padToUsers }));
  try {
    const saved = work ? await loadSavedProofs(work, keys, jobs) : { accepted: {}, discarded: [] };
    if (work) {
      const resumed = Object.keys(saved.accepted).length;
      options.onResume?.({ workDir: work.dir, resumed, discarded: saved.discarded, total: jobs.length });
    }
    const proofs = await runProofs(pool, keys, jobs, {
      ...(onProgress ? { onProgress } : {}),
      done: saved.accepted,
      ...(work ? { onAccepted: (id: string, p: ProofWithSignals) => work.save(id, p) } : {}),
    });
    const manifest = buildManifest(tree, keys, publishTotal);
    onProgress?.({ done: jobs.length, total: jobs.length, phase: 'write' });
    await work?.recordStaging(staging);
    await createStaging(staging, dirs);
    await writeOutputs(staging, tree, keys, manifest, proofs);
    await commitStaging(staging, dirs);
    await work?.remove();
    const root = tree.top.root.toString();
    return { ...dirs, manifest, proofs: jobs.length, userCount: tree.userCount, root };
  } catch (e) {
    await discardStaging(staging);
    throw e;
  }
}

/**
 * Proves that the statement's user liabilities are covered by its reserves and writes the bundle into
 * `outDir` and one inclusion packet per user into `packetsDir`.
 */
export async function proveSolvency(options: ProveSolvencyOptions): Promise<ProveSolvencyResult> {
  const { keys } = options;
  assertKeysAllowed(keys, { allowInsecureDevKeys: options.allowInsecureDevKeys ?? false });
  checkKeys(keys);

  // Start the workers first: they load snarkjs and build their curves while the tree is computed.
  const pool =
    options.pool ??
    createProvePool({
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
      ...options.prover,
    });
  const dirs: OutputDirs = {
    outDir: path.resolve(options.outDir),
    packetsDir: path.resolve(options.packetsDir),
  };
  try {
    const tree = await prepare(options, dirs);
    return await proveAndWrite(options, pool, tree, dirs);
  } finally {
    if (!options.pool) await pool.close();
    await terminateCurves();
  }
}
