// The work directory of resumable proving (src/prover/work-dir.ts) and runProofs' `done` / `onAccepted`:
// its name changes with anything a proof depends on, a saved proof is reused only when it passes the same
// check as a fresh one, and only missing proofs are proved.
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import type { SolvencyStatement, SolvencyTree } from '../../src/tree/solvency-tree.js';
import { planProofs } from '../../src/prover/plan.js';
import { createProvePool } from '../../src/prover/prove-pool.js';
import type { ProvePool } from '../../src/prover/prove-pool.js';
import { runProofs } from '../../src/prover/run-proofs.js';
import { loadSavedProofs, openWorkDir, workHash, workIdentity } from '../../src/prover/work-dir.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { ProofWithSignals } from '../../src/bundle/format.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from './fixtures.js';

let keys: KeySet;
let statement: SolvencyStatement;
let tree: SolvencyTree;
let pool: ProvePool;
let calls: string[];
const OPTS = { publishTotal: false, padToUsers: undefined };

/** A pool that records every job it is given. */
function countingPool(inner: ProvePool): ProvePool {
  return {
    prove: (job) => {
      calls.push(job.id);
      return inner.prove(job);
    },
    close: () => inner.close(),
  };
}

beforeAll(async () => {
  keys = await devKeys();
  statement = await statementFromLedger(makeLedger(10).ledger, T, 'USD');
  tree = buildSolvencyTree(statement, SECRET, keys.family); // 2 chunks, levels [2, 1]: 4 proofs
  pool = countingPool(createProvePool({ workers: 2 }));
}, 600_000);

afterAll(async () => {
  await pool.close();
  await terminateCurves();
});

describe('work directory name', () => {
  it('is the same for the same run and changes with the secret, T, the ledger, the keys and the options', () => {
    const h = workHash(workIdentity(tree, keys, OPTS));
    expect(workHash(workIdentity(buildSolvencyTree(statement, SECRET, keys.family), keys, OPTS))).toBe(h);
    const otherSecret = buildSolvencyTree(
      statement,
      SECRET.map((b) => b ^ 1),
      keys.family,
    );
    const otherT = buildSolvencyTree({ ...statement, snapshotTime: T + 1 }, SECRET, keys.family);
    const users = statement.users.map((u, i) => (i === 3 ? { ...u, liability: u.liability + 1n } : u));
    const otherBalance = buildSolvencyTree({ ...statement, users }, SECRET, keys.family);
    const otherReserves = buildSolvencyTree(
      { ...statement, reserves: statement.reserves + 1n },
      SECRET,
      keys.family,
    );
    const otherKeys: KeySet = {
      ...keys,
      circuits: {
        ...keys.circuits,
        chunk: { ...keys.circuits.chunk, hashes: { ...keys.circuits.chunk.hashes, zkey: '00'.repeat(32) } },
      },
    };
    const others = [
      workIdentity(otherSecret, keys, OPTS),
      workIdentity(otherT, keys, OPTS),
      workIdentity(otherBalance, keys, OPTS),
      workIdentity(otherReserves, keys, OPTS),
      workIdentity(tree, otherKeys, OPTS),
      workIdentity(tree, keys, { ...OPTS, publishTotal: true }),
      workIdentity(tree, keys, { ...OPTS, padToUsers: 16 }),
    ].map(workHash);
    expect(new Set([h, ...others]).size).toBe(others.length + 1);
  });
});

describe('saved proofs', () => {
  it('are saved as accepted, reused only when they pass the acceptance check, and only missing ones are proved', async () => {
    const out = path.join(await tempDir('work'), 'bundle');
    const dirs = { outDir: out, packetsDir: `${out}-packets` };
    const jobs = planProofs(tree, false);
    const work = await openWorkDir(dirs, workIdentity(tree, keys, OPTS));
    expect(path.basename(work.dir)).toBe(`bundle.work-${work.hash.slice(0, 16)}`);
    calls = [];
    const first = await runProofs(pool, keys, jobs, { onAccepted: (id, p) => work.save(id, p) });
    expect(calls.sort()).toEqual(jobs.map((j) => j.id).sort());
    expect((await readdir(path.join(work.dir, 'proofs'))).sort()).toEqual(
      jobs.map((j) => `${j.id}.json`).sort(),
    );

    const all = await loadSavedProofs(work, keys, jobs);
    expect(Object.keys(all.accepted).sort()).toEqual(Object.keys(first).sort());
    expect(all.discarded).toEqual([]);

    // Attack: valid proofs saved under each other's ids (two chunks trade places), and a forged proof that
    // claims the solvency proof's expected signals. Both must be refused and proved again.
    const p = (id: string) => path.join(work.dir, 'proofs', `${id}.json`);
    await rename(p('L0-000000'), `${p('L0-000000')}.x`);
    await rename(p('L0-000001'), p('L0-000000'));
    await rename(`${p('L0-000000')}.x`, p('L0-000001'));
    const forged = JSON.parse(await readFile(p('solvency'), 'utf8')) as ProofWithSignals;
    forged.proof.pi_c[0] = (BigInt(forged.proof.pi_c[0]!) + 1n).toString();
    await writeFile(p('solvency'), JSON.stringify(forged));
    const resumed = await loadSavedProofs(work, keys, jobs);
    expect(Object.keys(resumed.accepted)).toEqual(['L1-000000']);
    expect(resumed.discarded.map((d) => d.id).sort()).toEqual(['L0-000000', 'L0-000001', 'solvency']);
    expect(resumed.discarded.find((d) => d.id === 'L0-000000')!.reason).toMatch(/public signals differ/);
    expect(resumed.discarded.find((d) => d.id === 'solvency')!.reason).toMatch(/does not verify|malformed/);
    expect(existsSync(p('solvency'))).toBe(false);

    calls = [];
    const saved: string[] = [];
    const second = await runProofs(pool, keys, jobs, {
      done: resumed.accepted,
      onAccepted: (id, proof) => {
        saved.push(id);
        return work.save(id, proof);
      },
    });
    expect(calls.sort()).toEqual(['L0-000000', 'L0-000001', 'solvency']);
    expect(saved.sort()).toEqual(calls);
    expect(second['L1-000000']).toBe(resumed.accepted['L1-000000']);
    for (const j of jobs) expect(second[j.id]!.publicSignals).toEqual(j.expected());
    expect(Object.keys((await loadSavedProofs(work, keys, jobs)).accepted)).toHaveLength(4);
  }, 300_000);

  it("a killed final write's staging directories are removed when the work directory is opened again", async () => {
    const out = path.join(await tempDir('work-staging'), 'bundle');
    const dirs = { outDir: out, packetsDir: `${out}-packets` };
    const work = await openWorkDir(dirs, workIdentity(tree, keys, OPTS));
    const staging = {
      outDir: `${out}.partial-0123456789ab`,
      packetsDir: `${out}-packets.partial-0123456789ab`,
    };
    await work.recordStaging(staging);
    await mkdir(staging.outDir);
    await mkdir(staging.packetsDir);
    await openWorkDir(dirs, workIdentity(tree, keys, OPTS));
    expect(existsSync(staging.outDir)).toBe(false);
    expect(existsSync(staging.packetsDir)).toBe(false);
    await work.remove();
    expect(existsSync(work.dir)).toBe(false);
  });
});
