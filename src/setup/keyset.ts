// Key sets: the proving/verification keys of one circuit family, their manifest, and the guard that
// keeps insecure development keys out of production.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CIRCUIT_KINDS, circuitName, type CircuitFamily, type CircuitKind } from '../protocol/families.js';
import { INSECURE_DEV_KEYS_WARNING } from '../protocol/insecure-keys.js';
import type { VerificationKey } from '../zk/snarkjs.js';
import { CeremonyStateError, InsecureKeysError, KeyMismatchError } from './errors.js';
import { sha256File } from './hashing.js';
import type { PtauOrigin } from './ptau.js';

/** Shown whenever insecure development keys are in use (its text lives in protocol/insecure-keys.ts). */
export { INSECURE_DEV_KEYS_WARNING };

export type CeremonyKind = 'insecure-dev' | 'ceremony';

export interface ArtifactHashes {
  r1cs: string;
  wasm: string;
  zkey: string;
  vkey: string;
}

/** One entry of the transcript: a contribution (or the final beacon) applied to every circuit. */
export interface TranscriptEntry {
  /** 1-based, the same for every circuit (every contribution covers every circuit). */
  index: number;
  name: string;
  type: 'contribution' | 'beacon';
  /** Circuit name -> blake2b-512 contribution hash, as `snarkjs zkey verify` prints it. */
  contributions: Record<string, string>;
  beacon?: { hash: string; iterationsExp: number };
}

export interface ManifestCircuit {
  /** Absent for circuits that are not of a zkreserve family (tests, other projects). */
  family?: string;
  kind?: CircuitKind;
  constraints: number;
  nPublic: number;
  /** Hashes (sha256 hex) of the exported files. */
  r1cs: string;
  wasm: string;
  zkey: string;
  vkey: string;
}

export interface KeyManifest {
  kind: CeremonyKind;
  warning?: string;
  ptau: { power: number; sha256: string; blake2b: string; origin: PtauOrigin; hermezFile?: string };
  circuits: Record<string, ManifestCircuit>;
  transcript: TranscriptEntry[];
}

export interface KeySetCircuit {
  name: string;
  wasmPath: string;
  zkeyPath: string;
  r1csPath: string;
  vkey: VerificationKey;
  hashes: ArtifactHashes;
}

export interface KeySet {
  ceremony: CeremonyKind;
  insecure: boolean;
  family: CircuitFamily;
  manifest: KeyManifest;
  circuits: Record<CircuitKind, KeySetCircuit>;
  transcript: TranscriptEntry[];
}

/** File names of an exported key set, inside its directory. */
export function exportedFiles(dir: string, name: string) {
  return {
    zkey: path.join(dir, `${name}.zkey`),
    vkey: path.join(dir, `${name}.vkey.json`),
    wasm: path.join(dir, `${name}.wasm`),
    r1cs: path.join(dir, `${name}.r1cs`),
  };
}

export async function readManifest(dir: string): Promise<KeyManifest> {
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CeremonyStateError(`cannot read key manifest ${file}: ${(err as Error).message}`);
  }
  const m = JSON.parse(text) as KeyManifest;
  if ((m.kind !== 'insecure-dev' && m.kind !== 'ceremony') || !m.circuits || !Array.isArray(m.transcript)) {
    throw new CeremonyStateError(`${file} is not a zkreserve key manifest`);
  }
  return m;
}

/**
 * Load the keys of `family` exported into `dir` (by `setupExport`, or the dev keys): reads manifest.json and
 * checks every file's sha256 against it (throws KeyMismatchError on any difference).
 */
export async function loadKeySet(dir: string, family: CircuitFamily): Promise<KeySet> {
  const manifest = await readManifest(dir);
  const circuits = {} as Record<CircuitKind, KeySetCircuit>;
  for (const kind of CIRCUIT_KINDS) {
    const name = circuitName(family, kind);
    const entry = manifest.circuits[name];
    if (!entry) throw new CeremonyStateError(`${dir}/manifest.json has no keys for circuit ${name}`);
    const files = exportedFiles(dir, name);
    const hashes: ArtifactHashes = {
      r1cs: await sha256File(files.r1cs),
      wasm: await sha256File(files.wasm),
      zkey: await sha256File(files.zkey),
      vkey: await sha256File(files.vkey),
    };
    for (const k of ['r1cs', 'wasm', 'zkey', 'vkey'] as const) {
      if (hashes[k] !== entry[k]) {
        throw new KeyMismatchError(
          `${name}.${k === 'vkey' ? 'vkey.json' : k} in ${dir} does not match manifest.json: expected sha256 ${entry[k]}, actual ${hashes[k]}`,
        );
      }
    }
    const vkey = JSON.parse(await readFile(files.vkey, 'utf8')) as VerificationKey;
    circuits[kind] = { name, wasmPath: files.wasm, zkeyPath: files.zkey, r1csPath: files.r1cs, vkey, hashes };
  }
  return {
    ceremony: manifest.kind,
    insecure: manifest.kind === 'insecure-dev',
    family,
    manifest,
    circuits,
    transcript: manifest.transcript,
  };
}

/**
 * Called by the prover before it uses a key set: insecure development keys are refused unless explicitly
 * allowed (tests, the demo). A ceremony key set without contributions is refused too.
 */
export function assertKeysAllowed(keySet: KeySet, options: { allowInsecureDevKeys?: boolean } = {}): void {
  const insecure =
    keySet.insecure || keySet.ceremony === 'insecure-dev' || keySet.manifest.kind === 'insecure-dev';
  if (insecure && options.allowInsecureDevKeys !== true) {
    throw new InsecureKeysError(
      `refusing to use insecure development keys for family ${keySet.family.id}. ${INSECURE_DEV_KEYS_WARNING} ` +
        'Run a trusted-setup ceremony with independent contributors (docs/ceremony.md), or pass ' +
        '--insecure-dev-keys (CLI) or allowInsecureDevKeys: true (API) for a test or demo.',
    );
  }
  if (!insecure && !keySet.transcript.some((t) => t.type === 'contribution')) {
    throw new InsecureKeysError(
      `key set for family ${keySet.family.id} has no phase-2 contribution: its setup secret is known. ` +
        'Collect contributions (zkreserve setup contribute) before exporting keys.',
    );
  }
}
