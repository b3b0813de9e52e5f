// The insecure, deterministic development setup for tests and the demo. Every secret in it is public:
// a proof made with these keys proves nothing (see INSECURE_DEV_KEYS_WARNING).
import { readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { vkeyFileText, vkeyHash } from '../bundle/format.js';
import { sameJson } from '../util/same-json.js';
import { compileCircuit, repoRoot, type CompiledCircuit } from '../zk/compile.js';
import {
  CIRCUIT_KINDS,
  circuitName,
  familySize,
  type CircuitFamily,
  type CircuitKind,
} from '../protocol/families.js';
import { snarkjs, type VerificationKey } from '../zk/snarkjs.js';
import { KeyMismatchError, SnarkjsSetupError } from './errors.js';
import { copyFileAtomic, exists, produceAtomic, writeFileAtomic, writeJsonAtomic } from '../fs/atomic.js';
import { withLock } from '../fs/lock.js';
import { sha256File } from './hashing.js';
import {
  INSECURE_DEV_KEYS_WARNING,
  exportedFiles,
  readManifest,
  type KeyManifest,
  type KeySet,
  type KeySetCircuit,
  type ManifestCircuit,
  type TranscriptEntry,
} from './keyset.js';
import { snarkjsLogger, type ProgressFn } from './progress.js';
import type { PtauRecord } from './ptau.js';
import { readZkeyContributions } from './zkey-info.js';
import { ensureTestPtau16, testPtau16Path } from './test-ptau.js';
import { DEV_PTAU_BLAKE2B, DEV_PTAU_POWER, DEV_PTAU_SHA256 } from './dev-ptau-id.js';

export { DEV_PTAU_BLAKE2B, DEV_PTAU_POWER, DEV_PTAU_SHA256 };
export const DEV_PTAU_BEACON_NAME = 'zkreserve insecure dev beacon';
/** "zkreserve-insecure-dev-only" zero-padded to 32 bytes. */
export const DEV_PTAU_BEACON_HEX = '7a6b726573657276652d696e7365637572652d6465762d6f6e6c79000000000000';
export const DEV_BEACON_ITERATIONS_EXP = 10;

export const DEV_KEY_BEACON_NAME = 'zkreserve insecure dev key';
/** "zkreserve-insecure-dev-key" zero-padded to 32 bytes. */
export const DEV_KEY_BEACON_HEX = '7a6b726573657276652d696e7365637572652d6465762d6b6579000000000000';

/** Where the dev ptau is cached: $ZKRESERVE_CACHE_DIR or ~/.cache/zkreserve (never in git). */
export function devCacheDir(): string {
  return process.env.ZKRESERVE_CACHE_DIR ?? path.join(homedir(), '.cache', 'zkreserve');
}

export interface DevOptions {
  onProgress?: ProgressFn;
}

/**
 * The deterministic 2^12 dev ptau, from the cache or generated (a few minutes: preparePhase2 dominates).
 * A cached file whose sha256 is not DEV_PTAU_SHA256 is regenerated; a generated one that does not match
 * throws (the snarkjs output changed: the pin must be reviewed).
 */
export async function ensureDevPtau(options: DevOptions = {}): Promise<PtauRecord> {
  const { onProgress } = options;
  const dir = devCacheDir();
  const file = path.join(dir, `zkreserve-dev-${DEV_PTAU_POWER}.ptau`);
  const record = (): PtauRecord => ({
    file,
    power: DEV_PTAU_POWER,
    ceremonyPower: DEV_PTAU_POWER,
    blake2b: DEV_PTAU_BLAKE2B,
    sha256: DEV_PTAU_SHA256,
    origin: 'insecure-dev',
    verified: false,
  });
  if ((await exists(file)) && (await sha256File(file)) === DEV_PTAU_SHA256) return record();
  return withLock(path.join(dir, `.zkreserve-dev-${DEV_PTAU_POWER}.ptau.lock`), async () => {
    if (await exists(file)) {
      if ((await sha256File(file)) === DEV_PTAU_SHA256) return record();
      onProgress?.({
        stage: 'dev-ptau',
        message: `cached ${file} does not match the pinned sha256: regenerating`,
      });
    }
    const log = snarkjsLogger(onProgress, 'dev-ptau');
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    await produceAtomic(file, async (tmp) => {
      const p0 = `${tmp}.p0`;
      const p1 = `${tmp}.p1`;
      try {
        onProgress?.({ stage: 'dev-ptau', message: `powersoftau new bn128 ${DEV_PTAU_POWER}` });
        await snarkjs.powersOfTau.newAccumulator(curve, DEV_PTAU_POWER, p0, log);
        onProgress?.({ stage: 'dev-ptau', message: 'powersoftau beacon (insecure, public)' });
        await snarkjs.powersOfTau.beacon(
          p0,
          p1,
          DEV_PTAU_BEACON_NAME,
          DEV_PTAU_BEACON_HEX,
          DEV_BEACON_ITERATIONS_EXP,
          log,
        );
        onProgress?.({ stage: 'dev-ptau', message: 'powersoftau prepare phase2 (takes a few minutes)' });
        await snarkjs.powersOfTau.preparePhase2(p1, tmp, log);
      } finally {
        await rm(p0, { force: true });
        await rm(p1, { force: true });
      }
      const got = await sha256File(tmp);
      if (got !== DEV_PTAU_SHA256) {
        throw new KeyMismatchError(
          `generated dev ptau has sha256 ${got}, expected the pinned ${DEV_PTAU_SHA256} (snarkjs output changed?)`,
        );
      }
    });
    onProgress?.({ stage: 'dev-ptau', message: `dev ptau ready: ${file}` });
    return record();
  });
}

export interface EnsureDevKeysOptions extends DevOptions {
  /** Compare against the committed keys/dev (default true). scripts/update-dev-keys.ts turns it off. */
  checkCommitted?: boolean;
  /** Directory of the committed dev keys to compare against (default <repo>/keys/dev). */
  committedDir?: string;
}

/** Where ensureDevKeys writes (build/keys/dev) and where the committed dev keys live (keys/dev). */
export function devKeyDirs(): { buildDir: string; committedDir: string } {
  const root = repoRoot();
  return { buildDir: path.join(root, 'build', 'keys', 'dev'), committedDir: path.join(root, 'keys', 'dev') };
}

interface DevKeyStamp {
  r1cs: string;
  ptau: string;
  zkey: string;
  vkey: string;
  contributionHash: string;
}

/** zkey new + the deterministic dev beacon for one circuit, into `zkeyPath` (atomic). */
export async function makeDevZkey(
  r1csPath: string,
  ptauPath: string,
  zkeyPath: string,
  name: string,
  onProgress?: ProgressFn,
) {
  const log = snarkjsLogger(onProgress, 'dev-zkey', name);
  await produceAtomic(zkeyPath, async (tmp) => {
    const z0 = `${tmp}.0000`;
    try {
      onProgress?.({ stage: 'dev-zkey', circuit: name, message: `${name}: zkey new` });
      const r = await snarkjs.zKey.newZKey(r1csPath, ptauPath, z0, log);
      if (r === -1 || r === false)
        throw new SnarkjsSetupError(`snarkjs zkey new failed for ${name}: ${log.lines.join('; ')}`);
      onProgress?.({ stage: 'dev-zkey', circuit: name, message: `${name}: zkey beacon (insecure, public)` });
      const b = await snarkjs.zKey.beacon(
        z0,
        tmp,
        DEV_KEY_BEACON_NAME,
        DEV_KEY_BEACON_HEX,
        DEV_BEACON_ITERATIONS_EXP,
        log,
      );
      if (b === false || b === -1)
        throw new SnarkjsSetupError(`snarkjs zkey beacon failed for ${name}: ${log.lines.join('; ')}`);
    } finally {
      await rm(z0, { force: true });
    }
  });
}

/**
 * The insecure dev keys of `family` (compiles its three circuits; zkey new + deterministic beacon against the
 * dev ptau; cached under build/keys/dev). Throws KeyMismatchError when the keys differ from the committed
 * keys/dev (run `npx tsx scripts/update-dev-keys.ts` after a deliberate circuit change).
 */
export async function ensureDevKeys(
  family: CircuitFamily,
  options: EnsureDevKeysOptions = {},
): Promise<KeySet> {
  const { onProgress, checkCommitted = true } = options;
  const { buildDir, committedDir: defaultCommitted } = devKeyDirs();
  const committedDir = options.committedDir ?? defaultCommitted;
  const production = familySize(family) === 'production';
  if (production) {
    onProgress?.({
      stage: 'dev-ptau',
      message: `${family.id}: insecure production-size dev keys from the test ptau ${testPtau16Path()}`,
    });
  }
  const ptau = production
    ? await ensureTestPtau16()
    : await ensureDevPtau({ ...(onProgress ? { onProgress } : {}) });
  const compiled: { kind: CircuitKind; c: CompiledCircuit }[] = [];
  for (const kind of CIRCUIT_KINDS) {
    compiled.push({
      kind,
      c: await compileCircuit(family, kind, {
        onProgress: (message) =>
          onProgress?.({ stage: 'compile', message, circuit: circuitName(family, kind) }),
      }),
    });
  }
  return withLock(path.join(buildDir, `.lock-${family.id}`), async () => {
    const circuits = {} as Record<CircuitKind, KeySetCircuit>;
    const manifestCircuits: Record<string, ManifestCircuit> = {};
    const beacon: TranscriptEntry = {
      index: 1,
      name: DEV_KEY_BEACON_NAME,
      type: 'beacon',
      contributions: {},
      beacon: { hash: DEV_KEY_BEACON_HEX, iterationsExp: DEV_BEACON_ITERATIONS_EXP },
    };
    for (const { kind, c } of compiled) {
      const { name } = c;
      const { stamp, vkey } = await devCircuitKey(c, buildDir, ptau, onProgress);
      const hashes = {
        r1cs: stamp.r1cs,
        wasm: await sha256File(c.wasmPath),
        zkey: stamp.zkey,
        vkey: stamp.vkey,
      };
      circuits[kind] = {
        name,
        wasmPath: c.wasmPath,
        zkeyPath: exportedFiles(buildDir, name).zkey,
        r1csPath: c.r1csPath,
        vkey,
        hashes,
      };
      manifestCircuits[name] = {
        family: family.id,
        kind,
        constraints: c.constraints,
        nPublic: c.nPublic,
        ...hashes,
      };
      beacon.contributions[name] = stamp.contributionHash;
    }
    const manifest: KeyManifest = {
      kind: 'insecure-dev',
      warning: INSECURE_DEV_KEYS_WARNING,
      ptau: { power: ptau.power, sha256: ptau.sha256, blake2b: ptau.blake2b, origin: ptau.origin },
      circuits: manifestCircuits,
      transcript: [beacon],
    };
    const keySet: KeySet = {
      ceremony: 'insecure-dev',
      insecure: true,
      family,
      manifest,
      circuits,
      transcript: manifest.transcript,
    };
    // Only the dev-size keys are committed (keys/dev): the production-size ones are made on each machine.
    if (checkCommitted && !production) await checkAgainstCommitted(keySet, committedDir);
    return keySet;
  });
}

/**
 * One circuit's dev zkey and verification key in `buildDir`: reused when its stamp matches the r1cs, the ptau
 * and the files, else made again (zkey new + the dev beacon) and stamped.
 */
async function devCircuitKey(
  c: CompiledCircuit,
  buildDir: string,
  ptau: PtauRecord,
  onProgress: ProgressFn | undefined,
): Promise<{ stamp: DevKeyStamp; vkey: VerificationKey }> {
  const { name } = c;
  const files = exportedFiles(buildDir, name);
  const stampFile = path.join(buildDir, `${name}.stamp.json`);
  const r1csHash = await sha256File(c.r1csPath);
  let stamp: DevKeyStamp | undefined;
  try {
    stamp = JSON.parse(await readFile(stampFile, 'utf8')) as DevKeyStamp;
  } catch {
    stamp = undefined;
  }
  const fresh =
    stamp &&
    stamp.r1cs === r1csHash &&
    stamp.ptau === ptau.sha256 &&
    (await exists(files.zkey)) &&
    (await exists(files.vkey)) &&
    (await sha256File(files.zkey)) === stamp.zkey &&
    (await sha256File(files.vkey)) === stamp.vkey;
  if (!fresh || !stamp) {
    if (ptau.power >= 16) {
      onProgress?.({
        stage: 'dev-zkey',
        circuit: name,
        message: `${name}: making its dev key (zkey new: about 2 minutes for a chunk circuit, once per machine)`,
      });
    }
    await makeDevZkey(c.r1csPath, ptau.file, files.zkey, name, onProgress);
    const vkey = (await snarkjs.zKey.exportVerificationKey(files.zkey)) as VerificationKey;
    await writeFileAtomic(files.vkey, vkeyFileText(vkey));
    const info = await readZkeyContributions(files.zkey);
    stamp = {
      r1cs: r1csHash,
      ptau: ptau.sha256,
      zkey: await sha256File(files.zkey),
      vkey: await sha256File(files.vkey),
      contributionHash: info.contributions[0]!.contributionHash,
    };
    await writeJsonAtomic(stampFile, stamp);
  } else {
    onProgress?.({ stage: 'dev-zkey', circuit: name, message: `${name}: cached dev key` });
  }
  const vkey = JSON.parse(await readFile(files.vkey, 'utf8')) as VerificationKey;
  return { stamp, vkey };
}

const UPDATE_HINT =
  'If the circuits changed deliberately, regenerate the committed dev keys with `npx tsx scripts/update-dev-keys.ts` and review the diff.';

/** The regenerated dev keys must equal the committed keys/dev/<name>.vkey.json and manifest entries. */
async function checkAgainstCommitted(keySet: KeySet, committedDir: string): Promise<void> {
  let committed: KeyManifest;
  try {
    committed = await readManifest(committedDir);
  } catch (err) {
    throw new KeyMismatchError(
      `no committed dev key manifest in ${committedDir} (${(err as Error).message}). ${UPDATE_HINT}`,
    );
  }
  if (committed.ptau.sha256 !== keySet.manifest.ptau.sha256) {
    throw new KeyMismatchError(
      `committed dev keys were made from ptau sha256 ${committed.ptau.sha256}, this one is ${keySet.manifest.ptau.sha256}. ${UPDATE_HINT}`,
    );
  }
  for (const kind of CIRCUIT_KINDS) {
    const c = keySet.circuits[kind];
    const file = path.join(committedDir, `${c.name}.vkey.json`);
    let vkey: unknown;
    try {
      vkey = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new KeyMismatchError(
        `committed dev verification key ${file} is missing or unreadable (${(err as Error).message}). ${UPDATE_HINT}`,
      );
    }
    if (!sameJson(vkey, c.vkey)) {
      throw new KeyMismatchError(
        `regenerated dev verification key of ${c.name} differs from the committed ${file} ` +
          `(regenerated vkey sha256 ${c.hashes.vkey}, committed ${vkeyHash(vkey)}). ${UPDATE_HINT}`,
      );
    }
    const entry = committed.circuits[c.name];
    if (!entry)
      throw new KeyMismatchError(`${committedDir}/manifest.json has no entry for ${c.name}. ${UPDATE_HINT}`);
    for (const k of ['r1cs', 'zkey', 'vkey'] as const) {
      if (entry[k] !== c.hashes[k]) {
        throw new KeyMismatchError(
          `regenerated dev ${k} of ${c.name} has sha256 ${c.hashes[k]}, the committed manifest says ${entry[k]}. ${UPDATE_HINT}`,
        );
      }
    }
  }
}

/**
 * Write the committed dev keys (keys/dev/<name>.vkey.json and manifest.json) from freshly generated key sets,
 * merging with the entries of other families already there. Used by scripts/update-dev-keys.ts only.
 */
export async function writeCommittedDevKeys(
  keySets: KeySet[],
  committedDir = devKeyDirs().committedDir,
): Promise<string[]> {
  let manifest: KeyManifest | undefined;
  try {
    manifest = await readManifest(committedDir);
  } catch {
    manifest = undefined;
  }
  const written: string[] = [];
  const first = keySets[0];
  if (!first) return written;
  const next: KeyManifest = {
    kind: 'insecure-dev',
    warning: INSECURE_DEV_KEYS_WARNING,
    ptau: first.manifest.ptau,
    circuits: manifest && manifest.ptau.sha256 === first.manifest.ptau.sha256 ? { ...manifest.circuits } : {},
    transcript: [{ ...first.manifest.transcript[0]!, contributions: {} }],
  };
  if (manifest && manifest.ptau.sha256 === first.manifest.ptau.sha256) {
    next.transcript[0]!.contributions = { ...(manifest.transcript[0]?.contributions ?? {}) };
  }
  for (const ks of keySets) {
    for (const kind of CIRCUIT_KINDS) {
      const c = ks.circuits[kind];
      const file = path.join(committedDir, `${c.name}.vkey.json`);
      await copyFileAtomic(path.join(devKeyDirs().buildDir, `${c.name}.vkey.json`), file);
      written.push(file);
      next.circuits[c.name] = ks.manifest.circuits[c.name]!;
      next.transcript[0]!.contributions[c.name] = ks.manifest.transcript[0]!.contributions[c.name]!;
    }
  }
  next.circuits = Object.fromEntries(Object.entries(next.circuits).sort(([a], [b]) => a.localeCompare(b)));
  next.transcript[0]!.contributions = Object.fromEntries(
    Object.entries(next.transcript[0]!.contributions).sort(([a], [b]) => a.localeCompare(b)),
  );
  const mfile = path.join(committedDir, 'manifest.json');
  await writeJsonAtomic(mfile, next);
  written.push(mfile);
  return written;
}
