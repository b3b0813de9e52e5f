// verified.json in a ceremony directory: the SHA-256 of every file a full `setup verify` read, written only
// after every circuit of the ceremony verified. `setup export` checks the ceremony before exporting; while this
// record still matches the directory byte for byte, it skips doing the same verification a second time (for a
// 2^16 chunk circuit that is minutes). Any contribution, beacon or edit changes a hash, and export verifies
// again. What it does not guarantee: someone who can write the directory can write this file too, so it is the
// coordinator's own cache, never evidence for anyone else. Users and auditors verify the export themselves
// (`zkreserve setup verify --keys <dir> --ptau <file>`), which never reads this file.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sameJson } from '../../util/same-json.js';
import { writeJsonAtomic } from '../../fs/atomic.js';
import { sha256File } from '../hashing.js';
import { ceremonyPaths, type CeremonyState } from './state.js';

export const VERIFIED_FILE = 'verified.json';
export const VERIFIED_FORMAT = 'zkreserve-ceremony-verified/1';

interface VerifiedRecord {
  format: typeof VERIFIED_FORMAT;
  note: string;
  /** Path relative to the ceremony directory -> SHA-256 (hex) of the file when it verified. */
  files: Record<string, string>;
}

/** Stands for a file's hash when it is missing, or (the state) no longer the one the caller read. */
const UNUSABLE = 'unusable';

/**
 * The SHA-256 of every file a full verification of `dir` reads, by path relative to `dir`: the state, the
 * phase-1 file, and each circuit's r1cs and final zkey. A missing file, or a state file that is no longer
 * `state` (a contribution landed after the caller read it), is recorded as "unusable" and never matches.
 */
export async function verificationInputs(dir: string, state: CeremonyState): Promise<Record<string, string>> {
  const p = ceremonyPaths(dir);
  const last = state.transcript.length;
  const out: Record<string, string> = {};
  const bytes = await readFile(p.state).catch(() => undefined);
  out[path.relative(dir, p.state)] =
    bytes && sameJson(parseOrUndefined(bytes), state)
      ? createHash('sha256').update(bytes).digest('hex')
      : UNUSABLE;
  const files = [p.ptau, ...state.circuits.flatMap((c) => [p.r1cs(c.name), p.zkey(c.name, last)])];
  for (const f of files) out[path.relative(dir, f)] = await sha256File(f).catch(() => UNUSABLE);
  return out;
}

/** True when every hash in `inputs` is a real one (nothing missing or changed under the caller). */
export function usableInputs(inputs: Record<string, string>): boolean {
  return !Object.values(inputs).includes(UNUSABLE);
}

function parseOrUndefined(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Records that the ceremony with these input hashes verified in full (atomic write). */
export async function writeVerifiedRecord(dir: string, files: Record<string, string>): Promise<void> {
  const record: VerifiedRecord = {
    format: VERIFIED_FORMAT,
    note:
      `written by zkreserve setup verify after every circuit verified; setup export does not verify again ` +
      `while every hash matches. Not evidence for anyone but the coordinator: verify the export yourself.`,
    files,
  };
  await writeJsonAtomic(path.join(dir, VERIFIED_FILE), record);
}

/**
 * True when `dir` holds a verified record whose hashes are exactly those of its files now (same state, same
 * ptau, same r1cs and final zkeys); false when it is absent, unreadable, of another format or out of date.
 */
export async function verifiedRecordMatches(dir: string, state: CeremonyState): Promise<boolean> {
  let record: Partial<VerifiedRecord>;
  try {
    record = JSON.parse(await readFile(path.join(dir, VERIFIED_FILE), 'utf8')) as Partial<VerifiedRecord>;
  } catch {
    return false;
  }
  if (record.format !== VERIFIED_FORMAT || typeof record.files !== 'object' || record.files === null)
    return false;
  const now = await verificationInputs(dir, state);
  return usableInputs(now) && sameJson(record.files, now);
}
