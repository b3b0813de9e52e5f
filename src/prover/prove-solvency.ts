// The proof pipeline: statement -> tree -> chunk, aggregation and solvency proofs -> bundle + packets.
// Everything is written into temporary sibling directories and renamed into place at the end, so a
// failed or interrupted run leaves earlier outputs untouched.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { replaceDir } from '../fs/atomic.js';
import { assertKeysAllowed } from '../setup/keyset.js';
import type { KeySet } from '../setup/keyset.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import type { CircuitKind } from '../protocol/families.js';
import { terminateCurves } from '../zk/snarkjs.js';
import { buildSolvencyTree } from '../tree/solvency-tree.js';
import type { SolvencyStatement, SolvencyTree } from '../tree/solvency-tree.js';
import {
  aggregateInput,
  chunkInput,
  expectedPublicSignals,
  expectedSolvencySignals,
  solvencyInput,
} from '../zk/circuit-inputs.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import { SOLVENCY_PROOF_ID, proofId, vkeyHash } from '../bundle/format.js';
import type { BundleData, BundleManifest, InclusionPacket, ProofWithSignals } from '../bundle/format.js';
import { writeBundle, writePacket } from '../bundle-io/write.js';
import { buildManifest } from './manifest.js';
import { buildPackets } from './packets.js';
import { createProvePool } from './prove-pool.js';
import type { ProveMode } from './prove-pool.js';
import { InsolventError, OutputExistsError, ProofGenerationError, ProverKeysError } from './errors.js';

export type ProvePhase = 'chunk' | 'aggregate' | 'solvency' | 'write';

export interface ProveProgress {
  done: number;
  total: number;
  phase: ProvePhase;
}

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
  /** Parallelism strategy (default: one single-threaded worker per core). */
  mode?: ProveMode;
  workers?: number;
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

interface Job {
  id: string;
  kind: CircuitKind;
  input: CircuitInput;
  expected: string[];
}

function listJobs(tree: SolvencyTree, publishTotal: boolean): Job[] {
  const jobs: Job[] = [];
  for (const c of tree.chunks) {
    jobs.push({
      id: proofId(0, c.index),
      kind: 'chunk',
      input: chunkInput(c),
      expected: expectedPublicSignals(c),
    });
  }
  for (const level of tree.aggregates) {
    for (const a of level) {
      jobs.push({
        id: proofId(a.level, a.index),
        kind: 'aggregate',
        input: aggregateInput(tree, a),
        expected: expectedPublicSignals(a),
      });
    }
  }
  jobs.push({
    id: SOLVENCY_PROOF_ID,
    kind: 'solvency',
    input: solvencyInput(tree, publishTotal),
    expected: expectedSolvencySignals(tree, publishTotal),
  });
  return jobs;
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return true;
    throw e;
  }
}

function checkKeys(keys: KeySet): void {
  const family = keys.family;
  const nPublic: Record<CircuitKind, number> = {
    chunk: 2,
    aggregate: 2 + 2 * family.aggChildren,
    solvency: 9,
  };
  for (const kind of CIRCUIT_KINDS) {
    const c = keys.circuits[kind];
    if (!c) throw new ProverKeysError(`key set has no ${kind} circuit`);
    if (c.vkey.nPublic !== nPublic[kind]) {
      throw new ProverKeysError(
        `${kind} verification key has ${c.vkey.nPublic} public signals; family ${family.id} needs ${nPublic[kind]}`,
      );
    }
    const h = vkeyHash(c.vkey);
    if (h !== c.hashes.vkey) {
      throw new ProverKeysError(
        `${kind} verification key does not hash to the key set's vkey hash ${c.hashes.vkey}`,
      );
    }
  }
}

/**
 * Proves that the statement's user liabilities are covered by its reserves and writes the bundle into
 * `outDir` and one inclusion packet per user into `packetsDir`.
 */
export async function proveSolvency(options: ProveSolvencyOptions): Promise<ProveSolvencyResult> {
  const { statement, secret, keys, onProgress } = options;
  const publishTotal = options.publishTotal ?? false;
  assertKeysAllowed(keys, { allowInsecureDevKeys: options.allowInsecureDevKeys ?? false });
  checkKeys(keys);

  // Start the workers first: they load snarkjs and build their curves while the tree is computed.
  const pool = createProvePool({
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
  });
  const outDir = path.resolve(options.outDir);
  const packetsDir = path.resolve(options.packetsDir);
  let tree: SolvencyTree;
  try {
    tree = buildSolvencyTree(statement, secret, keys.family, {
      ...(options.padToUsers !== undefined ? { padToUsers: options.padToUsers } : {}),
    });
    if (tree.total > tree.reserves) throw new InsolventError(tree.currency, tree.total, tree.reserves);
    if (outDir === packetsDir || packetsDir.startsWith(outDir + path.sep)) {
      throw new InvalidArgumentError(
        `packets directory ${packetsDir} lies inside the bundle ${outDir}: packets are private and must stay out of it`,
      );
    }
    if (!options.force) {
      if (await isNonEmptyDir(outDir)) throw new OutputExistsError(outDir);
      if (await isNonEmptyDir(packetsDir)) throw new OutputExistsError(packetsDir);
    }
  } catch (e) {
    await pool.close();
    throw e;
  }

  const tag = randomBytes(6).toString('hex');
  const tmpOut = `${outDir}.partial-${tag}`;
  const tmpPackets = `${packetsDir}.partial-${tag}`;
  const jobs = listJobs(tree, publishTotal);
  const total = jobs.length;
  let done = 0;
  let success = false;
  try {
    await mkdir(path.dirname(outDir), { recursive: true });
    await mkdir(path.dirname(packetsDir), { recursive: true });
    await mkdir(tmpOut);
    await mkdir(tmpPackets);
    onProgress?.({ done, total, phase: 'chunk' });

    const proofs: Record<string, ProofWithSignals> = {};
    await Promise.all(
      jobs.map(async (job) => {
        const c = keys.circuits[job.kind];
        const r = await pool.prove({
          id: job.id,
          wasmPath: c.wasmPath,
          zkeyPath: c.zkeyPath,
          input: job.input,
        });
        const got = r.publicSignals.map(String);
        if (got.length !== job.expected.length || got.some((v, i) => v !== job.expected[i])) {
          throw new ProofGenerationError(
            `proof ${job.id}: the circuit's public signals differ from the tree's (circuit/protocol mismatch)`,
          );
        }
        proofs[job.id] = { proof: r.proof, publicSignals: got };
        done++;
        onProgress?.({ done, total, phase: job.kind });
      }),
    );

    const manifest = buildManifest(tree, keys, publishTotal);
    const vkeys = Object.fromEntries(
      CIRCUIT_KINDS.map((k) => [k, keys.circuits[k].vkey]),
    ) as BundleData['vkeys'];
    onProgress?.({ done, total, phase: 'write' });
    await writeBundle(tmpOut, { manifest, vkeys, proofs });
    const packets: InclusionPacket[] = buildPackets(tree);
    for (const p of packets) await writePacket(tmpPackets, p);

    await replaceDir(tmpOut, outDir);
    await replaceDir(tmpPackets, packetsDir);
    success = true;
    return {
      outDir,
      packetsDir,
      manifest,
      proofs: total,
      userCount: tree.userCount,
      root: tree.top.root.toString(),
    };
  } finally {
    await pool.close();
    await terminateCurves();
    if (!success) {
      await rm(tmpOut, { recursive: true, force: true });
      await rm(tmpPackets, { recursive: true, force: true });
    }
  }
}
