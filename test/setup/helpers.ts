// Shared helpers of the setup tests.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { devCacheDir } from '../../src/setup/dev-ceremony.js';
import { DEV_PTAU_BLAKE2B } from '../../src/setup/dev-ptau-id.js';
import { produceAtomic } from '../../src/fs/atomic.js';
import { withLock } from '../../src/fs/lock.js';
import { blake2bFile } from '../../src/setup/hashing.js';
import { readPtauHeader } from '../../src/setup/ptau.js';
import { compileSource } from '../../src/zk/compile.js';
import { snarkjs } from '../../src/zk/snarkjs.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const hermezDir = path.resolve(repoRoot, '../shared/fixtures/hermez');
export const hermez08 = path.join(hermezDir, 'powersOfTau28_hez_final_08.ptau');
export const hermezPresent = existsSync(hermez08);
export const HERMEZ_ABSENT =
  'SKIPPED: the shared fixture ../shared/fixtures/hermez/powersOfTau28_hez_final_08.ptau is absent';
// Said out loud (the default reporter shows skipped tests only as a count).
if (!hermezPresent)
  console.warn(`${HERMEZ_ABSENT} (looked for ${hermez08}); the Hermez import tests are skipped`);

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `zkreserve-setup-${prefix}-`));
}

/** Copy `src` to `dest` with the byte at `offset` (negative: from the end) XOR-ed with 0x01. */
export async function copyWithFlippedByte(src: string, dest: string, offset: number): Promise<void> {
  await copyFile(src, dest);
  const fh = await open(dest, 'r+');
  try {
    const { size } = await fh.stat();
    const pos = offset < 0 ? size + offset : offset;
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, pos);
    b[0] = b[0]! ^ 0x01;
    await fh.write(b, 0, 1, pos);
  } finally {
    await fh.close();
  }
}

export async function editJson<T>(file: string, edit: (value: T) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as T;
  edit(value);
  await writeFile(file, JSON.stringify(value, null, 2));
}

/** The tiny Poseidon(1) test circuit (213 constraints, 1 public signal: fits 2^8). */
export async function compilePoseidon1() {
  const source = await readFile(path.join(repoRoot, 'test/setup/fixtures/poseidon1.circom'), 'utf8');
  return compileSource('setup-test-poseidon1', source, { buildDir: 'build/setup-test/circuits', sym: false });
}

/**
 * A 2^12 phase-1 file made with real randomness (not the public dev ptau, whose secrets are known and whose keys
 * every verifier rejects). Its secret is thrown away but nobody vouches for that: it is "unlisted", good for
 * tests only. It fits the dev-size families (the CLI ceremony end to end) and every smaller circuit: snarkjs
 * reads only the Lagrange points of a circuit's own domain, so a small circuit costs the same as on a 2^10 file.
 * Made once per machine (`powersoftau prepare phase2` dominates: about 2 minutes here) and cached next to the
 * dev ptau as zkreserve-test-random-12.ptau.
 */
export async function ensureTestPtau(): Promise<string> {
  const power = 12;
  const file = path.join(devCacheDir(), `zkreserve-test-random-${power}.ptau`);
  const usable = async (): Promise<boolean> => {
    try {
      const h = await readPtauHeader(file);
      return h.power === power && h.preparedForPhase2 && (await blake2bFile(file)) !== DEV_PTAU_BLAKE2B;
    } catch {
      return false;
    }
  };
  if (await usable()) return file;
  return withLock(`${file}.lock`, async () => {
    if (await usable()) return file;
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    await produceAtomic(file, async (tmp) => {
      const p0 = `${tmp}.p0`;
      const p1 = `${tmp}.p1`;
      try {
        await snarkjs.powersOfTau.newAccumulator(curve, power, p0);
        await snarkjs.powersOfTau.contribute(p0, p1, 'zkreserve test ptau', randomBytes(32).toString('hex'));
        await snarkjs.powersOfTau.preparePhase2(p1, tmp);
      } finally {
        await rm(p0, { force: true });
        await rm(p1, { force: true });
      }
    });
    return file;
  });
}
