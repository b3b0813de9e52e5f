import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyFileAtomic,
  isNonEmptyDir,
  moveDirIntoPlace,
  produceAtomic,
  replaceDir,
  writeFileAtomic,
} from '../../src/fs/atomic.js';
import { withLock } from '../../src/fs/lock.js';
import { tempDir } from '../setup/helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('fs');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withLock', () => {
  it('serialises holders in the same process', async () => {
    const lock = path.join(dir, 'a.lock');
    const events: string[] = [];
    const run = (tag: string) =>
      withLock(
        lock,
        async () => {
          events.push(`${tag}+`);
          await new Promise((r) => setTimeout(r, 50));
          events.push(`${tag}-`);
        },
        { pollMs: 10 },
      );
    await Promise.all([run('x'), run('y')]);
    expect(['x+ x- y+ y-', 'y+ y- x+ x-']).toContain(events.join(' '));
  });

  it('breaks a lock left by a process that no longer exists', async () => {
    const lock = path.join(dir, 'dead.lock');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await mkdir(lock);
    await writeFile(path.join(lock, 'owner'), String(dead));
    await expect(withLock(lock, async () => 'got it', { pollMs: 10, timeoutMs: 1000 })).resolves.toBe(
      'got it',
    );
  });

  it('waits for a live holder and times out', async () => {
    const lock = path.join(dir, 'live.lock');
    await mkdir(lock);
    await writeFile(path.join(lock, 'owner'), String(process.ppid));
    await expect(withLock(lock, async () => 'no', { pollMs: 10, timeoutMs: 100 })).rejects.toThrow(
      /timed out/,
    );
    await rm(lock, { recursive: true });
  });
});

describe('atomic writes', () => {
  it('leave no partial file when the producer fails', async () => {
    const target = path.join(dir, 'out', 'x.bin');
    await writeFileAtomic(target, 'old');
    await expect(
      produceAtomic(target, async (tmp) => {
        await writeFile(tmp, 'partial');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(path.dirname(target))).toEqual(['x.bin']);
  });

  it('write and copy replace the file whole, and a failed copy leaves the old file and no temp file', async () => {
    const target = path.join(dir, 'copy', 'y.txt');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second');
    expect(await readFile(target, 'utf8')).toBe('second');
    const source = path.join(dir, 'copy-source.txt');
    await writeFile(source, 'copied');
    await copyFileAtomic(source, target);
    expect(await readFile(target, 'utf8')).toBe('copied');
    await expect(copyFileAtomic(path.join(dir, 'no-such-file'), target)).rejects.toThrow(/ENOENT/);
    expect(await readFile(target, 'utf8')).toBe('copied');
    expect(await readdir(path.dirname(target))).toEqual(['y.txt']);
  });
});

describe('moveDirIntoPlace', () => {
  const build = async (name: string, content: string): Promise<string> => {
    const d = path.join(dir, name);
    await mkdir(d, { recursive: true });
    await writeFile(path.join(d, 'stamp'), content);
    return d;
  };
  const stampIs = (content: string) => async (d: string) =>
    (await readFile(path.join(d, 'stamp'), 'utf8').catch(() => '')) === content;
  const leftovers = async (prefix: string) =>
    (await readdir(dir)).filter((f) => f.startsWith(`${prefix}.old`) || f === `${prefix}-tmp`);

  it('moves the build into an empty place', async () => {
    const tmp = await build('place-a-tmp', 'v1');
    const target = path.join(dir, 'place-a');
    expect(await moveDirIntoPlace(tmp, target, stampIs('v1'))).toBe(true);
    expect(await readFile(path.join(target, 'stamp'), 'utf8')).toBe('v1');
    expect(await leftovers('place-a')).toEqual([]);
  });

  it('keeps an equal build already in place and removes its own', async () => {
    const target = await build('place-b', 'v1');
    await writeFile(path.join(target, 'theirs'), 'x');
    const tmp = await build('place-b-tmp', 'v1');
    expect(await moveDirIntoPlace(tmp, target, stampIs('v1'))).toBe(true);
    expect((await readdir(target)).sort()).toEqual(['stamp', 'theirs']);
    expect(await leftovers('place-b')).toEqual([]);
  });

  it('replaces a stale build, leaving nothing aside', async () => {
    const target = await build('place-c', 'old');
    await writeFile(path.join(target, 'stale'), 'x');
    const tmp = await build('place-c-tmp', 'new');
    expect(await moveDirIntoPlace(tmp, target, stampIs('new'))).toBe(true);
    expect(await readdir(target)).toEqual(['stamp']);
    expect(await readFile(path.join(target, 'stamp'), 'utf8')).toBe('new');
    expect(await leftovers('place-c')).toEqual([]);
  });

  it('says false when it runs out of attempts, and throws what is not a lost race', async () => {
    const target = await build('place-d', 'old');
    const tmp = await build('place-d-tmp', 'new');
    expect(await moveDirIntoPlace(tmp, target, stampIs('new'), 1)).toBe(false);
    expect(await readFile(path.join(tmp, 'stamp'), 'utf8')).toBe('new');
    await expect(moveDirIntoPlace(path.join(dir, 'no-such-build'), target, stampIs('new'))).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('replaceDir', () => {
  it('puts the new directory in place of the old one and removes the old one', async () => {
    const target = path.join(dir, 'swap-target');
    const fresh = path.join(dir, 'swap-fresh');
    await mkdir(target);
    await writeFile(path.join(target, 'old.txt'), 'old');
    await mkdir(fresh);
    await writeFile(path.join(fresh, 'new.txt'), 'new');
    await replaceDir(fresh, target);
    expect(await readdir(target)).toEqual(['new.txt']);
    expect((await readdir(dir)).filter((f) => f.startsWith('swap-target.old'))).toEqual([]);
  });

  it('creates the target when there is none, and leaves the old one intact when the new one is missing', async () => {
    const target = path.join(dir, 'swap-new');
    const fresh = path.join(dir, 'swap-new-src');
    await mkdir(fresh);
    await writeFile(path.join(fresh, 'a.txt'), 'a');
    await replaceDir(fresh, target);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('a');
    await expect(replaceDir(path.join(dir, 'no-such-dir'), target)).rejects.toThrow(/ENOENT/);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('a');
  });
});

describe('isNonEmptyDir', () => {
  it('is false for a missing or empty directory, true for a directory with files or for a file', async () => {
    const d = path.join(dir, 'nonempty-check');
    expect(await isNonEmptyDir(d)).toBe(false);
    await mkdir(d);
    expect(await isNonEmptyDir(d)).toBe(false);
    await writeFile(path.join(d, 'x'), 'x');
    expect(await isNonEmptyDir(d)).toBe(true);
    expect(await isNonEmptyDir(path.join(d, 'x'))).toBe(true);
  });
});
