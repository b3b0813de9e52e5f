// Shared helpers of the setup tests.
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../../src/zk/compile.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const hermezDir = path.resolve(repoRoot, '../shared/fixtures/hermez');
export const hermez08 = path.join(hermezDir, 'powersOfTau28_hez_final_08.ptau');
export const hermezPresent = existsSync(hermez08);
export const HERMEZ_ABSENT =
  'SKIPPED: the shared fixture ../shared/fixtures/hermez/powersOfTau28_hez_final_08.ptau is absent';

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
