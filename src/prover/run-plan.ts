// `prove --plan`: the shape and the cost of a run before any proving. The tree shape follows the tree's own
// rules (solvency-tree.ts: ceil(users / N) chunks, padded up to padToUsers slots, K children per aggregation
// node, at least one aggregation level, then the solvency proof); the constraint counts come from the key
// manifest; the time is an estimate from a measured single-thread chunk proof (the caller measures it: no
// clock here), scaled by constraints for the other circuits.
import { CIRCUIT_KINDS } from '../protocol/families.js';
import type { CircuitFamily, CircuitKind } from '../protocol/families.js';
import type { KeySet } from '../setup/keyset.js';
import { requiredPower } from '../setup/ptau.js';
import { buildSolvencyTree } from '../tree/solvency-tree.js';
import { InvalidArgumentError } from '../errors.js';
import { planProofs } from './plan.js';
import type { ProofJob } from './plan.js';

export interface RunPlan {
  family: string;
  users: number;
  chunks: number;
  /** Proofs per level, level 0 (chunks) first, then the aggregation levels, then 1 (solvency). */
  proofsPerLevel: number[];
  proofs: number;
  /** Proofs of each circuit kind. */
  proofsByKind: Record<CircuitKind, number>;
  /** Constraints of one proof of each kind (from the key manifest). */
  constraintsByKind: Record<CircuitKind, number>;
  /** Sum of the constraints of every proof of the run. */
  totalConstraints: number;
  /** The powers-of-tau size (log2) the largest circuit needs. */
  ptauPower: number;
}

/** Node counts per level of a tree of `users` users (level 0 first), as buildSolvencyTree makes it. */
export function treeShape(family: CircuitFamily, users: number, padToUsers?: number): number[] {
  if (!Number.isSafeInteger(users) || users < 0)
    throw new InvalidArgumentError(`user count must be a non-negative integer, got ${String(users)}`);
  if (padToUsers !== undefined && (!Number.isSafeInteger(padToUsers) || padToUsers < users))
    throw new InvalidArgumentError(`padToUsers (${String(padToUsers)}) must be an integer >= ${users}`);
  const n = family.chunkUsers;
  const k = family.aggChildren;
  const chunks = Math.max(1, Math.ceil(users / n), Math.ceil((padToUsers ?? 0) / n));
  const levels = [chunks];
  let below = chunks;
  do {
    below = Math.ceil(below / k);
    levels.push(below);
  } while (below > 1);
  return levels;
}

/** The plan of a run of `users` users with `keys` (no proving, no tree). */
export function planRun(keys: KeySet, users: number, padToUsers?: number): RunPlan {
  const levels = treeShape(keys.family, users, padToUsers);
  const constraintsByKind = {} as Record<CircuitKind, number>;
  let ptauPower = 0;
  for (const kind of CIRCUIT_KINDS) {
    const c = keys.circuits[kind];
    const m = keys.manifest.circuits[c.name];
    if (!m) throw new InvalidArgumentError(`the key manifest has no entry for ${c.name}`);
    constraintsByKind[kind] = m.constraints;
    ptauPower = Math.max(ptauPower, requiredPower(m.constraints, m.nPublic));
  }
  const chunks = levels[0]!;
  const aggregates = levels.slice(1).reduce((s, x) => s + x, 0);
  const proofsByKind: Record<CircuitKind, number> = { chunk: chunks, aggregate: aggregates, solvency: 1 };
  const totalConstraints = CIRCUIT_KINDS.reduce((s, k) => s + proofsByKind[k] * constraintsByKind[k], 0);
  return {
    family: keys.family.id,
    users,
    chunks,
    proofsPerLevel: [...levels, 1],
    proofs: chunks + aggregates + 1,
    proofsByKind,
    constraintsByKind,
    totalConstraints,
    ptauPower,
  };
}

export interface PlanEstimate {
  /** Single-thread seconds for all proofs (chunk time measured, the others scaled by constraints). */
  cpuSeconds: number;
  /** Proving slots (one single-threaded proof each). */
  slots: number;
  /** cpuSeconds / slots, rounded up to whole rounds of the slowest level (every proof is independent). */
  wallSeconds: number;
}

/**
 * Wall time of `plan` on `slots` single-threaded proving slots, from `chunkSeconds` (one chunk proof on one
 * thread, measured). Every proof's input comes from the tree, so no proof waits for another: the run is
 * ceil(proofs / slots) rounds at worst, cpuSeconds / slots at best; this returns the larger of the best case
 * and one chunk proof.
 */
export function estimateWall(plan: RunPlan, chunkSeconds: number, slots: number): PlanEstimate {
  if (!(chunkSeconds > 0)) throw new InvalidArgumentError(`chunk seconds must be > 0, got ${chunkSeconds}`);
  if (!Number.isSafeInteger(slots) || slots < 1)
    throw new InvalidArgumentError(`slots must be a positive integer, got ${String(slots)}`);
  const perConstraint = chunkSeconds / plan.constraintsByKind.chunk;
  const cpuSeconds = CIRCUIT_KINDS.reduce(
    (s, k) => s + plan.proofsByKind[k] * plan.constraintsByKind[k] * perConstraint,
    0,
  );
  return { cpuSeconds, slots, wallSeconds: Math.max(cpuSeconds / slots, chunkSeconds) };
}

/** A chunk proof job of a one-user tree of `keys`' family, for timing one proof (a calibration). */
export function calibrationJob(keys: KeySet): ProofJob {
  const tree = buildSolvencyTree(
    {
      currency: 'CAL',
      decimals: keys.family.balanceBits === 100 ? 18 : 2,
      snapshotTime: 0,
      auditHead: { sequence: 0, hash: '0'.repeat(64) },
      reserves: 1n,
      users: [{ accountId: '1'.repeat(64), externalRef: 'calibration', liability: 1n }],
    },
    new Uint8Array(32).fill(7),
    keys.family,
  );
  return planProofs(tree, false)[0]!;
}
