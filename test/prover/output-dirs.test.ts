// The prover's output-directory checks and staging directories (no proving).
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { OutputExistsError } from '../../src/prover/errors.js';
import {
  checkOutputDirs,
  commitStaging,
  createStaging,
  discardStaging,
  stagingDirs,
} from '../../src/prover/output-dirs.js';
import { tempDir } from './fixtures.js';

describe('output directories', () => {
  it('refuses a packets directory equal to or inside the bundle, even with force', async () => {
    const root = await tempDir('outdirs');
    const outDir = path.join(root, 'bundle');
    for (const packetsDir of [outDir, path.join(outDir, 'packets'), path.join(outDir, 'a', 'b')]) {
      for (const force of [false, true]) {
        await expect(checkOutputDirs({ outDir, packetsDir }, force)).rejects.toThrow(InvalidArgumentError);
      }
    }
    // A sibling whose name merely starts with the bundle's is fine.
    await expect(
      checkOutputDirs({ outDir, packetsDir: `${outDir}-packets` }, false),
    ).resolves.toBeUndefined();
  });

  it('refuses a non-empty directory, or a file in its place, unless force', async () => {
    const root = await tempDir('outdirs');
    const dirs = { outDir: path.join(root, 'bundle'), packetsDir: path.join(root, 'packets') };
    await expect(checkOutputDirs(dirs, false)).resolves.toBeUndefined();
    await mkdir(dirs.outDir);
    await expect(checkOutputDirs(dirs, false)).resolves.toBeUndefined(); // empty: fine
    await writeFile(path.join(dirs.outDir, 'x'), 'x');
    await expect(checkOutputDirs(dirs, false)).rejects.toThrow(OutputExistsError);
    // force replaces only an earlier zkreserve bundle: a stray file makes it refuse (issue 9 §6).
    await expect(checkOutputDirs(dirs, true)).rejects.toThrow(/not part of a bundle/);
    await rm(path.join(dirs.outDir, 'x'));
    await writeFile(path.join(dirs.outDir, 'manifest.json'), JSON.stringify({ protocol: 'zkreserve/2' }));
    await expect(checkOutputDirs(dirs, false)).rejects.toThrow(OutputExistsError);
    await expect(checkOutputDirs(dirs, true)).resolves.toBeUndefined();
    const fileDirs = { outDir: path.join(root, 'other'), packetsDir: path.join(root, 'file') };
    await writeFile(fileDirs.packetsDir, 'not a directory');
    await expect(checkOutputDirs(fileDirs, false)).rejects.toThrow(/file is not empty/);
  });

  it('staging: created beside the outputs, committed over the old ones, or discarded', async () => {
    const root = await tempDir('outdirs');
    const dirs = { outDir: path.join(root, 'out', 'bundle'), packetsDir: path.join(root, 'p', 'packets') };
    const first = stagingDirs(dirs);
    expect(path.dirname(first.outDir)).toBe(path.dirname(dirs.outDir));
    expect(first.outDir).toMatch(/bundle\.partial-[0-9a-f]{12}$/);
    expect(stagingDirs(dirs).outDir).not.toBe(first.outDir);
    await createStaging(first, dirs);
    await writeFile(path.join(first.outDir, 'manifest.json'), 'one');
    await commitStaging(first, dirs);
    expect(await readFile(path.join(dirs.outDir, 'manifest.json'), 'utf8')).toBe('one');

    const second = stagingDirs(dirs);
    await createStaging(second, dirs);
    await writeFile(path.join(second.outDir, 'manifest.json'), 'two');
    await discardStaging(second);
    expect(await readFile(path.join(dirs.outDir, 'manifest.json'), 'utf8')).toBe('one');
    expect((await readdir(path.dirname(dirs.outDir))).sort()).toEqual(['bundle']);
    expect(await readdir(path.dirname(dirs.packetsDir))).toEqual(['packets']);
  });
});
