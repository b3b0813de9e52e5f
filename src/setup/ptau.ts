// Phase 1: import a public powers-of-tau file, checked against the published Hermez hashes.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { snarkjs } from '../zk/snarkjs.js';
import { insecurePtauReason } from './dev-ptau-id.js';
import {
  InsecurePtauError,
  PtauFormatError,
  PtauHashMismatchError,
  PtauTooSmallError,
  PtauVerifyError,
} from './errors.js';
import { blake2bFile, sha256File } from './hashing.js';
import { HERMEZ_PTAU, HERMEZ_PTAU_SOURCE, hermezEntryForHash, hermezEntryForPower } from './hermez.js';
import { snarkjsLogger, type ProgressFn } from './progress.js';

/** BN254 base field modulus: the only curve zkreserve's circuits use. */
const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

export interface PtauHeader {
  /** The file holds 2^power powers (this is what limits the circuit size). */
  power: number;
  /** Power of the ceremony the file was truncated from. */
  ceremonyPower: number;
  /** Prepared for phase 2 (has the Lagrange sections snarkjs `zkey new` needs). */
  preparedForPhase2: boolean;
}

export type PtauOrigin = 'hermez' | 'unlisted' | 'insecure-dev';

export interface PtauRecord {
  /** Absolute path of the file that was checked. */
  file: string;
  power: number;
  ceremonyPower: number;
  blake2b: string;
  sha256: string;
  origin: PtauOrigin;
  /** For origin 'hermez': the published file name and the list the hash was checked against. */
  hermezFile?: string;
  source?: string;
  /** Whether `snarkjs powersoftau verify` was run on it (and passed). */
  verified: boolean;
}

export interface ImportPtauOptions {
  /** Accept a file that is not on the published list (recorded as origin 'unlisted'). */
  allowUnlisted?: boolean;
  /**
   * Accept the public insecure dev ptau (recorded as origin 'insecure-dev'; tests of the ceremony mechanics
   * only). Without it the dev ptau is refused even with `allowUnlisted`: keys built on it are forgeable.
   */
  allowInsecureDev?: boolean;
  /**
   * Also run `snarkjs powersoftau verify`. Slow: it recomputes the initial challenge of the original ceremony,
   * 2^ceremonyPower points, so even the 2^8 Hermez file (ceremony power 28) takes well over 8 minutes.
   */
  verify?: boolean;
  onProgress?: ProgressFn;
}

/** Read the header of a ptau file (binfile "ptau": sections of type u32 + size u64). */
export async function readPtauHeader(file: string): Promise<PtauHeader> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new PtauFormatError(`cannot open powers-of-tau file ${file}: ${(err as Error).message}`);
  }
  try {
    const { size } = await fh.stat();
    const read = async (pos: number, len: number): Promise<Buffer> => {
      if (pos + len > size) throw new PtauFormatError(`${file}: truncated powers-of-tau file`);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, pos);
      return buf;
    };
    const head = await read(0, 12);
    if (head.toString('latin1', 0, 4) !== 'ptau') {
      throw new PtauFormatError(
        `${file} is not a powers-of-tau file (magic ${JSON.stringify(head.toString('latin1', 0, 4))})`,
      );
    }
    const nSections = head.readUInt32LE(8);
    let pos = 12;
    let header: { power: number; ceremonyPower: number } | undefined;
    let prepared = false;
    for (let i = 0; i < nSections; i++) {
      const sh = await read(pos, 12);
      const type = sh.readUInt32LE(0);
      const len = Number(sh.readBigUInt64LE(4));
      pos += 12;
      if (type === 1) {
        const h = await read(pos, len);
        const n8 = h.readUInt32LE(0);
        let q = 0n;
        for (let b = n8 - 1; b >= 0; b--) q = (q << 8n) | BigInt(h[4 + b]!);
        if (q !== BN254_Q)
          throw new PtauFormatError(`${file}: powers of tau for another curve (only bn128 is supported)`);
        header = { power: h.readUInt32LE(4 + n8), ceremonyPower: h.readUInt32LE(8 + n8) };
      }
      if (type === 12 && len > 0) prepared = true;
      pos += len;
    }
    if (pos !== size) throw new PtauFormatError(`${file}: section table does not match the file size`);
    if (!header) throw new PtauFormatError(`${file}: powers-of-tau file has no header section`);
    return { ...header, preparedForPhase2: prepared };
  } finally {
    await fh.close();
  }
}

/** Smallest power p with 2^p >= constraints + nPublic + 1 (what snarkjs `zkey new` needs). */
export function requiredPower(constraints: number, nPublic: number): number {
  if (
    !Number.isSafeInteger(constraints) ||
    constraints < 0 ||
    !Number.isSafeInteger(nPublic) ||
    nPublic < 0
  ) {
    throw new RangeError(`invalid circuit size: constraints=${constraints}, nPublic=${nPublic}`);
  }
  const n = BigInt(constraints + nPublic + 1);
  let p = 0;
  while (1n << BigInt(p) < n) p++;
  return p;
}

