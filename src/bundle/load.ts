// Assembles a BundleData from any source that reads a bundle file by its path relative to the bundle root:
// a directory on disk (read.ts), a folder picked in a browser, or the static host serving the page.
// Browser-safe. Proof directories are derived from proof ids, never taken from the manifest.
import { BundleReadError } from './errors.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import type { CircuitKind } from '../protocol/families.js';
import { RESERVES_EVIDENCE_FILE } from './format.js';
import type { BundleData, BundleManifest, ProofWithSignals } from './format.js';
import type { VerificationKey } from '../zk/snarkjs.js';

/** Reads one bundle file as text by its relative path; null when it does not exist. */
export type ReadBundleFile = (relativePath: string) => Promise<string | null>;

export interface LoadBundleOptions {
  /** Load only these proofs (e.g. one user's path); the others are left out. */
  only?: readonly string[];
  /** Skip proofs whose files are missing (a partial bundle); default false: a missing file is an error. */
  partial?: boolean;
  /** How to name a relative path in an error message (e.g. the full file path on disk). */
  describe?: (relativePath: string) => string;
}

const PROOF_ID = /^(L\d+-\d{6}|solvency)$/;

/**
 * Reads manifest.json, the three verification keys, the proofs the manifest lists and, when the bundle
 * has one, the reserve evidence (`reserves/evidence.json`, parsed JSON; checked by src/reserves).
 */
export async function loadBundle(read: ReadBundleFile, options: LoadBundleOptions = {}): Promise<BundleData> {
  const name = options.describe ?? ((p: string) => p);
  const readJson = async <T>(rel: string): Promise<T> => {
    let text: string | null;
    try {
      text = await read(rel);
    } catch (e) {
      throw new BundleReadError(`cannot read ${name(rel)}: ${(e as Error).message}`);
    }
    if (text === null) throw new BundleReadError(`cannot read ${name(rel)}: the bundle has no such file`);
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new BundleReadError(`${name(rel)} is not valid JSON: ${(e as Error).message}`);
    }
  };

  const manifest = await readJson<BundleManifest>('manifest.json');
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.proofs)) {
    throw new BundleReadError(`${name('manifest.json')} is not a zkreserve bundle manifest`);
  }
  const vkeys = {} as Record<CircuitKind, VerificationKey>;
  for (const kind of CIRCUIT_KINDS) vkeys[kind] = await readJson(`verification_keys/${kind}.vkey.json`);
  const wanted = options.only ? new Set(options.only) : null;
  const proofs: Record<string, ProofWithSignals> = {};
  for (const entry of manifest.proofs) {
    if (typeof entry?.id !== 'string' || !PROOF_ID.test(entry.id)) {
      throw new BundleReadError(`manifest lists a malformed proof id ${JSON.stringify(entry?.id)}`);
    }
    if (wanted && !wanted.has(entry.id)) continue;
    const dir = `proofs/${entry.id}`;
    if (options.partial && (await read(`${dir}/proof.json`).catch(() => null)) === null) continue;
    proofs[entry.id] = {
      proof: await readJson(`${dir}/proof.json`),
      publicSignals: await readJson(`${dir}/public.json`),
    };
  }
  const bundle: BundleData = { manifest, vkeys, proofs };
  let evidence: string | null;
  try {
    evidence = await read(RESERVES_EVIDENCE_FILE);
  } catch (e) {
    throw new BundleReadError(`cannot read ${name(RESERVES_EVIDENCE_FILE)}: ${(e as Error).message}`);
  }
  if (evidence !== null) bundle.reserves = await readJson<unknown>(RESERVES_EVIDENCE_FILE);
  return bundle;
}
