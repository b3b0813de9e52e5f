// Checks that a key set fits its family before anything is proved: every circuit present, each
// verification key with the family's number of public signals and hashing to the key set's vkey hash.
import { CIRCUIT_KINDS, publicSignalNames } from '../protocol/families.js';
import type { KeySet } from '../setup/keyset.js';
import { vkeyHash } from '../bundle/format.js';
import { ProverKeysError } from './errors.js';

/** Throws ProverKeysError when the key set does not fit its family or is internally inconsistent. */
export function checkKeys(keys: KeySet): void {
  const family = keys.family;
  for (const kind of CIRCUIT_KINDS) {
    const c = keys.circuits[kind];
    if (!c) throw new ProverKeysError(`key set has no ${kind} circuit`);
    const nPublic = publicSignalNames(family, kind).length;
    if (c.vkey.nPublic !== nPublic) {
      throw new ProverKeysError(
        `${kind} verification key has ${c.vkey.nPublic} public signals; family ${family.id} needs ${nPublic}`,
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
