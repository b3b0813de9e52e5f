// Atomic file writes and a cross-process lock for generated setup artifacts.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

export async function copyFileAtomic(src: string, dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  try {
    await copyFile(src, tmp);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the process that wrote `lockDir/owner` is gone (same machine). Unknown owner: not gone. */
async function ownerIsGone(lockDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(path.join(lockDir, 'owner'), 'utf8'), 10);
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Run `fn` holding a lock directory (`mkdir` is atomic; the holder's pid is written inside). A lock whose
 * holder process no longer exists is broken at once; one of unknown owner after `staleMs` of waiting.
 * Another process holding the lock is waited for (up to `timeoutMs`).
 */
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  { staleMs = 20 * 60_000, timeoutMs = 60 * 60_000, pollMs = 500 } = {},
): Promise<T> {
  await mkdir(path.dirname(lockDir), { recursive: true });
  let waited = 0;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'owner'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // No wall clock in src/: staleness is measured by how long we have waited.
      if ((await ownerIsGone(lockDir)) || waited > staleMs) {
        await rm(lockDir, { recursive: true, force: true });
        staleMs = Number.POSITIVE_INFINITY;
        continue;
      }
      if (waited > timeoutMs) throw new Error(`timed out waiting for lock ${lockDir}`);
      await sleep(pollMs);
      waited += pollMs;
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
