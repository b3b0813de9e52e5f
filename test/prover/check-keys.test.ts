// The prover refuses a key set that does not fit its family before proving anything.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkKeys } from '../../src/prover/check-keys.js';
import { ProverKeysError } from '../../src/prover/errors.js';
import type { KeySet } from '../../src/setup/keyset.js';
import { devKeys } from './fixtures.js';

let keys: KeySet;
beforeAll(async () => {
  keys = await devKeys();
}, 600_000);

function withCircuit(kind: 'chunk' | 'aggregate' | 'solvency', change: Record<string, unknown>): KeySet {
  return { ...keys, circuits: { ...keys.circuits, [kind]: { ...keys.circuits[kind], ...change } } };
}

describe('checkKeys', () => {
  it('accepts the dev keys', () => {
    expect(() => checkKeys(keys)).not.toThrow();
  });

  it('refuses a missing circuit, a wrong public-signal count and a vkey that does not hash to its hash', () => {
    const missing = { ...keys, circuits: { ...keys.circuits, aggregate: undefined } } as unknown as KeySet;
    expect(() => checkKeys(missing)).toThrow(new ProverKeysError('key set has no aggregate circuit'));
    const vkey = keys.circuits.aggregate.vkey;
    expect(() => checkKeys(withCircuit('aggregate', { vkey: { ...vkey, nPublic: 17 } }))).toThrow(
      'aggregate verification key has 17 public signals; family b64-n8-k8 needs 18',
    );
    const solvency = keys.circuits.solvency;
    expect(() => checkKeys(withCircuit('solvency', { vkey: { ...solvency.vkey, nPublic: 8 } }))).toThrow(
      /needs 9$/,
    );
    expect(() =>
      checkKeys(withCircuit('chunk', { hashes: { ...keys.circuits.chunk.hashes, vkey: '00'.repeat(32) } })),
    ).toThrow(/chunk verification key does not hash to the key set's vkey hash/);
  });
});
