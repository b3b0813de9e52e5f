// The one per-circuit check of a phase-2 setup, whether its files come from a ceremony directory or from a
// key export: the zkey is a valid chain from the r1cs and the ptau, its contributions are exactly the
// transcript's, its verification key (when given) is the zkey's, and it is for the recorded circuit.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { exists } from '../../fs/atomic.js';
import { sameJson } from '../../util/same-json.js';
import { snarkjs } from '../../zk/snarkjs.js';
import { sha256File } from '../hashing.js';
import { exportedFiles, type KeyManifest, type TranscriptEntry } from '../keyset.js';
import { snarkjsLogger, type ProgressFn } from '../progress.js';
import { readZkeyContributions, type ZkeyContribution } from '../zkey-info.js';

export interface CircuitVerifyReport {
  name: string;
  ok: boolean;
  reasons: string[];
  /** The contributions read from the final zkey (with hashes recomputed from it). */
  contributions: ZkeyContribution[];
}

/** One circuit's files as a ceremony directory or a key export holds them, and what its source found. */
export interface CircuitUnderCheck {
  name: string;
  r1cs: string;
  zkey: string;
  /** Problems the source found first (files that differ from their recorded hashes), reported first. */
  pre: string[];
  /** The verification key to compare with the zkey's; undefined: none to compare. */
  vkey?: unknown;
  /** The circuit as ceremony.json records it (absent for a key export): the zkey must be for this circuit. */
  recorded?: { circuitHash: string };
}

/** The chain every circuit of one setup is checked against. */
export interface ChainContext {
  ptauFile: string;
  transcript: readonly TranscriptEntry[];
  onProgress?: ProgressFn;
}

/** Checks one circuit (never throws on a failed check: ok=false with reasons, the source's first). */
export async function verifyCircuitKeys(
  c: CircuitUnderCheck,
  chain: ChainContext,
): Promise<CircuitVerifyReport> {
  const report = await verifyZkeyChain(c, chain);
  const pre = [...c.pre];
  if (c.recorded && report.contributions.length > 0) {
    const info = await readZkeyContributions(c.zkey).catch(() => undefined);
    if (info && info.circuitHash !== c.recorded.circuitHash)
      pre.push(`${c.name}: the zkey is for another circuit (circuit hash differs)`);
  }
  report.reasons.unshift(...pre);
  report.ok = report.reasons.length === 0;
  return report;
}

