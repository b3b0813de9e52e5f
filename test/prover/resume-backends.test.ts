// A run started with one prover backend resumes with the other: the work directory's proofs are in snarkjs'
// format whichever backend made them, its name does not depend on the backend, and every reused proof is
// re-checked. The first run is interrupted by a pool that fails after a few proofs.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProvePool } from '../../src/prover/prove-pool.js';
import type { ProveBackend, ProvePool } from '../../src/prover/prove-pool.js';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import type { ResumeInfo } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { readBundle } from '../../src/bundle-io/read.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { rapidsnarkAbsent, rapidsnarkBinary } from '../support/rapidsnark.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from './fixtures.js';

if (!rapidsnarkBinary) console.warn(`test/prover/resume-backends.test.ts skipped: ${rapidsnarkAbsent}`);

function backendPool(backend: ProveBackend): ProvePool {
  return createProvePool(
    backend === 'rapidsnark' ? { backend, rapidsnarkPath: rapidsnarkBinary! } : { backend, workers: 1 },
  );
}

/**
 * A pool that proves the first `limit` jobs on `inner`, then fails every later job once those are proved and
 * `saved` has resolved (the run reports them done only after saving them in the work directory: rejecting
 * earlier would race the saves, and a loaded machine lost that race).
 */
function failingAfter(inner: ProvePool, limit: number, saved: Promise<void>): ProvePool {
  const first: Promise<unknown>[] = [];
  return {
    prove: (job) => {
      if (first.length < limit) {
        const p = inner.prove(job);
        first.push(p.catch(() => undefined));
        return p;
      }
      return Promise.all(first)
        .then(() => saved)
        .then(() => Promise.reject(new Error('interrupted (test)')));
    },
    close: () => inner.close(),
  };
}

describe.skipIf(!rapidsnarkBinary).each<[ProveBackend, ProveBackend]>([
  ['rapidsnark', 'snarkjs'],
  ['snarkjs', 'rapidsnark'],
])('a run started with %s resumes with %s', (first, second) => {
  it('reuses the first backend proofs and the bundle verifies', async () => {
    const keys = await devKeys();
    const statement = await statementFromLedger(makeLedger(30).ledger, T, 'USD');
    const work = await tempDir(`resume-${first}`);
    const base = {
      statement,
      secret: SECRET,
      keys,
      outDir: path.join(work, 'bundle'),
      packetsDir: path.join(work, 'packets'),
      allowInsecureDevKeys: true,
      padToUsers: 48,
    };
    const inner = backendPool(first);
    let release = (): void => undefined;
    const saved = new Promise<void>((resolve) => (release = resolve));
    const interrupted = failingAfter(inner, 3, saved);
    try {
      const run = proveSolvency({
        ...base,
        pool: interrupted,
        onProgress: (p) => {
          if (p.done >= 3) release();
        },
      });
      await expect(run).rejects.toThrow(/interrupted/);
    } finally {
      await inner.close();
    }
    let info: ResumeInfo | null = null;
    await proveSolvency({
      ...base,
      prover:
        second === 'rapidsnark'
          ? { backend: second, rapidsnarkPath: rapidsnarkBinary! }
          : { backend: second },
      onResume: (i) => (info = i),
    });
    await terminateCurves();
    expect(info).not.toBeNull();
    expect(info!.discarded).toEqual([]);
    // The 3 proofs the first backend made were checked and saved before the run stopped, and are reused
    // without re-proving.
    expect(info!.resumed).toBe(3);
    const report = await verifyBundle(await readBundle(base.outDir));
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
