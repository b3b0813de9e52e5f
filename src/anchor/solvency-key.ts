// The solvency verification key of a key set directory (a ceremony export or keys/dev): the key a registry's
// verifier is generated from. Checked against the directory's manifest.json before anything is deployed.
import { readFile } from 'node:fs/promises';
import { vkeyHash } from '../bundle/format.js';
import { circuitName, familyById } from '../protocol/families.js';
import type { CeremonyKind } from '../setup/keyset.js';
import { exportedFiles, readManifest } from '../setup/keyset.js';
import type { VerificationKey } from '../zk/snarkjs.js';
import { AnchorInputError } from './errors.js';

/** A key set's solvency key, its SHA-256 (the bundle manifest's `hashes.vkey`) and where it came from. */
export interface SolvencyKey {
  family: string;
  circuit: string;
  vkey: VerificationKey;
  vkeyHash: string;
  ceremony: CeremonyKind;
}

/**
 * The solvency key of `family` in `dir`; without `family`, the directory must hold exactly one family's
 * solvency key. The file's SHA-256 must equal manifest.json's entry.
 */
export async function readSolvencyKey(dir: string, family?: string): Promise<SolvencyKey> {
  const manifest = await readManifest(dir);
  const names = Object.keys(manifest.circuits).filter((n) => manifest.circuits[n]?.kind === 'solvency');
  let name: string;
  if (family !== undefined) {
    name = circuitName(familyById(family), 'solvency');
    if (!names.includes(name)) throw new AnchorInputError(`${dir}/manifest.json has no solvency key ${name}`);
  } else if (names.length === 1) {
    name = names[0]!;
  } else {
    throw new AnchorInputError(
      `${dir} holds ${names.length} solvency keys (${names.sort().join(', ')}): choose one with --family <id>`,
    );
  }
  const entry = manifest.circuits[name]!;
  const vkey = JSON.parse(await readFile(exportedFiles(dir, name).vkey, 'utf8')) as VerificationKey;
  const hash = vkeyHash(vkey);
  if (hash !== entry.vkey)
    throw new AnchorInputError(
      `${name}.vkey.json in ${dir} does not match manifest.json: expected sha256 ${entry.vkey}, actual ${hash}`,
    );
  if (vkey.protocol !== 'groth16' || vkey.nPublic !== 9)
    throw new AnchorInputError(
      `${name}.vkey.json in ${dir} is not a Groth16 solvency key with 9 public signals`,
    );
  return {
    family: entry.family ?? name.replace(/-solvency$/, ''),
    circuit: name,
    vkey,
    vkeyHash: hash,
    ceremony: manifest.kind,
  };
}
