// A cross-process lock (a lock directory) for generated artifacts that several processes may build at once.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

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
