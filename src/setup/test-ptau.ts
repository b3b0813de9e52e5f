// The insecure 2^16 test powers of tau (../shared/fixtures/ptau16/, never copied into the project): where it is,
// and its check against the pinned hash. Only the production family's dev keys are made from it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../zk/compile.js';
import {
  TEST_PTAU16_BLAKE2B,
  TEST_PTAU16_FILE,
  TEST_PTAU16_POWER,
  TEST_PTAU16_SHA256,
} from './dev-ptau-id.js';
import { KeyMismatchError, TestPtauMissingError } from './errors.js';
import { sha256File } from './hashing.js';
import type { PtauRecord } from './ptau.js';

/** The environment variable naming the test ptau file (overrides the default path). */
export const TEST_PTAU16_ENV = 'ZKRESERVE_TEST_PTAU16';

/** $ZKRESERVE_TEST_PTAU16, else <repo>/../shared/fixtures/ptau16/zkreserve-test-16.ptau. */
export function testPtau16Path(): string {
  const env = process.env[TEST_PTAU16_ENV];
  if (env) return path.resolve(env);
  return path.resolve(repoRoot(), '..', 'shared', 'fixtures', 'ptau16', TEST_PTAU16_FILE);
}

/** Whether the test ptau file exists (tests skip with a message naming testPtau16Path() when not). */
export function hasTestPtau16(): boolean {
  return existsSync(testPtau16Path());
}

const checked = new Map<string, Promise<PtauRecord>>();

/**
 * The test ptau, checked once per process against its pinned sha256. Throws TestPtauMissingError (naming
 * the path and the variable) when absent, KeyMismatchError when its hash is not the pinned one.
 */
export function ensureTestPtau16(): Promise<PtauRecord> {
  const file = testPtau16Path();
  let p = checked.get(file);
  if (!p) {
    p = checkTestPtau(file);
    checked.set(file, p);
    p.catch(() => checked.delete(file));
  }
  return p;
}

async function checkTestPtau(file: string): Promise<PtauRecord> {
  if (!existsSync(file)) {
    throw new TestPtauMissingError(
      `the insecure 2^16 test powers of tau is missing: ${file} (the production family's dev keys are made ` +
        `from it; set ${TEST_PTAU16_ENV} to its path, or put the shared fixtures next to the repository)`,
      file,
    );
  }
  const sha256 = await sha256File(file);
  if (sha256 !== TEST_PTAU16_SHA256) {
    throw new KeyMismatchError(
      `${file} is not the insecure test ptau: sha256 ${sha256}, expected the pinned ${TEST_PTAU16_SHA256}`,
    );
  }
  return {
    file,
    power: TEST_PTAU16_POWER,
    ceremonyPower: TEST_PTAU16_POWER,
    blake2b: TEST_PTAU16_BLAKE2B,
    sha256,
    origin: 'insecure-dev',
    verified: false,
  };
}