/** A verification key file's parsed JSON, or why it could not be read. */
export async function readVkeyFile(file: string): Promise<{ vkey: unknown } | { error: string }> {
  try {
    return { vkey: JSON.parse(await readFile(file, 'utf8')) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * Checks an export's manifest entry and file hashes for circuit `name`; with a ceremony, also that its zkey
 * is the ceremony's final one and that the manifest names the ceremony's ptau and transcript.
 */
export async function checkExportEntry(
  keysDir: string,
  name: string,
  manifest: KeyManifest,
  ceremony?: { finalZkey: string; ptauBlake2b: string; transcript: readonly TranscriptEntry[] },
): Promise<string[]> {
  const reasons: string[] = [];
  const entry = manifest.circuits[name];
  if (!entry) return [`keys: manifest.json has no entry for ${name}`];
  const files = exportedFiles(keysDir, name);
  for (const k of ['r1cs', 'wasm', 'zkey', 'vkey'] as const) {
    const actual = await sha256File(files[k]).catch(() => 'missing');
    if (actual !== entry[k])
      reasons.push(`keys: ${path.basename(files[k])} has sha256 ${actual}, manifest.json says ${entry[k]}`);
  }
  if (!ceremony) return reasons;
  const finalHash = await sha256File(ceremony.finalZkey).catch(() => 'missing');
  if (finalHash !== entry.zkey) reasons.push(`keys: ${name}.zkey is not the ceremony's final zkey`);
  if (manifest.ptau.blake2b !== ceremony.ptauBlake2b) reasons.push('keys: manifest.json names another ptau');
  if (!sameJson(manifest.transcript, ceremony.transcript)) {
    reasons.push('keys: the transcript in manifest.json differs from the ceremony transcript');
  }
  return reasons;
}

/**
 * The zkey is a valid chain from the r1cs and ptau (snarkjs verifyFromR1cs), its contributions are exactly
 * the transcript's, in order, and (when given) `vkey` is the zkey's.
 */
async function verifyZkeyChain(c: CircuitUnderCheck, chain: ChainContext): Promise<CircuitVerifyReport> {
  const { name, zkey } = c;
  const { onProgress } = chain;
  const reasons: string[] = [];
  let contributions: ZkeyContribution[] = [];
  if (!(await exists(zkey))) {
    return { name, ok: false, reasons: [`${name}: zkey ${zkey} is missing`], contributions };
  }
  onProgress?.({
    stage: 'zkey-verify',
    circuit: name,
    message: `${name}: snarkjs zkey verify (from r1cs and ptau)`,
  });
  const log = snarkjsLogger(onProgress, 'zkey-verify', name);
  try {
    const ok: unknown = await snarkjs.zKey.verifyFromR1cs(c.r1cs, chain.ptauFile, zkey, log);
    if (ok !== true) {
      const why = log.lines.filter((l) => l.startsWith('error')).join('; ');
      reasons.push(`${name}: snarkjs zkey verify rejected the zkey${why ? ` (${why})` : ''}`);
    }
  } catch (err) {
    reasons.push(`${name}: snarkjs zkey verify failed: ${(err as Error).message}`);
  }
  try {
    contributions = (await readZkeyContributions(zkey)).contributions;
  } catch (err) {
    reasons.push(`${name}: cannot read the zkey's contributions: ${(err as Error).message}`);
  }
  reasons.push(...compareContributions(name, contributions, chain.transcript));
  if (c.vkey !== undefined) {
    try {
      const derived: unknown = await snarkjs.zKey.exportVerificationKey(zkey);
      if (!sameJson(derived, c.vkey)) {
        reasons.push(`${name}: the exported verification key is not the one derived from the final zkey`);
      }
    } catch (err) {
      reasons.push(`${name}: cannot derive the verification key: ${(err as Error).message}`);
    }
  }
  return { name, ok: reasons.length === 0, reasons, contributions };
}

/** The zkey's contributions against the transcript's steps, one by one. */
function compareContributions(
  name: string,
  contributions: readonly ZkeyContribution[],
  transcript: readonly TranscriptEntry[],
): string[] {
  const reasons: string[] = [];
  if (contributions.length !== transcript.length) {
    reasons.push(
      `${name}: the zkey has ${contributions.length} contributions, the transcript lists ${transcript.length}`,
    );
  }
  const n = Math.min(contributions.length, transcript.length);
  for (let i = 0; i < n; i++) {
    const got = contributions[i]!;
    const want = transcript[i]!;
    const wantHash = want.contributions[name];
    if (got.name !== want.name) {
      reasons.push(
        `${name}: contribution #${i + 1} is by ${JSON.stringify(got.name)}, the transcript says ${JSON.stringify(want.name)}`,
      );
    }
    if (got.type !== want.type)
      reasons.push(`${name}: contribution #${i + 1} is a ${got.type}, the transcript says ${want.type}`);
    if (got.contributionHash !== wantHash) {
      reasons.push(
        `${name}: contribution #${i + 1} (${JSON.stringify(got.name)}) has hash ${got.contributionHash}, the transcript says ${wantHash ?? '(none)'}`,
      );
    }
    if (
      want.type === 'beacon' &&
      (got.beaconHash !== want.beacon?.hash || got.numIterationsExp !== want.beacon?.iterationsExp)
    ) {
      reasons.push(`${name}: beacon #${i + 1} parameters differ from the transcript`);
    }
  }
  return reasons;
}
