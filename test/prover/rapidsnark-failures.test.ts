// Attack / fault: a rapidsnark binary that answers wrongly (a tampered proof, a valid proof of other public
// signals), that exits non-zero or that writes garbage. A wrong answer is refused by runProofs and the job is
// proved again (a double that is wrong once: the run succeeds; one always wrong: the run fails, saying why);
// a failing binary is a RapidsnarkProofError naming it. In every case the witness files are removed.
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import type { SolvencyTree } from '../../src/tree/solvency-tree.js';
import { planProofs } from '../../src/prover/plan.js';
import { createProvePool } from '../../src/prover/prove-pool.js';
import type { ProvePool } from '../../src/prover/prove-pool.js';
import { createRapidsnarkPool } from '../../src/prover/rapidsnark-pool.js';
import { runProofs } from '../../src/prover/run-proofs.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import {
  ProofGenerationError,
  RapidsnarkBinaryError,
  RapidsnarkProofError,
} from '../../src/prover/errors.js';
import type { KeySet } from '../../src/setup/keyset.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import type { DoubleBehaviour } from '../support/rapidsnark.js';
import { doubleCalls, doubleLog, rapidsnarkBinary, writeDouble } from '../support/rapidsnark.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from './fixtures.js';

let keys: KeySet;
let tree: SolvencyTree;
let work: string;
let n = 0;

beforeAll(async () => {
  keys = await devKeys();
  const statement = await statementFromLedger(makeLedger(5).ledger, T, 'USD');
  tree = buildSolvencyTree(statement, SECRET, keys.family);
  work = await tempDir('rapidsnark-faults');
});

afterAll(() => terminateCurves());

/** A pool on a double of `behaviour`, with its private folders below a fresh `tmp` folder. */
async function poolWith(behaviour: DoubleBehaviour): Promise<{ pool: ProvePool; bin: string; tmp: string }> {
  const d = path.join(work, `case-${n++}`);
  const tmp = path.join(d, 'tmp');
  await mkdir(tmp, { recursive: true });
  const bin = await writeDouble(d, 'rapidsnark', behaviour, rapidsnarkBinary);
  return { pool: createRapidsnarkPool({ binary: bin, tempParent: tmp }), bin, tmp };
}

/** After the pool is closed: no witness (nor any other file) is left. */
async function expectNoWitnessLeft(bin: string, tmp: string): Promise<void> {
  for (const l of doubleLog(bin)) expect(existsSync(l.wtns)).toBe(false);
  expect(await readdir(tmp)).toEqual([]);
}

