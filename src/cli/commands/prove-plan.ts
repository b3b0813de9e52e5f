// `zkreserve prove --plan`: what a run will be and about how long it will take, before any proving. The
// estimate comes from timing one chunk proof of the chosen family on this machine (single-threaded, checked
// like every proof: Groth16 verify and the expected public signals) and scaling it by constraints.
import { availableParallelism } from 'node:os';
import { familySize } from '../../protocol/families.js';
import { calibrationJob, estimateWall, planRun } from '../../prover/run-plan.js';
import type { PlanEstimate, RunPlan } from '../../prover/run-plan.js';
import { createProvePool } from '../../prover/prove-pool.js';
import { refuseProof } from '../../prover/accept-proof.js';
import type { KeySet } from '../../setup/keyset.js';
import { terminateCurves } from '../../zk/snarkjs.js';
import { stopwatch } from '../../terminal/progress.js';
import { out, printJson } from '../../terminal/output.js';
import { CliExit, EXIT_FAILED } from '../errors.js';

export interface PlanOptions {
  users: number;
  padToUsers?: number;
  /** Proving slots on this machine (--workers; default: its cores). */
  workers?: number;
  machines?: number;
  cores?: number;
  json?: boolean;
}

/** Seconds of one single-threaded chunk proof of `keys`' family on this machine (the proof is checked). */
export async function calibrateChunkSeconds(keys: KeySet): Promise<number> {
  const job = calibrationJob(keys);
  const c = keys.circuits.chunk;
  const pool = createProvePool({ workers: 1 });
  try {
    const proveJob = {
      id: job.id,
      kind: job.kind,
      keyHashes: c.hashes,
      attempt: 1,
      wasmPath: c.wasmPath,
      zkeyPath: c.zkeyPath,
      input: job.input(),
    };
    // The first proof loads the circuit and the key: time a second one.
    await pool.prove(proveJob);
    const elapsed = stopwatch();
    const r = await pool.prove(proveJob);
    const seconds = elapsed();
    const refused = await refuseProof(c.vkey, job.expected(), r);
    if (refused) throw new CliExit(EXIT_FAILED, `calibration proof refused: ${refused}`);
    return seconds;
  } finally {
    await pool.close();
    await terminateCurves();
  }
}

function duration(s: number): string {
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The worker counts to estimate for: this machine's slots, and M machines of C cores if given. */
function slotChoices(o: PlanOptions): { label: string; slots: number }[] {
  const local = o.workers ?? availableParallelism();
  const list = [{ label: `${local} worker${local === 1 ? '' : 's'} (this machine)`, slots: local }];
  if (o.machines !== undefined || o.cores !== undefined) {
    const m = o.machines ?? 1;
    const c = o.cores ?? local;
    list.push({ label: `${m} machine${m === 1 ? '' : 's'} x ${c} cores`, slots: m * c });
  }
  return list;
}

/** Plans the run, calibrates on this machine and prints the plan (text or JSON). Proves nothing else. */
export async function printPlan(keys: KeySet, o: PlanOptions): Promise<void> {
  const plan = planRun(keys, o.users, o.padToUsers);
  const chunkSeconds = await calibrateChunkSeconds(keys);
  const estimates = slotChoices(o).map((s) => ({ ...s, ...estimateWall(plan, chunkSeconds, s.slots) }));
  if (o.json) {
    printJson({ plan, chunkSeconds, estimates });
    return;
  }
  printPlanText(keys, plan, chunkSeconds, estimates);
}

function printPlanText(
  keys: KeySet,
  plan: RunPlan,
  chunkSeconds: number,
  estimates: (PlanEstimate & { label: string })[],
): void {
  const f = keys.family;
  out(`plan (nothing proved yet)`);
  out(
    `  family       ${f.id} (${familySize(f)}: ${f.chunkUsers} users per chunk, ${f.aggChildren} per aggregation)`,
  );
  out(`  users        ${plan.users}`);
  out(`  chunks       ${plan.chunks}`);
  out(
    `  proofs       ${plan.proofs}: per level ${plan.proofsPerLevel.join(' / ')} (chunks first, solvency last)`,
  );
  const c = plan.constraintsByKind;
  out(
    `  constraints  ${plan.totalConstraints} in all (chunk ${c.chunk}, aggregate ${c.aggregate}, solvency ${c.solvency})`,
  );
  out(`  ptau         2^${plan.ptauPower} needed (keys made from 2^${keys.manifest.ptau.power})`);
  out(`  calibration  ${chunkSeconds.toFixed(2)} s per chunk proof on one thread (measured here)`);
  for (const e of estimates) {
    out(
      `  estimate     ${duration(e.wallSeconds)} on ${e.label} (${duration(e.cpuSeconds)} of proving on one thread)`,
    );
  }
}
