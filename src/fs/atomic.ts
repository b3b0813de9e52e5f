// Atomic file and directory writes (Node only): every generated file, bundle and key set is written to a
// temporary sibling and renamed into place, so a crash or a concurrent writer never leaves a half-written
// output where a finished one is expected.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A temp path next to `file` (same directory, so the final rename is atomic). */
export function tempPathFor(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/** Write `data` to `file` atomically: temp file in the same directory, then rename. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await produceAtomic(file, (tmp) => writeFile(tmp, data));
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

export async function copyFileAtomic(src: string, dest: string): Promise<void> {
  await produceAtomic(dest, (tmp) => copyFile(src, tmp));
}

/**
 * Produce `file` with `make(tmpPath)` (which writes the temp path), then rename into place. The producer
 * may write a partial file and fail: the temp file is removed and `file` is left untouched.
 */
export async function produceAtomic(file: string, make: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    await make(tmp);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves the directory `tmp` to `dir`, replacing whatever directory is there: the old one is renamed aside
 * first and removed only once the new one is in place (restored if the second rename fails).
 */
export async function replaceDir(tmp: string, dir: string): Promise<void> {
  const old = `${dir}.old-${process.pid}-${randomBytes(6).toString('hex')}`;
  let moved = false;
  try {
    await rename(dir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  try {
    await rename(tmp, dir);
  } catch (e) {
    if (moved) await rename(old, dir);
    throw e;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/**
 * Moves the directory `tmp` to `dir`, for builds that concurrent writers may produce at once: when `dir`
 * already holds an equal build (`isCurrent(dir)`), that one is kept and `tmp` is removed; a stale `dir` is
 * renamed aside, removed, and the move retried. Returns false when it lost the race `attempts` times.
 */
export async function moveDirIntoPlace(
  tmp: string,
  dir: string,
  isCurrent: (dir: string) => Promise<boolean>,
  attempts = 10,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await rename(tmp, dir);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM' && code !== 'EACCES') throw err;
    }
    // Someone else already put an equal build in place: keep theirs.
    if (await isCurrent(dir)) {
      await rm(tmp, { recursive: true, force: true });
      return true;
    }
    // A stale build: move it aside atomically, then retry.
    const trash = `${dir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(dir, trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await rm(trash, { recursive: true, force: true });
  }
  return false;
}

/** Whether `dir` holds anything: false when it does not exist, true when it is a file (not a directory). */
export async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return true;
    throw e;
  }
}
