// Running independent setup steps at once: the dev ceremony compiles circuits (circom2 child processes, one
// core each) while snarkjs makes the ptau, and makes two families' keys side by side.
import { availableParallelism } from 'node:os';

/** At most `count` of the functions passed to the returned runner run at once (FIFO). */
export function limiter(count: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let free = Math.max(1, count);
  const waiters: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiters.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiters.shift();
      if (next) next();
      else free++;
    }
  };
}

let compileLimit = limiter(availableParallelism());

/** Runs a circom2 compile of the dev ceremony in one of this process's compile slots (default: one per core). */
export function compileSlot<T>(fn: () => Promise<T>): Promise<T> {
  return compileLimit(fn);
}

/**
 * Sets how many dev-ceremony compiles this process runs at once (for compiles already waiting, the old
 * limit still applies). The test global setup uses 1 in each of its two processes, so the dev ptau, which the
 * rest waits for, keeps most of a core.
 */
export function setCompileConcurrency(count: number): void {
  compileLimit = limiter(count);
}

/**
 * Like Promise.all, but waits for every promise to settle before rejecting (with the first rejection, in
 * argument order), so no step is left running unobserved after a failure.
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