/** Throw PtauTooSmallError unless a ptau of power `available` fits the circuit. */
export function assertPtauFits(
  circuit: { name: string; constraints: number; nPublic: number },
  available: number,
): void {
  const required = requiredPower(circuit.constraints, circuit.nPublic);
  if (required > available) {
    throw new PtauTooSmallError(
      `powers of tau too small for circuit ${circuit.name}: it needs 2^${required} ` +
        `(${circuit.constraints} constraints + ${circuit.nPublic} public signals + 1), the ptau has 2^${available}`,
      circuit.name,
      required,
      available,
    );
  }
}

const HERMEZ_NAME = /^powersOfTau28_hez_final(_\d\d)?\.ptau$/;

/**
 * Check a phase-1 file before it is used: header, prepared for phase 2, blake2b-512 against the published
 * Hermez list for its power. A mismatch is refused with expected and actual hashes; a file of another origin
 * is accepted only with `allowUnlisted` (recorded as origin 'unlisted'). A file named like a Hermez file whose
 * hash does not match is a corrupted or tampered download and is refused even with `allowUnlisted`. The public
 * insecure dev ptau is refused (InsecurePtauError) unless `allowInsecureDev`: keys built on it are forgeable.
 */
export async function importPtau(file: string, options: ImportPtauOptions = {}): Promise<PtauRecord> {
  const { allowUnlisted = false, verify = false, onProgress } = options;
  const abs = path.resolve(file);
  const header = await readPtauHeader(abs);
  if (!header.preparedForPhase2) {
    throw new PtauFormatError(
      `${abs} is not prepared for phase 2 (no Lagrange sections): run \`snarkjs powersoftau prepare phase2\` ` +
        `or use a published powersOfTau28_hez_final_NN.ptau file`,
    );
  }
  onProgress?.({ stage: 'ptau-hash', message: `hashing ${path.basename(abs)} (blake2b-512)` });
  const [blake2b, sha256] = await Promise.all([blake2bFile(abs), sha256File(abs)]);
  const expected = hermezEntryForPower(header.power);
  const listed = hermezEntryForHash(blake2b);
  const common = {
    file: abs,
    power: header.power,
    ceremonyPower: header.ceremonyPower,
    blake2b,
    sha256,
    verified: false,
  };
  let record: PtauRecord;
  const insecure = insecurePtauReason(blake2b);
  if (insecure !== null) {
    if (options.allowInsecureDev !== true) {
      throw new InsecurePtauError(
        `refusing ${abs}: ${insecure}. Use a published powersOfTau28_hez_final_NN.ptau file ` +
          '(or another phase-1 file whose secrets nobody knows, with --allow-unlisted).',
      );
    }
    record = { ...common, origin: 'insecure-dev' };
  } else if (listed && listed.power === header.power) {
    record = { ...common, origin: 'hermez', hermezFile: listed.file, source: HERMEZ_PTAU_SOURCE };
  } else {
    const looksHermez = HERMEZ_NAME.test(path.basename(abs));
    const expectedText = expected
      ? `expected blake2b-512 ${expected.blake2b} (published ${expected.file}), actual ${blake2b}`
      : `no published Hermez file has power ${header.power} (published powers: ${HERMEZ_PTAU.map((e) => e.power).join(', ')}); actual blake2b-512 ${blake2b}`;
    if (looksHermez) {
      throw new PtauHashMismatchError(
        `${abs} is named like a published Hermez file but its hash does not match (corrupted or tampered download): ${expectedText}`,
        expected?.blake2b,
        blake2b,
      );
    }
    if (!allowUnlisted) {
      throw new PtauHashMismatchError(
        `${abs} is not a published Hermez powers-of-tau file: ${expectedText}. ` +
          `Use a published file, or pass --allow-unlisted if you trust its origin (it will be recorded as "unlisted").`,
        expected?.blake2b,
        blake2b,
      );
    }
    record = { ...common, origin: 'unlisted' };
  }
  if (verify) {
    onProgress?.({
      stage: 'ptau-verify',
      message: `snarkjs powersoftau verify ${path.basename(abs)} (slow)`,
    });
    const log = snarkjsLogger(onProgress, 'ptau-verify');
    let ok: unknown;
    try {
      ok = await snarkjs.powersOfTau.verify(abs, log);
    } catch (err) {
      throw new PtauVerifyError(`snarkjs powersoftau verify failed on ${abs}: ${(err as Error).message}`);
    }
    if (ok !== true) {
      const why = log.lines.filter((l) => l.startsWith('error')).join('; ');
      throw new PtauVerifyError(`snarkjs powersoftau verify rejected ${abs}${why ? `: ${why}` : ''}`);
    }
    record.verified = true;
  }
  onProgress?.({ stage: 'ptau-ok', message: `ptau 2^${record.power} accepted (origin: ${record.origin})` });
  return record;
}
