// The trusted-keys parser (src/verify/trusted-keys.ts): a ceremony's key manifest gives the pinned vkey hash
// of each circuit of a family; a manifest that is not one, or lacks a circuit, is refused with the message
// `verify --trusted-keys` shows.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrustedKeysError } from '../../src/verify/errors.js';
import { parseTrustedKeys, pinnedFamilies, pinnedVkeyHashes } from '../../src/verify/trusted-keys.js';

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

  it('says which circuit is missing, and which families the keys pin, when they do not cover the family', () => {
    const h = (c: string) => c.repeat(64);
    const keys = parseTrustedKeys(
      JSON.stringify({
        circuits: {
          'b64-n8-k8-chunk': { vkey: h('a') },
          'b100-n8-k8-chunk': { vkey: h('b') },
          'b100-n8-k8-aggregate': { vkey: h('c') },
          'b100-n8-k8-solvency': { vkey: h('d') },
        },
      }),
      'k.json',
    );
    expect(pinnedFamilies(keys)).toEqual(['b100-n8-k8']);
    expect(pinnedVkeyHashes(keys, { id: 'b64-n8-k8' })).toEqual({
      ok: false,
      error:
        'keys: the bundle claims circuit family "b64-n8-k8", but the trusted keys k.json have no ' +
        'b64-n8-k8-aggregate circuit (they pin b100-n8-k8): this bundle does not use them',
    });
  });

  it('refuses a vkey that is not a lowercase SHA-256, and says a manifest that pins nothing pins no family', () => {
    for (const vkey of ['aa', 7, null, 'A'.repeat(64), `${'a'.repeat(64)} `]) {
      expect(() =>
        parseTrustedKeys(JSON.stringify({ circuits: { 'b64-n8-k8-chunk': { vkey } } }), 'k.json'),
      ).toThrow(
        new TrustedKeysError(
          'k.json: circuits.b64-n8-k8-chunk.vkey is not a SHA-256 of 64 lowercase hex digits',
        ),
      );
    }
    expect(pinnedVkeyHashes(parseTrustedKeys('{"circuits":{}}', 'k.json'), { id: 'b64-n8-k8' })).toEqual({
      ok: false,
      error:
        'keys: the bundle claims circuit family "b64-n8-k8", but the trusted keys k.json have no ' +
        'b64-n8-k8-chunk circuit (they pin no family): this bundle does not use them',
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
