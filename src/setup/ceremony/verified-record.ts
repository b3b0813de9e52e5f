// verified.json in a ceremony directory: the SHA-256 of every file a full `setup verify` read, written only
// after every circuit of the ceremony verified. `setup export` checks the ceremony before exporting; while this
// record still matches the directory byte for byte, it skips doing the same verification a second time (for a
// 2^16 chunk circuit that is minutes). Any contribution, beacon or edit changes a hash, and export verifies
// again. What it does not guarantee: someone who can write the directory can write this file too, so it is the
// coordinator's own cache, never evidence for anyone else. Users and auditors verify the export themselves
// (`zkreserve setup verify --keys <dir> --ptau <file>`), which never reads this file.
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

/**
 * The SHA-256 of every file a full verification of `dir` reads, by path relative to `dir`: the state, the
 * phase-1 file, and each circuit's r1cs and final zkey. A missing file is recorded as "missing".
 */
export async function verificationInputs(dir: string, state: CeremonyState): Promise<Record<string, string>> {
  const p = ceremonyPaths(dir);
  const last = state.transcript.length;
  const files = [p.state, p.ptau, ...state.circuits.flatMap((c) => [p.r1cs(c.name), p.zkey(c.name, last)])];
  const out: Record<string, string> = {};
  for (const f of files) out[path.relative(dir, f)] = await sha256File(f).catch(() => 'missing');
  return out;
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
  if (Object.values(now).includes('missing')) return false;
  return sameJson(record.files, now);
}
