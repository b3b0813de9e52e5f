// setup commands through the real CLI: importing the shared Hermez 2^8 ptau, refusing a corrupted copy.
import { copyFile, open } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hermez08, hermezPresent, tempDir, zk } from './helpers.js';

async function flipByte(src: string, dest: string, fromEnd: number): Promise<void> {
  await copyFile(src, dest);
  const fh = await open(dest, 'r+');
  try {
    const { size } = await fh.stat();
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - fromEnd);
    b[0] = b[0]! ^ 0x01;
    await fh.write(b, 0, 1, size - fromEnd);
  } finally {
    await fh.close();
  }
}

if (!hermezPresent) {
  console.warn(`SKIPPED setup CLI tests: the shared fixture ${hermez08} is absent`);
}

describe.skipIf(!hermezPresent)('setup import-ptau', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('setup');
  });

  it('accepts the published Hermez 2^8 file and shows which families it fits', async () => {
    const r = await zk(['setup', 'import-ptau', hermez08]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/power\s+2\^8/);
    expect(r.stdout).toMatch(/origin\s+hermez \(powersOfTau28_hez_final_08\.ptau\)/);
    expect(r.stdout).toMatch(/family b64-n8-k8\s+needs 2\^12: too small/);
  });

  it('refuses a copy with one flipped byte (exit 2), even with --allow-unlisted', async () => {
    const bad = path.join(dir, 'powersOfTau28_hez_final_08.ptau');
    await flipByte(hermez08, bad, 100);
    const r = await zk(['setup', 'import-ptau', bad, '--allow-unlisted']);
    expect(r.code).toBe(2);
    // One error line (after the progress notes), no stack trace.
    const errors = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/named like a published Hermez file but its hash does not match/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const renamed = path.join(dir, 'mine.ptau');
    await flipByte(hermez08, renamed, 100);
    const u = await zk(['setup', 'import-ptau', renamed]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/not a published Hermez powers-of-tau file/);
  });

  it('setup init refuses a ptau too small for the dev circuits, naming the size needed', async () => {
    const r = await zk([
      'setup',
      'init',
      '--dir',
      path.join(dir, 'ceremony'),
      '--ptau',
      hermez08,
      '--family',
      'b64-n8-k8',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs 2\^12 .* the ptau has 2\^8/);
  });

  it('setup init refuses an unknown family and setup verify a directory without a ceremony', async () => {
    const f = await zk([
      'setup',
      'init',
      '--dir',
      path.join(dir, 'c2'),
      '--ptau',
      hermez08,
      '--family',
      'b1-n1-k1',
    ]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/unknown circuit family "b1-n1-k1"/);
    const v = await zk(['setup', 'verify', '--dir', path.join(dir, 'nothing')]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/cannot read ceremony state/);
  });
});