describe.skipIf(!rapidsnarkBinary)('wrong rapidsnark answers are refused and proved again', () => {
  it('a tampered first proof is refused, re-proved, and the run succeeds', async () => {
    const { pool, bin, tmp } = await poolWith('tamper-first');
    const refused: string[] = [];
    const jobs = planProofs(tree, false);
    try {
      const proofs = await runProofs(pool, keys, jobs, {
        onRefused: (id, attempt, reason) => refused.push(`${id}#${attempt}: ${reason}`),
      });
      expect(Object.keys(proofs).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(refused).toEqual([`${jobs[0]!.id}#1: it does not verify under the verification key`]);
      expect(doubleCalls(bin)).toBe(jobs.length + 1);
      // Files are removed as each job ends, not only at close.
      for (const l of doubleLog(bin)) expect(existsSync(l.wtns)).toBe(false);
    } finally {
      await pool.close();
    }
    await expectNoWitnessLeft(bin, tmp);
  });

  it('a valid proof of other public signals is refused and re-proved', async () => {
    const { pool, bin, tmp } = await poolWith('signals-first');
    const refused: string[] = [];
    const jobs = planProofs(tree, false);
    try {
      await runProofs(pool, keys, jobs, { onRefused: (id, _a, reason) => refused.push(`${id}: ${reason}`) });
      expect(refused).toEqual([`${jobs[0]!.id}: its public signals differ from the tree's`]);
    } finally {
      await pool.close();
    }
    await expectNoWitnessLeft(bin, tmp);
  });

  it('a binary that is always wrong fails the run after the last try, saying why', async () => {
    const { pool, bin, tmp } = await poolWith('tamper-always');
    const jobs = planProofs(tree, false).slice(0, 1);
    try {
      const run = runProofs(pool, keys, jobs, { maxAttempts: 2 });
      await expect(run).rejects.toBeInstanceOf(ProofGenerationError);
      await expect(run).rejects.toThrow(
        new RegExp(`proof ${jobs[0]!.id} was refused 2 times: it does not verify .*a faulty prover`),
      );
      expect(doubleCalls(bin)).toBe(2);
    } finally {
      await pool.close();
    }
    await expectNoWitnessLeft(bin, tmp);
  });
});

describe.skipIf(!rapidsnarkBinary)('a failing rapidsnark binary is a clear error naming it', () => {
  it('exits non-zero: RapidsnarkProofError with the binary, the exit code and its message', async () => {
    const { pool, bin, tmp } = await poolWith('exit-nonzero');
    const job = planProofs(tree, false)[0]!;
    try {
      const e = await runProofs(pool, keys, [job]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RapidsnarkProofError);
      expect((e as RapidsnarkProofError).code).toBe('RAPIDSNARK_FAILED');
      expect((e as RapidsnarkProofError).binary).toBe(bin);
      expect((e as Error).message).toBe(
        `rapidsnark (${bin}) failed on proof ${job.id}: it exited with code 3: Error: simulated prover failure`,
      );
      expect(doubleCalls(bin)).toBe(1);
    } finally {
      await pool.close();
    }
    await expectNoWitnessLeft(bin, tmp);
  });

  it('writes garbage: RapidsnarkProofError saying the proof file is not JSON', async () => {
    const { pool, bin, tmp } = await poolWith('garbage');
    const job = planProofs(tree, false)[0]!;
    try {
      await expect(runProofs(pool, keys, [job])).rejects.toThrow(
        `rapidsnark (${bin}) on proof ${job.id}: its proof file is not JSON ("this is not a proof")`,
      );
    } finally {
      await pool.close();
    }
    await expectNoWitnessLeft(bin, tmp);
  });

  it('a missing binary: every job rejects with RapidsnarkBinaryError, and close() is clean', async () => {
    const missing = path.join(work, 'no-rapidsnark-here');
    const pool = createProvePool({ backend: 'rapidsnark', rapidsnarkPath: missing });
    const job = planProofs(tree, false)[0]!;
    try {
      const e = await runProofs(pool, keys, [job]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RapidsnarkBinaryError);
      expect((e as Error).message).toBe(`rapidsnark binary ${missing}: not found`);
    } finally {
      await pool.close();
    }
  });
});

describe('the rapidsnark pool without rapidsnark (a double that only prints its usage)', () => {
  it('builds a job input only when it takes the job up; a throwing builder rejects that job alone', async () => {
    const { pool, bin, tmp } = await poolWith('usage-only');
    const boom = new Error('input builder failed');
    let calls = 0;
    const job = (id: string) => ({
      ...planProofs(tree, false)[0]!,
      id,
      keyHashes: keys.circuits.chunk.hashes,
      attempt: 1,
      wasmPath: keys.circuits.chunk.wasmPath,
      zkeyPath: keys.circuits.chunk.zkeyPath,
      input: () => {
        calls++;
        throw boom;
      },
    });
    try {
      const first = pool.prove(job('a'));
      expect(calls).toBe(0);
      await expect(first).rejects.toBe(boom);
      await expect(pool.prove(job('b'))).rejects.toBe(boom);
      expect(calls).toBe(2);
      expect(doubleCalls(bin)).toBe(0);
    } finally {
      await pool.close();
    }
    await expect(pool.prove(job('c'))).rejects.toThrow(/closed/);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('a witness that cannot be computed (no such wasm) rejects that job and leaves nothing', async () => {
    const { pool, bin, tmp } = await poolWith('usage-only');
    try {
      const j = planProofs(tree, false)[0]!;
      const p = pool.prove({
        id: j.id,
        kind: j.kind,
        keyHashes: keys.circuits.chunk.hashes,
        attempt: 1,
        wasmPath: path.join(work, 'missing.wasm'),
        zkeyPath: keys.circuits.chunk.zkeyPath,
        input: j.input,
      });
      await expect(p).rejects.toThrow(new RegExp(`witness of proof ${j.id} failed`));
      expect(doubleCalls(bin)).toBe(0);
    } finally {
      await pool.close();
    }
    expect(await readdir(tmp)).toEqual([]);
  });
});
