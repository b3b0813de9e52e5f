// Load a bundle's public files into a BundleData, from any source that can read a file by its path
// relative to the bundle root (a folder the user picked, or the static host serving this page).
import {
  CIRCUIT_KINDS,
  type BundleData,
  type BundleManifest,
  type CircuitKind,
  type InclusionPacket,
  type ProofWithSignals,
} from '../../src/bundle/format.js';
import type { VerificationKey } from '../../src/zk/snarkjs.js';

export type ReadFile = (relativePath: string) => Promise<string | null>;

async function readJson<T>(read: ReadFile, path: string): Promise<T> {
  const text = await read(path);
  if (text === null) throw new Error(`the bundle has no ${path}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
}

/** Reads manifest, verification keys and proofs (all of them, or only `onlyProofIds`). */
export async function loadBundle(read: ReadFile, onlyProofIds?: string[]): Promise<BundleData> {
  const manifest = await readJson<BundleManifest>(read, 'manifest.json');
  const vkeys = {} as Record<CircuitKind, VerificationKey>;
  for (const kind of CIRCUIT_KINDS) {
    vkeys[kind] = await readJson<VerificationKey>(read, `verification_keys/${kind}.vkey.json`);
  }
  const wanted = onlyProofIds ? new Set(onlyProofIds) : null;
  const proofs: Record<string, ProofWithSignals> = {};
  for (const entry of manifest.proofs ?? []) {
    if (wanted && !wanted.has(entry.id)) continue;
    proofs[entry.id] = {
      proof: await readJson(read, `${entry.path}/proof.json`),
      publicSignals: await readJson(read, `${entry.path}/public.json`),
    };
  }
  return { manifest, vkeys, proofs };
}

/** A ReadFile over files picked with `<input webkitdirectory>`: paths are relative to the picked folder. */
export function readFromPickedFolder(files: FileList | File[]): ReadFile {
  const byPath = new Map<string, File>();
  for (const file of Array.from(files)) {
    const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    // Drop the picked folder's own name: "bundle-usd/proofs/L0-000000/proof.json" -> "proofs/L0-...".
    const parts = rel.split('/');
    byPath.set(parts.length > 1 ? parts.slice(1).join('/') : rel, file);
  }
  // A folder that contains the bundle one level deeper (e.g. the user picked its parent) also works.
  if (!byPath.has('manifest.json')) {
    const nested = [...byPath.keys()].find((p) => p.endsWith('/manifest.json'));
    if (nested) {
      const prefix = nested.slice(0, -'manifest.json'.length);
      for (const [p, f] of [...byPath]) if (p.startsWith(prefix)) byPath.set(p.slice(prefix.length), f);
    }
  }
  return async (path) => {
    const file = byPath.get(path);
    return file ? file.text() : null;
  };
}

/** A ReadFile over HTTP, relative to `baseUrl` (the bundle folder on the same static host). */
export function readFromUrl(baseUrl: string): ReadFile {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return async (path) => {
    const response = await fetch(base + path);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`could not fetch ${path}: HTTP ${response.status}`);
    return response.text();
  };
}

export function parsePacket(text: string): InclusionPacket {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the packet is not valid JSON');
  }
  const p = value as Partial<InclusionPacket>;
  if (typeof p !== 'object' || p === null || typeof p.accountId !== 'string' || !Array.isArray(p.siblings)) {
    throw new Error('this file is not a zkreserve inclusion packet (no accountId / siblings)');
  }
  return p as InclusionPacket;
}
