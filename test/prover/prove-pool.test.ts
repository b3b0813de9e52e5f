// The prove pool builds a job's input only when it takes the job up; an input builder that throws rejects
// that job alone, and the pool stays usable and closes cleanly.
import { describe, expect, it } from 'vitest';
import { createProvePool } from '../../src/prover/prove-pool.js';
import type { ProveMode } from '../../src/prover/prove-pool.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';

describe.each<ProveMode>(['snarkjs-threads', 'workers'])('prove pool (%s)', (mode) => {
  it('rejects a job whose input builder throws, with that error', async () => {
    const pool = createProvePool({ mode, workers: 1 });
    const boom = new Error('input builder failed');
    let calls = 0;
    try {
      const job = (id: string) => ({
        id,
        kind: 'chunk' as const,
        keyHashes: { r1cs: '', wasm: '', zkey: '', vkey: '' },
        attempt: 1,
        wasmPath: '/nonexistent.wasm',
        zkeyPath: '/nonexistent.zkey',
        input: () => {
          calls++;
          throw boom;
        },
      });
      const first = pool.prove(job('a'));
      expect(calls).toBe(0); // not built when queued
      await expect(first).rejects.toBe(boom);
      await expect(pool.prove(job('b'))).rejects.toBe(boom);
      expect(calls).toBe(2);
    } finally {
      await pool.close();
      await terminateCurves();
    }
  });
});
