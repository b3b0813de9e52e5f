// Loads a bundle directory into a BundleData object. Node only.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ZkReserveError } from '../errors.js';
import { CIRCUIT_KINDS } from './format.js';
import type { BundleData, BundleManifest, CircuitKind, InclusionPacket, ProofWithSignals } from './format.js';
import type { VerificationKey } from '../zk/snarkjs.js';

export class BundleReadError extends ZkReserveError {
  constructor(message: string) {
    super('BUNDLE_READ', message);
  }
}

async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new BundleReadError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new BundleReadError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await readFile(file);
    return true;
  } catch {
    return false;
  }
}

const PROOF_ID = /^(L\d+-\d{6}|solvency)$/;

export interface ReadBundleOptions {
  /** Skip proofs whose files are missing (a partial bundle, e.g. one user's path); default false. */
  partial?: boolean;
}

/** Reads manifest.json, the three verification keys and every proof listed in the manifest. */
export async function readBundle(dir: string, options: ReadBundleOptions = {}): Promise<BundleData> {
  const manifest = await readJson<BundleManifest>(path.join(dir, 'manifest.json'));
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.proofs)) {
    throw new BundleReadError(`${dir}/manifest.json is not a zkreserve bundle manifest`);
  }
  const vkeys = {} as Record<CircuitKind, VerificationKey>;
  for (const kind of CIRCUIT_KINDS) {
    vkeys[kind] = await readJson<VerificationKey>(path.join(dir, 'verification_keys', `${kind}.vkey.json`));
  }
  const proofs: Record<string, ProofWithSignals> = {};
  for (const entry of manifest.proofs) {
    if (typeof entry?.id !== 'string' || !PROOF_ID.test(entry.id)) {
      throw new BundleReadError(`manifest lists a malformed proof id ${JSON.stringify(entry?.id)}`);
    }
    // The directory is derived from the id, never taken from the manifest (no path traversal).
    const d = path.join(dir, 'proofs', entry.id);
    const proofFile = path.join(d, 'proof.json');
    if (options.partial && !(await exists(proofFile))) continue;
    proofs[entry.id] = {
      proof: await readJson(proofFile),
      publicSignals: await readJson(path.join(d, 'public.json')),
    };
  }
  return { manifest, vkeys, proofs };
}

export async function readPacket(file: string): Promise<InclusionPacket> {
  return readJson<InclusionPacket>(file);
}
