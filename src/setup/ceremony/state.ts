// A phase-2 ceremony directory: its layout, its state file (ceremony.json) and the receipt format.
//
// Layout of a ceremony directory:
//   ceremony.json                 state: ptau record, circuits, transcript (who contributed, in order, hashes)
//   phase1.ptau                   the imported phase-1 file (hash-checked against ceremony.json)
//   circuits/<name>.r1cs, .wasm   the compiled circuits the keys are for
//   zkeys/<name>_NNNN.zkey        the zkey of every circuit after contribution NNNN (0000: initial)
//   receipts/NNNN.json            what contributor NNNN publishes (name + contribution hash per circuit)
//   verified.json                 hashes of the files a full `setup verify` passed on (verified-record.ts)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CircuitKind } from '../../protocol/families.js';
import { CeremonyStateError, SnarkjsSetupError } from '../errors.js';
import type { TranscriptEntry } from '../keyset.js';
import type { PtauRecord } from '../ptau.js';

export const CEREMONY_FORMAT = 'zkreserve-ceremony/1';

/** A circuit to set up: one of a family, or any compiled circuit (tests, other projects). */
export interface CeremonyCircuitInput {
  name: string;
  r1csPath: string;
  wasmPath: string;
  constraints: number;
  nPublic: number;
  family?: string;
  kind?: CircuitKind;
  sourceHash?: string;
}

export interface CeremonyCircuit {
  name: string;
  family?: string;
  kind?: CircuitKind;
  constraints: number;
  nPublic: number;
  requiredPower: number;
  sourceHash?: string;
  /** sha256 of circuits/<name>.r1cs and .wasm. */
  r1cs: string;
  wasm: string;
  /** blake2b-512 of the circuit's initial parameters, as snarkjs prints it ("Circuit Hash"). */
  circuitHash: string;
}

export interface CeremonyTranscriptEntry extends TranscriptEntry {
  /** sha256 of zkeys/<name>_NNNN.zkey after this step. */
  zkeys: Record<string, string>;
}

export interface CeremonyState {
  format: typeof CEREMONY_FORMAT;
  ptau: Omit<PtauRecord, 'file'> & { file: string; importedFrom: string };
  circuits: CeremonyCircuit[];
  /** sha256 of every zkeys/<name>_0000.zkey. */
  initialZkeys: Record<string, string>;
  transcript: CeremonyTranscriptEntry[];
  /** True once the final beacon is applied: no more contributions. */
  finalized: boolean;
}

export interface ContributionReceipt {
  ceremony: typeof CEREMONY_FORMAT;
  name: string;
  index: number;
  type: 'contribution' | 'beacon';
  /** Circuit name -> contribution hash (blake2b-512 hex): compare with `snarkjs zkey verify` output. */
  contributions: Record<string, string>;
  beacon?: { hash: string; iterationsExp: number };
}

export const STATE_FILE = 'ceremony.json';
export const PTAU_FILE = 'phase1.ptau';

/** The files of the ceremony in `dir`. */
export const ceremonyPaths = (dir: string) => ({
  state: path.join(dir, STATE_FILE),
  ptau: path.join(dir, PTAU_FILE),
  r1cs: (name: string) => path.join(dir, 'circuits', `${name}.r1cs`),
  wasm: (name: string) => path.join(dir, 'circuits', `${name}.wasm`),
  zkey: (name: string, index: number) =>
    path.join(dir, 'zkeys', `${name}_${String(index).padStart(4, '0')}.zkey`),
  receipt: (index: number) => path.join(dir, 'receipts', `${String(index).padStart(4, '0')}.json`),
  lock: path.join(dir, '.ceremony.lock'),
});

/** The ceremony directory's state (throws CeremonyStateError when missing or unreadable). */
export async function readCeremony(dir: string): Promise<CeremonyState> {
  const file = ceremonyPaths(dir).state;
  let state: CeremonyState;
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as CeremonyState;
  } catch (err) {
    throw new CeremonyStateError(`cannot read ceremony state ${file}: ${(err as Error).message}`);
  }
  if (
    state.format !== CEREMONY_FORMAT ||
    !Array.isArray(state.circuits) ||
    !Array.isArray(state.transcript)
  ) {
    throw new CeremonyStateError(`${file} is not a ${CEREMONY_FORMAT} ceremony state`);
  }
  return state;
}

/** The transcript as a key export publishes it (without the ceremony's zkey file hashes). */
export const stripZkeys = (t: readonly CeremonyTranscriptEntry[]): TranscriptEntry[] =>
  t.map(({ zkeys: _zkeys, ...rest }) => rest);

/** Check a snarkjs return value (many snarkjs functions return -1/false instead of throwing). */
export function checkSnarkjs(result: unknown, what: string, lines: string[]): void {
  if (result === -1 || result === false) {
    throw new SnarkjsSetupError(`${what} failed: ${lines.filter((l) => !l.startsWith('debug')).join('; ')}`);
  }
}
