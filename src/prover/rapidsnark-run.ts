// One rapidsnark run: `rapidsnark <zkey> <wtns> <proof.json> <public.json>` (execFile, no shell), then its
// outputs read back as snarkjs JSON. rapidsnark leaves out the `curve` field snarkjs writes; the proof is
// rebuilt with snarkjs' fields in snarkjs' order, so that bundles do not depend on the prover.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Groth16Proof, PublicSignals } from '../zk/snarkjs.js';
import { RapidsnarkBinaryError, RapidsnarkProofError } from './errors.js';
import type { ProveResult } from './prove-pool.js';

export interface RapidsnarkFiles {
  zkey: string;
  wtns: string;
  proof: string;
  public: string;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function decimals(v: unknown, n: number): v is string[] {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'string' && DECIMAL.test(x));
}

/** The proof in snarkjs' shape, or null when `v` does not have it. Values are not checked here. */
export function snarkjsProofOf(v: unknown): Groth16Proof | null {
  if (typeof v !== 'object' || v === null) return null;
  const p = v as Record<string, unknown>;
  const b = p.pi_b;
  if (!decimals(p.pi_a, 3) || !decimals(p.pi_c, 3)) return null;
  if (!Array.isArray(b) || b.length !== 3 || !b.every((row) => decimals(row, 2))) return null;
  if (p.protocol !== 'groth16' || (p.curve !== undefined && p.curve !== 'bn128')) return null;
  return {
    pi_a: [...p.pi_a],
    pi_b: (b as string[][]).map((row) => [...row]),
    pi_c: [...p.pi_c],
    protocol: 'groth16',
    curve: 'bn128',
  };
}

function parseOutputs(proofText: string, publicText: string): ProveResult | string {
  let proofJson: unknown;
  let publicJson: unknown;
  try {
    proofJson = JSON.parse(proofText);
  } catch {
    return `its proof file is not JSON (${JSON.stringify(proofText.slice(0, 80))})`;
  }
  try {
    publicJson = JSON.parse(publicText);
  } catch {
    return `its public signals file is not JSON (${JSON.stringify(publicText.slice(0, 80))})`;
  }
  const proof = snarkjsProofOf(proofJson);
  if (!proof) return 'its proof file is not a snarkjs Groth16 BN254 proof (pi_a, pi_b, pi_c, protocol)';
  if (!Array.isArray(publicJson) || !publicJson.every((x) => typeof x === 'string' && DECIMAL.test(x)))
    return 'its public signals file is not an array of decimal strings';
  return { proof, publicSignals: publicJson as PublicSignals };
}

function exec(binary: string, args: string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { signal, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      reject(Object.assign(err, { stderr: String(stderr) }));
    });
  });
}

function runError(binary: string, jobId: string, err: unknown): Error {
  const e = err as Error & { code?: number | string; signal?: string | null; stderr?: string };
  if (e.name === 'AbortError')
    return new RapidsnarkProofError(binary, jobId, `proof ${jobId}: stopped (pool closed)`);
  if (e.code === 'ENOENT' || e.code === 'EACCES')
    return new RapidsnarkBinaryError(binary, `rapidsnark binary ${binary} cannot be run (${e.code})`);
  const tail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${String(e.code)}`;
  return new RapidsnarkProofError(
    binary,
    jobId,
    `rapidsnark (${binary}) failed on proof ${jobId}: it ${how}${tail ? `: ${tail}` : ''}`,
  );
}

/**
 * Proves with rapidsnark: runs it on `files` and reads back the proof and public signals. Throws
 * RapidsnarkProofError when it fails or writes something that is not snarkjs JSON; a well-formed but wrong
 * proof is returned (runProofs refuses it).
 */
export async function runRapidsnark(
  binary: string,
  jobId: string,
  files: RapidsnarkFiles,
  signal: AbortSignal,
): Promise<ProveResult> {
  try {
    await exec(binary, [files.zkey, files.wtns, files.proof, files.public], signal);
  } catch (err) {
    throw runError(binary, jobId, err);
  }
  const [proofText, publicText] = await Promise.all([
    readFile(files.proof, 'utf8').catch(() => ''),
    readFile(files.public, 'utf8').catch(() => ''),
  ]);
  const parsed = parseOutputs(proofText, publicText);
  if (typeof parsed === 'string')
    throw new RapidsnarkProofError(binary, jobId, `rapidsnark (${binary}) on proof ${jobId}: ${parsed}`);
  return parsed;
}
