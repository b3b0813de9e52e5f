// The trusted-keys parser (src/verify/trusted-keys.ts): a ceremony's key manifest gives the pinned vkey hash
// of each circuit of a family; a manifest that is not one, or lacks a circuit, is refused with the message
// `verify --trusted-keys` shows.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrustedKeysError } from '../../src/verify/errors.js';
import { parseTrustedKeys, pinnedVkeyHashes } from '../../src/verify/trusted-keys.js';

const DEV = path.resolve('keys/dev');

describe('parseTrustedKeys / pinnedVkeyHashes', () => {
  it("pins each circuit of a family to the SHA-256 of its key file in the dev keys' manifest", async () => {
    const keys = parseTrustedKeys(await readFile(path.join(DEV, 'manifest.json'), 'utf8'), 'dev.json');
    for (const family of ['b64-n8-k8', 'b100-n8-k8']) {
      const pinned = pinnedVkeyHashes(keys, { id: family });
      expect(pinned.ok).toBe(true);
      if (!pinned.ok) continue;
      for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
        const file = await readFile(path.join(DEV, `${family}-${kind}.vkey.json`));
        expect(pinned.hashes[kind]).toBe(createHash('sha256').update(file).digest('hex'));
      }
    }
  });

  it('says which circuit is missing when the manifest does not cover the family', () => {
    const keys = parseTrustedKeys(
      JSON.stringify({ circuits: { 'b64-n8-k8-chunk': { vkey: 'aa' }, 'b64-n8-k8-aggregate': { vkey: 7 } } }),
      'k.json',
    );
    expect(pinnedVkeyHashes(keys, { id: 'b64-n8-k8' })).toEqual({
      ok: false,
      error: 'the trusted keys k.json have no b64-n8-k8-aggregate circuit: this bundle does not use them',
    });
    expect(pinnedVkeyHashes(parseTrustedKeys('{"circuits":{}}', 'k.json'), { id: 'undefined' })).toEqual({
      ok: false,
      error: 'the trusted keys k.json have no undefined-chunk circuit: this bundle does not use them',
    });
  });

  it('refuses text that is not JSON, and JSON without a circuits map', () => {
    expect(() => parseTrustedKeys('{', 'k.json')).toThrow(TrustedKeysError);
    expect(() => parseTrustedKeys('{', 'k.json')).toThrow(/^cannot read trusted key manifest k\.json: /);
    for (const text of ['null', '5', '{}', '{"circuits":null}', '{"circuits":"x"}']) {
      expect(() => parseTrustedKeys(text, 'k.json'), text).toThrow(
        new TrustedKeysError('k.json is not a zkreserve key manifest'),
      );
    }
  });
});
