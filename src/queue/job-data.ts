// What travels through Redis: queue names (one queue per key set, so a worker only takes jobs it has the
// keys for), deterministic job ids, the job payload (circuit kind, key hashes, circuit input: never the
// operator secret) and its validation on the worker, which trusts nothing it reads from Redis.
import { bytesToHex, sha256 } from '../crypto/sha256.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import type { CircuitKind } from '../protocol/families.js';
import type { ArtifactHashes, KeySet } from '../setup/keyset.js';
import type { CircuitInput } from '../zk/circuit-inputs.js';
import type { Groth16Proof, PublicSignals } from '../zk/snarkjs.js';
import { QueueJobRefusedError } from './errors.js';

/** Redis key prefix of every zkreserve queue (BullMQ's default is `bull`). */
export const QUEUE_PREFIX = 'zkreserve';

/** Payload format version: a worker refuses any other. */
export const JOB_FORMAT = 1;

export interface ProofJobData {
  v: typeof JOB_FORMAT;
  /** The run id (run-id.ts): 64 hex digits. */
  run: string;
  /** The proof id (`L{level}-{index}` or `solvency`). */
  proof: string;
  family: string;
  kind: CircuitKind;
  keyHashes: ArtifactHashes;
  attempt: number;
  /** The circuit input: decimal strings (and arrays of them). */
  input: CircuitInput;
}

/** What a worker returns; the coordinator's runProofs verifies it before accepting it. */
export interface ProofJobResult {
  proof: Groth16Proof;
  publicSignals: PublicSignals;
  /** The worker's name (host-pid), for logs. */
  worker: string;
}

const enc = new TextEncoder();
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The queue of a key set: `proofs-{family}-{16 hex of sha256 over its circuits' file hashes}`. Workers
 * listen on the queues of the key sets they hold, so a job reaches only workers with its keys.
 */
export function keySetQueueName(keys: Pick<KeySet, 'family' | 'circuits'>): string {
  const hashes = CIRCUIT_KINDS.map((k) => {
    const h = keys.circuits[k].hashes;
    return `${k}:${h.r1cs}:${h.wasm}:${h.zkey}:${h.vkey}`;
  }).join('\n');
  return `proofs-${keys.family.id}-${bytesToHex(sha256(enc.encode(hashes))).slice(0, 16)}`;
}

/**
 * The BullMQ job id of one try of one proof of one run: re-publishing the same try is a no-op (BullMQ keeps
 * the existing job), and a refused proof's next try (attempt + 1) is a new job.
 */
export function proofJobId(runId: string, proofId: string, attempt: number): string {
  return `${runId.slice(0, 32)}-${proofId}-a${attempt}`;
}

function isHex64(v: unknown): v is string {
  return typeof v === 'string' && HEX64.test(v);
}

function isInput(v: unknown): v is CircuitInput {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const dec = (s: unknown): boolean => typeof s === 'string' && /^-?[0-9]{1,100}$/.test(s);
  return Object.values(v).every((x) => dec(x) || (Array.isArray(x) && x.every(dec)));
}

function refuse(why: string): never {
  throw new QueueJobRefusedError(`malformed proof job: ${why}`);
}

/** Checks a payload read from Redis; throws QueueJobRefusedError naming what is wrong. */
export function checkJobData(data: unknown): ProofJobData {
  if (typeof data !== 'object' || data === null) refuse('the payload is not an object');
  const d = data as Record<string, unknown>;
  if (d.v !== JOB_FORMAT)
    refuse(`unknown payload format ${JSON.stringify(d.v)} (this worker reads ${JOB_FORMAT})`);
  if (!isHex64(d.run)) refuse('run is not 64 hex digits');
  if (typeof d.proof !== 'string' || !/^(L[0-9]{1,3}-[0-9]{1,9}|solvency)$/.test(d.proof))
    refuse('bad proof id');
  if (typeof d.family !== 'string') refuse('no family');
  if (!CIRCUIT_KINDS.includes(d.kind as CircuitKind))
    refuse(`unknown circuit kind ${JSON.stringify(d.kind)}`);
  const h = d.keyHashes as Record<string, unknown> | null;
  if (typeof h !== 'object' || h === null || !['r1cs', 'wasm', 'zkey', 'vkey'].every((k) => isHex64(h[k]))) {
    refuse('keyHashes must hold the r1cs, wasm, zkey and vkey sha256 hashes');
  }
  if (!Number.isSafeInteger(d.attempt) || (d.attempt as number) < 1)
    refuse('attempt must be a positive integer');
  if (!isInput(d.input)) refuse('the circuit input must map names to decimal strings or arrays of them');
  return d as unknown as ProofJobData;
}
