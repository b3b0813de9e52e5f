// `setup verify`: anyone re-checks a setup, from a ceremony directory (setupVerify) or from a key export
// alone (verifyKeyExport). Both check the ptau, then every circuit with the one per-circuit routine
// (verify-circuit.ts), then the contributors' published receipts.
import path from 'node:path';
import { snarkjs } from '../../zk/snarkjs.js';
import { DEV_PTAU_INSECURE_REASON, insecurePtauReason } from '../dev-ptau-id.js';
import { CeremonyStateError } from '../errors.js';
import { blake2bFile, sha256File } from '../hashing.js';
import { hermezEntryForPower } from '../hermez.js';
import { exportedFiles, readManifest, type KeyManifest, type TranscriptEntry } from '../keyset.js';
import { snarkjsLogger, type ProgressFn } from '../progress.js';
import { readPtauHeader } from '../ptau.js';
import { sameJson } from '../../util/same-json.js';
import { checkReceipts, type ReceiptCheck } from './receipts.js';
import { VERIFIED_FILE, usableInputs, verificationInputs, writeVerifiedRecord } from './verified-record.js';
import {
  STATE_FILE,
  ceremonyPaths,
  readCeremony,
  stripZkeys,
  type CeremonyCircuit,
  type CeremonyState,
  type ContributionReceipt,
} from './state.js';
import {
  checkExportEntry,
  readVkeyFile,
  verifyCircuitKeys,
  type ChainContext,
  type CircuitUnderCheck,
  type CircuitVerifyReport,
} from './verify-circuit.js';

export interface VerifyReport {
  ok: boolean;
  /** Every reason the setup is not acceptable; empty when ok. */
  reasons: string[];
  /** Not failures (e.g. the ceremony is not finalized yet). */
  warnings: string[];
  ptau: { ok: boolean; power: number; blake2b: string; origin: string };
  circuits: CircuitVerifyReport[];
  transcript: TranscriptEntry[];
  /** One per published receipt given to the check, in the order given. */
  receipts: ReceiptCheck[];
}

export interface VerifyOptions {
  /** Check this phase-1 file instead of the ceremony's copy (e.g. one downloaded independently). */
  ptauFile?: string;
  /** Also check a key export (setupExport output) against the final zkeys. */
  keysDir?: string;
  /** Also run `snarkjs powersoftau verify` (slow for big files). */
  verifyPtau?: boolean;
  /** Check only these circuits (default: all). */
  circuits?: readonly string[];
  /**
   * Receipts the contributors published themselves (readReceipt): each must be a step of the chain, in the
   * order given, with the same name and, for every circuit, the same contribution hash as the transcript and
   * as the one recomputed from the zkey.
   */
  receipts?: readonly ContributionReceipt[];
  onProgress?: ProgressFn;
}

export interface VerifyKeyExportOptions {
  ptauFile: string;
  onProgress?: ProgressFn;
  verifyPtau?: boolean;
  circuits?: readonly string[];
  /** Contributors' published receipts, as for setupVerify. */
  receipts?: readonly ContributionReceipt[];
}

/**
 * Anyone can run this on a ceremony directory: recomputes from the r1cs and the ptau that every final zkey is a
 * valid chain of exactly the transcript's contributions, in order. Never throws on a failed check (ok=false
 * with reasons); throws CeremonyStateError when the directory cannot be read at all.
 */
export async function setupVerify(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { onProgress } = options;
  const state = await readCeremony(dir);
  // A full check of the directory's own files is recorded (verified-record.ts), so export need not repeat it.
  const full = options.ptauFile === undefined && options.circuits === undefined;
  const inputs = full ? await verificationInputs(dir, state) : undefined;
  const reasons: string[] = [];
  const warnings: string[] = [];
  const ptauFile = options.ptauFile ? path.resolve(options.ptauFile) : ceremonyPaths(dir).ptau;
  const ptau = await checkPtau(ptauFile, state.ptau, reasons, options.verifyPtau ?? false, onProgress);
  if (state.ptau.origin !== 'hermez')
    warnings.push(`the ptau is not a published Hermez file (origin: ${state.ptau.origin})`);
  const transcript = stripZkeys(state.transcript);
  if (!transcript.some((t) => t.type === 'contribution'))
    reasons.push('no contribution yet: the setup secret is known');
  if (!state.finalized) warnings.push('the ceremony is not finalized (no beacon yet)');
  transcript.forEach((t, i) => {
    if (t.index !== i + 1) reasons.push(`transcript entry ${i + 1} has index ${t.index}`);
    if (t.type === 'beacon' && i !== transcript.length - 1)
      reasons.push(`the beacon (#${t.index}) is not the last step`);
  });
  let manifest: KeyManifest | undefined;
  if (options.keysDir) {
    try {
      manifest = await readManifest(options.keysDir);
    } catch (err) {
      reasons.push(`keys: ${(err as Error).message}`);
    }
  }
  const keys = options.keysDir && manifest ? { dir: options.keysDir, manifest } : undefined;
  const names = state.circuits.map((c) => c.name);
  const only = selected(names, options.circuits);
  const checked = await checkCircuits(
    state.circuits.filter((c) => only.includes(c.name)),
    (c) => ceremonyCircuit(dir, state, c, transcript, keys),
    { ptauFile, transcript, ...(onProgress ? { onProgress } : {}) },
    names,
    options.receipts,
    reasons,
  );
  if (inputs && reasons.length === 0) await recordVerified(dir, state, inputs, warnings);
  return verifyReport(reasons, warnings, ptau, checked, transcript);
}

