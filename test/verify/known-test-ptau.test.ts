// The verifier recognises keys built on the insecure 2^16 test ptau (the production-size dev keys) by their
// vk_alpha_1, so a bundle proven with them cannot pass as a real ceremony's (see also production.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_TEST_PTAU16_ALPHA_1, knownDevKeyReason } from '../../src/verify/known-dev-keys.js';
import { devKeyDirs } from '../../src/setup/dev-ceremony.js';
import { CIRCUIT_KINDS } from '../../src/protocol/families.js';

describe('keys on the test ptau', () => {
  it('a key with its vk_alpha_1 is a known insecure key, in affine or Jacobian form; another alpha is not', () => {
    const [x, y] = KNOWN_TEST_PTAU16_ALPHA_1;
    expect(knownDevKeyReason({ vk_alpha_1: [x, y, '1'] })).toMatch(/insecure test powers of tau/);
    expect(knownDevKeyReason({ vk_alpha_1: [x, y] })).toMatch(/insecure test powers of tau/);
    expect(knownDevKeyReason({ vk_alpha_1: ['1', '2', '1'] })).toBeNull();
  });

  const built = path.join(devKeyDirs().buildDir, 'b64-n128-k16-chunk.vkey.json');
  it.skipIf(!existsSync(built))('every b64-n128-k16 dev key made here carries it', () => {
    for (const kind of CIRCUIT_KINDS) {
      const file = path.join(devKeyDirs().buildDir, `b64-n128-k16-${kind}.vkey.json`);
      expect(knownDevKeyReason(JSON.parse(readFileSync(file, 'utf8'))), kind).toMatch(/test powers of tau/);
    }
  });
});
