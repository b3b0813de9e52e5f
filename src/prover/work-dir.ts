// Resumable proving: the work directory `<outDir>.work-<hash>` beside the bundle keeps every accepted proof
// (one file per proof, written atomically as soon as it is accepted). Its name is a hash of everything the
// proofs depend on: the statement (currency, T, audit head, reserves, and the tree's top root and sum
// commitment, which commit to every balance and salt, hence to the secret), the key hashes and the options.
// A rerun of the same run finds it, re-checks every proof in it (Groth16 verify plus the expected public
// signals) and proves only what is missing; any other run has another hash and never sees it.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ProofWithSignals } from '../bundle/format.js';
import { bytesToHex, sha256 } from '../crypto/sha256.js';
import { writeJsonAtomic } from '../fs/atomic.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import type { KeySet } from '../setup/keyset.js';
import type { SolvencyTree } from '../tree/solvency-tree.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { CanonicalValue } from '../util/canonical-json.js';
import { refuseProof } from './accept-proof.js';
import type { OutputDirs } from './output-dirs.js';
import type { ProofJob } from './plan.js';

/** Bumped when the layout or the meaning of the work directory changes (old ones are then ignored). */
const WORK_VERSION = 'zkreserve-work/1';
const PROOF_FILE = /^(L\d+-\d+|solvency)\.json$/;

/** What a run's proofs depend on, in the work directory's work.json (its hash names the directory). */
export interface WorkIdentity {
  [key: string]: CanonicalValue;
}

/** The options that change the proofs. */
export interface WorkOptions {
  publishTotal: boolean;
  padToUsers: number | undefined;
}

/** Everything that changes a proof or the bundle: statement, keys and options. */
export function workIdentity(tree: SolvencyTree, keys: KeySet, options: WorkOptions): WorkIdentity {
  const keyHashes: { [kind: string]: CanonicalValue } = {};
  for (const kind of CIRCUIT_KINDS) keyHashes[kind] = { ...keys.circuits[kind].hashes };
  return {
    version: WORK_VERSION,
    currency: tree.currency,
    decimals: tree.decimals,
    currencyId: tree.currencyId,
    snapshotTime: tree.snapshotTime,
    auditHead: { sequence: tree.auditHead.sequence, hash: tree.auditHead.hash },
    reserves: tree.reserves,
    userCount: tree.userCount,
    paddedUsers: tree.paddedUsers,
    levels: [...tree.levelCounts],
    root: tree.top.root,
    sumCommit: tree.top.sumCommit,
    family: tree.family.id,
    keys: keyHashes,
    publishTotal: options.publishTotal,
    padToUsers: options.padToUsers ?? null,
  };
}

/** sha256 (hex) of the identity's canonical JSON. */
export function workHash(identity: WorkIdentity): string {
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(identity))));
}

/** `<outDir>.work-<first 16 hex of the hash>`, beside the bundle directory. */
export function workDirFor(dirs: OutputDirs, hash: string): string {
  return `${dirs.outDir}.work-${hash.slice(0, 16)}`;
}

/** A run's work directory: where its accepted proofs are kept until the bundle is in place. */
export interface WorkDir {
  dir: string;
  hash: string;
  /** Saves one accepted proof (atomic: a crash leaves the whole file or none). */
  save(id: string, proof: ProofWithSignals): Promise<void>;
  /** Records the staging directories of the final write, so that a rerun removes them if it was killed. */
  recordStaging(staging: OutputDirs): Promise<void>;
  /** Removes the work directory (after the bundle is committed). */
  remove(): Promise<void>;
}

/** Opens (creating it if needed) the work directory of this identity and removes a killed run's leftovers. */
export async function openWorkDir(dirs: OutputDirs, identity: WorkIdentity): Promise<WorkDir> {
  const hash = workHash(identity);
  const dir = workDirFor(dirs, hash);
  const proofsDir = path.join(dir, 'proofs');
  await mkdir(proofsDir, { recursive: true, mode: 0o700 });
  await writeJsonAtomic(path.join(dir, 'work.json'), { hash, identity: JSON.parse(canonicalJson(identity)) });
  await removeLeftoverStaging(dir);
  for (const name of await readdir(proofsDir)) {
    if (name.endsWith('.tmp')) await rm(path.join(proofsDir, name), { force: true });
  }
  return {
    dir,
    hash,
    save: (id, proof) => writeJsonAtomic(path.join(proofsDir, `${id}.json`), proof),
    recordStaging: (staging) => writeJsonAtomic(path.join(dir, 'staging.json'), staging),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A killed final write leaves its `.partial-*` staging directories: remove those this run recorded. */
async function removeLeftoverStaging(dir: string): Promise<void> {
  const file = path.join(dir, 'staging.json');
  let staging: Partial<OutputDirs>;
  try {
    staging = JSON.parse(await readFile(file, 'utf8')) as Partial<OutputDirs>;
  } catch {
    return;
  }
  for (const d of [staging.outDir, staging.packetsDir]) {
    if (typeof d === 'string' && /\.partial-[0-9a-f]{12}$/.test(d))
      await rm(d, { recursive: true, force: true });
  }
  await rm(file, { force: true });
}

/** The proofs found in a work directory: accepted ones by id, and the ids of those discarded. */
export interface ResumedProofs {
  accepted: Record<string, ProofWithSignals>;
  discarded: { id: string; reason: string }[];
}

/**
 * Reads the proofs saved in `work` and accepts each one only as a fresh proof would be (refuseProof: the
 * public signals this tree expects, and Groth16 verify under the key set's verification key). A refused or
 * unreadable file is deleted so that its job is proved again.
 */
export async function loadSavedProofs(
  work: WorkDir,
  keys: KeySet,
  jobs: readonly ProofJob[],
): Promise<ResumedProofs> {
  const proofsDir = path.join(work.dir, 'proofs');
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const accepted: Record<string, ProofWithSignals> = {};
  const discarded: { id: string; reason: string }[] = [];
  for (const name of (await readdir(proofsDir)).sort()) {
    const m = PROOF_FILE.exec(name);
    const file = path.join(proofsDir, name);
    const job = m ? byId.get(m[1]!) : undefined;
    if (!m || !job) continue;
    let saved: ProofWithSignals;
    try {
      saved = JSON.parse(await readFile(file, 'utf8')) as ProofWithSignals;
    } catch (e) {
      discarded.push({ id: job.id, reason: `unreadable (${(e as Error).message})` });
      await rm(file, { force: true });
      continue;
    }
    const expected = job.expected();
    const reason = await refuseProof(keys.circuits[job.kind].vkey, expected, saved);
    if (reason) {
      discarded.push({ id: job.id, reason });
      await rm(file, { force: true });
      continue;
    }
    accepted[job.id] = { proof: saved.proof, publicSignals: expected };
  }
  return { accepted, discarded };
}