/**
 * Writes verified.json when the files are still those hashed before the checks began (a contribution that
 * landed meanwhile is not recorded as verified); a directory that cannot be written (an auditor's read-only
 * copy) gets a warning, not a failure.
 */
async function recordVerified(
  dir: string,
  state: CeremonyState,
  before: Record<string, string>,
  warnings: string[],
): Promise<void> {
  if (!usableInputs(before) || !sameJson(await verificationInputs(dir, state), before)) {
    warnings.push(`the ceremony changed while it was being verified: ${VERIFIED_FILE} not written`);
    return;
  }
  try {
    await writeVerifiedRecord(dir, before);
  } catch (err) {
    warnings.push(`could not write ${VERIFIED_FILE} (${(err as Error).message})`);
  }
}

/**
 * Check a key export on its own (what a user or auditor has): every file matches manifest.json, every zkey is a
 * valid chain from its r1cs and `ptauFile` with exactly the manifest's transcript, and every verification key
 * is the one derived from its zkey. Never throws on a failed check; throws when manifest.json is unreadable.
 */
export async function verifyKeyExport(
  keysDir: string,
  options: VerifyKeyExportOptions,
): Promise<VerifyReport> {
  const manifest = await readManifest(keysDir);
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (manifest.kind === 'insecure-dev')
    reasons.push('these are insecure development keys (kind "insecure-dev")');
  if (!manifest.transcript.some((t) => t.type === 'contribution'))
    reasons.push('no contribution: the setup secret is known');
  if (manifest.ptau.origin !== 'hermez')
    warnings.push(`the ptau is not a published Hermez file (origin: ${manifest.ptau.origin})`);
  const ptauFile = path.resolve(options.ptauFile);
  const ptau = await checkPtau(
    ptauFile,
    manifest.ptau,
    reasons,
    options.verifyPtau ?? false,
    options.onProgress,
  );
  const names = Object.keys(manifest.circuits);
  const checked = await checkCircuits(
    selected(names, options.circuits),
    (name) => exportCircuit(keysDir, name, manifest),
    {
      ptauFile,
      transcript: manifest.transcript,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    names,
    options.receipts,
    reasons,
  );
  return verifyReport(reasons, warnings, ptau, checked, manifest.transcript);
}

/** Each circuit through verifyCircuitKeys, then the receipts against the chain; adds every reason to `reasons`. */
async function checkCircuits<C>(
  items: readonly C[],
  prepare: (item: C) => Promise<CircuitUnderCheck>,
  chain: ChainContext,
  circuitNames: readonly string[],
  receipts: readonly ContributionReceipt[] | undefined,
  reasons: string[],
): Promise<{ circuits: CircuitVerifyReport[]; receipts: ReceiptCheck[] }> {
  const circuits: CircuitVerifyReport[] = [];
  for (const item of items) {
    const report = await verifyCircuitKeys(await prepare(item), chain);
    circuits.push(report);
    reasons.push(...report.reasons);
  }
  const checks = checkReceipts(receipts ?? [], chain.transcript, circuitNames, circuits);
  for (const r of checks) reasons.push(...r.reasons);
  return { circuits, receipts: checks };
}

function verifyReport(
  reasons: string[],
  warnings: string[],
  ptau: VerifyReport['ptau'],
  checked: { circuits: CircuitVerifyReport[]; receipts: ReceiptCheck[] },
  transcript: TranscriptEntry[],
): VerifyReport {
  const { circuits, receipts } = checked;
  return { ok: reasons.length === 0, reasons, warnings, ptau, circuits, transcript, receipts };
}

/** A ceremony circuit's final files, checked against ceremony.json (and, given `keys`, against the export). */
async function ceremonyCircuit(
  dir: string,
  state: CeremonyState,
  c: CeremonyCircuit,
  transcript: readonly TranscriptEntry[],
  keys: { dir: string; manifest: KeyManifest } | undefined,
): Promise<CircuitUnderCheck> {
  const p = ceremonyPaths(dir);
  const last = state.transcript.length;
  const r1cs = p.r1cs(c.name);
  const r1csHash = await sha256File(r1cs).catch(() => 'missing');
  const pre: string[] = [];
  if (r1csHash !== c.r1cs)
    pre.push(`${c.name}: ${r1cs} does not match the recorded sha256 ${c.r1cs} (actual ${r1csHash})`);
  const zkey = p.zkey(c.name, last);
  const recorded = last > 0 ? state.transcript[last - 1]!.zkeys[c.name] : state.initialZkeys[c.name];
  const zkeyHash = await sha256File(zkey).catch(() => 'missing');
  if (zkeyHash !== recorded) {
    pre.push(
      `${c.name}: ${path.basename(zkey)} is not the zkey recorded in ${STATE_FILE} (sha256 ${zkeyHash}, recorded ${recorded ?? '(none)'})`,
    );
  }
  let vkey: unknown;
  if (keys) {
    const read = await readVkeyFile(exportedFiles(keys.dir, c.name).vkey);
    if ('error' in read) pre.push(`${c.name}: exported verification key unreadable: ${read.error}`);
    else vkey = read.vkey;
    const ceremony = { finalZkey: zkey, ptauBlake2b: state.ptau.blake2b, transcript };
    pre.push(...(await checkExportEntry(keys.dir, c.name, keys.manifest, ceremony)));
  }
  const circuit = { name: c.name, r1cs, zkey, pre, recorded: { circuitHash: c.circuitHash } };
  return vkey !== undefined ? { ...circuit, vkey } : circuit;
}

/** An exported circuit's files, checked against manifest.json; an unreadable vkey is compared as null. */
async function exportCircuit(
  keysDir: string,
  name: string,
  manifest: KeyManifest,
): Promise<CircuitUnderCheck> {
  const files = exportedFiles(keysDir, name);
  const pre = await checkExportEntry(keysDir, name, manifest);
  const read = await readVkeyFile(files.vkey);
  if ('error' in read) pre.push(`${name}: verification key unreadable: ${read.error}`);
  return { name, r1cs: files.r1cs, zkey: files.zkey, pre, vkey: 'error' in read ? null : read.vkey };
}

function selected(names: readonly string[], only: readonly string[] | undefined): string[] {
  if (!only) return [...names];
  for (const n of only)
    if (!names.includes(n)) throw new CeremonyStateError(`unknown circuit ${JSON.stringify(n)}`);
  return names.filter((n) => only.includes(n));
}

async function checkPtau(
  file: string,
  expected: { power: number; blake2b: string; origin: string },
  reasons: string[],
  verifyPtau: boolean,
  onProgress?: ProgressFn,
): Promise<{ ok: boolean; power: number; blake2b: string; origin: string }> {
  const start = reasons.length;
  const blake2b = await blake2bFile(file);
  let power = -1;
  try {
    power = (await readPtauHeader(file)).power;
  } catch (err) {
    reasons.push(`ptau ${file} is unreadable: ${(err as Error).message}`);
  }
  if (blake2b !== expected.blake2b) {
    reasons.push(
      `ptau ${file} does not match the recorded hash: expected blake2b-512 ${expected.blake2b}, actual ${blake2b}`,
    );
  }
  if (power !== -1 && power !== expected.power)
    reasons.push(`ptau power is 2^${power}, recorded 2^${expected.power}`);
  const insecure = insecurePtauReason(blake2b) ?? insecurePtauReason(expected.blake2b);
  if (insecure !== null || expected.origin === 'insecure-dev')
    reasons.push(`ptau: ${insecure ?? DEV_PTAU_INSECURE_REASON}`);
  if (expected.origin === 'hermez') {
    const published = hermezEntryForPower(expected.power);
    if (!published || published.blake2b !== blake2b) {
      reasons.push(
        `ptau is recorded as the published Hermez file but its blake2b-512 ${blake2b} is not the published ` +
          `${published?.blake2b ?? '(none for this power)'}`,
      );
    }
  }
  if (verifyPtau && reasons.length === start) {
    onProgress?.({ stage: 'ptau-verify', message: 'snarkjs powersoftau verify (slow)' });
    const ok: unknown = await snarkjs.powersOfTau
      .verify(file, snarkjsLogger(onProgress, 'ptau-verify'))
      .catch((err: Error) => err.message);
    if (ok !== true)
      reasons.push(`snarkjs powersoftau verify rejected ${file}${typeof ok === 'string' ? `: ${ok}` : ''}`);
  }
  return { ok: reasons.length === start, power, blake2b, origin: expected.origin };
}
