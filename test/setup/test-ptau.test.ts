// The insecure 2^16 test ptau (../shared/fixtures/ptau16): recognised by its pinned hashes, refused for a real
// ceremony exactly like the dev ptau (its phase-1 secrets are public, so keys on it are forgeable), and found
// through ZKRESERVE_TEST_PTAU16 or the default path, with a clear error when it is absent.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPtau } from '../../src/setup/ptau.js';
import { setupInit } from '../../src/setup/ceremony/init.js';
import { setupVerify } from '../../src/setup/ceremony/verify.js';
import { InsecurePtauError, KeyMismatchError, TestPtauMissingError } from '../../src/setup/errors.js';
import {
  DEV_PTAU_BLAKE2B,
  TEST_PTAU16_BLAKE2B,
  TEST_PTAU16_SHA256,
  insecurePtauReason,
} from '../../src/setup/dev-ptau-id.js';
import {
  ensureTestPtau16,
  hasTestPtau16,
  testPtau16Path,
  TEST_PTAU16_ENV,
} from '../../src/setup/test-ptau.js';
import { ensureDevPtau } from '../../src/setup/dev-ceremony.js';
import { compilePoseidon1 } from './helpers.js';

const present = hasTestPtau16();
if (!present) console.warn(`test/setup/test-ptau.test.ts: ptau tests skipped, ${testPtau16Path()} is absent`);
const saved = process.env[TEST_PTAU16_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[TEST_PTAU16_ENV];
  else process.env[TEST_PTAU16_ENV] = saved;
});

describe('insecurePtauReason', () => {
  it('names both public ptau files and nothing else', () => {
    expect(insecurePtauReason(DEV_PTAU_BLAKE2B)).toMatch(/insecure development powers of tau/);
    expect(insecurePtauReason(TEST_PTAU16_BLAKE2B)).toMatch(/insecure test powers of tau/);
    expect(insecurePtauReason('00'.repeat(64))).toBeNull();
  });
});

describe('locating the test ptau', () => {
  it('a missing file is a TestPtauMissingError naming the path and the variable', async () => {
    process.env[TEST_PTAU16_ENV] = path.join(tmpdir(), 'no-such-dir', 'zkreserve-test-16.ptau');
    const e = await ensureTestPtau16().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TestPtauMissingError);
    expect((e as Error).message).toContain(path.join(tmpdir(), 'no-such-dir', 'zkreserve-test-16.ptau'));
    expect((e as Error).message).toContain(TEST_PTAU16_ENV);
  });

  it('another ptau in its place is refused by the pinned sha256', async () => {
    process.env[TEST_PTAU16_ENV] = (await ensureDevPtau()).file;
    await expect(ensureTestPtau16()).rejects.toBeInstanceOf(KeyMismatchError);
  });

  it.skipIf(!present)('the shared file matches its README hashes', async () => {
    const rec = await ensureTestPtau16();
    expect(rec).toMatchObject({ power: 16, sha256: TEST_PTAU16_SHA256, origin: 'insecure-dev' });
  });
});

describe.skipIf(!present)('the test ptau and real ceremonies', () => {
  it('importPtau refuses it, even with allowUnlisted, and takes it as insecure-dev only when asked', async () => {
    const file = testPtau16Path();
    for (const options of [{}, { allowUnlisted: true }]) {
      const e = await importPtau(file, options).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InsecurePtauError);
      expect((e as Error).message).toMatch(/public insecure test powers of tau.*forgeable/);
    }
    const rec = await importPtau(file, { allowInsecureDev: true });
    expect(rec).toMatchObject({ origin: 'insecure-dev', power: 16, blake2b: TEST_PTAU16_BLAKE2B });
  });

  it('setup init refuses to start a ceremony from it; one forced onto it never verifies', async () => {
    const circuit = await compilePoseidon1();
    const d = path.join(await mkdtemp(path.join(tmpdir(), 'zkreserve-ptau16-')), 'ceremony');
    const refused = await setupInit(d, {
      circuits: [circuit],
      ptauFile: testPtau16Path(),
      allowUnlistedPtau: true,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsecurePtauError);
    const state = await setupInit(d, {
      circuits: [circuit],
      ptauFile: testPtau16Path(),
      allowInsecureDevPtau: true,
    });
    expect(state.ptau.origin).toBe('insecure-dev');
    const r = await setupVerify(d);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/ptau: it is the public insecure test powers of tau/);
  }, 300_000);
});
