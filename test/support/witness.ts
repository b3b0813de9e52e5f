// Witness computation (snarkjs wtns.calculate), reading and tampering .wtns data, and checking a
// witness against an r1cs (snarkjs wtns.check). Node only.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../src/fs/atomic.js';
import { ZkReserveError } from '../../src/errors.js';
import { FIELD_P } from '../../src/crypto/field.js';
import { snarkjs } from '../../src/zk/snarkjs.js';

/** A circuit input: every signal is a bigint in [0, p), or a (nested) array of them. */
export type SignalValue = bigint | readonly SignalValue[];
export type WitnessInput = Readonly<Record<string, SignalValue>>;

/** The circuit's constraints cannot be satisfied by this input (a circom assert or === failed). */
export class WitnessAssertError extends ZkReserveError {
  /** circom's message (template and line of the failed assert). */
  readonly detail: string;
  constructor(detail: string) {
    super('WITNESS_ASSERT', `the circuit rejects this input: ${detail}`);
    this.detail = detail;
  }
}

/** The input is malformed: a JS number, a value outside the field, an unknown or mis-sized signal. */
export class WitnessInputError extends ZkReserveError {
  constructor(message: string) {
    super('WITNESS_INPUT', message);
  }
}

/** A .wtns file or buffer that cannot be parsed. */
export class WitnessFormatError extends ZkReserveError {
  constructor(message: string) {
    super('WITNESS_FORMAT', message);
  }
}

function encodeSignal(v: unknown, path: string): unknown {
  if (typeof v === 'bigint') {
    if (v < 0n || v >= FIELD_P)
      throw new WitnessInputError(`input ${path} = ${v} is not in the field [0, p)`);
    return v.toString();
  }
  if (Array.isArray(v)) return v.map((x, i) => encodeSignal(x, `${path}[${i}]`));
  throw new WitnessInputError(`input ${path} must be a bigint (or an array of bigints), got ${typeof v}`);
}

function encodeInput(input: WitnessInput): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new WitnessInputError('witness input must be an object of signal name -> value');
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) out[name] = encodeSignal(value, name);
  return out;
}

/**
 * Computes the witness of `input` with the circuit's witness generator. Returns the .wtns bytes, or,
 * with `outPath`, writes them there (atomically) and returns the path.
 * Throws WitnessAssertError when the circuit's asserts / constraints reject the input.
 */
export async function calculateWitness(wasmPath: string, input: WitnessInput): Promise<Uint8Array>;
export async function calculateWitness(
  wasmPath: string,
  input: WitnessInput,
  outPath: string,
): Promise<string>;
export async function calculateWitness(
  wasmPath: string,
  input: WitnessInput,
  outPath?: string,
): Promise<Uint8Array | string> {
  const encoded = encodeInput(input);
  const mem: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
  try {
    await snarkjs.wtns.calculate(encoded, wasmPath, mem);
  } catch (err) {
    throw classifyError(err);
  }
  if (!mem.data) throw new WitnessFormatError('snarkjs produced no witness data');
  const data = mem.data;
  if (outPath === undefined) return data;
  await writeFileAtomic(outPath, data);
  return outPath;
}

function classifyError(err: unknown): Error {
  const message = (err instanceof Error ? err.message : String(err)).trim();
  if (/Assert Failed/i.test(message)) return new WitnessAssertError(message.replace(/^Error:\s*/, ''));
  if (/Signal not found|Not enough values|Too many values|Not all inputs/i.test(message)) {
    return new WitnessInputError(`the circuit rejects the input's shape: ${message}`);
  }
  return err instanceof Error ? err : new Error(message);
}

async function loadWtns(wtns: Uint8Array | string): Promise<Uint8Array> {
  return typeof wtns === 'string' ? new Uint8Array(await readFile(wtns)) : wtns;
}

interface WtnsLayout {
  n8: number;
  nWitness: number;
  /** Byte offset of witness value 0. */
  valuesAt: number;
}

function layout(data: Uint8Array): WtnsLayout {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = String.fromCharCode(...data.subarray(0, 4));
  if (data.length < 12 || magic !== 'wtns') throw new WitnessFormatError('not a .wtns witness (bad magic)');
  const nSections = view.getUint32(8, true);
  let pos = 12;
  let n8 = 0;
  let nWitness = 0;
  let valuesAt = -1;
  for (let i = 0; i < nSections; i++) {
    if (pos + 12 > data.length) throw new WitnessFormatError('truncated .wtns section header');
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    pos += 12;
    if (type === 1) {
      n8 = view.getUint32(pos, true);
      nWitness = view.getUint32(pos + 4 + n8, true);
    } else if (type === 2) {
      valuesAt = pos;
    }
    pos += size;
  }
  if (n8 === 0 || valuesAt < 0 || valuesAt + n8 * nWitness > data.length) {
    throw new WitnessFormatError('malformed .wtns (missing header or values)');
  }
  return { n8, nWitness, valuesAt };
}

function readLE(data: Uint8Array, at: number, n8: number): bigint {
  let x = 0n;
  for (let b = n8 - 1; b >= 0; b--) x = (x << 8n) | BigInt(data[at + b]!);
  return x;
}

/** Every witness value, in witness order: [1, public outputs, public inputs, private inputs, ...]. */
export async function readWitness(wtns: Uint8Array | string): Promise<bigint[]> {
  const data = await loadWtns(wtns);
  const { n8, nWitness, valuesAt } = layout(data);
  return Array.from({ length: nWitness }, (_, i) => readLE(data, valuesAt + i * n8, n8));
}

/** The public signals (public.json order) of a witness: witness values 1 .. nPublic. */
export async function publicSignalsOf(wtns: Uint8Array | string, nPublic: number): Promise<bigint[]> {
  return (await readWitness(wtns)).slice(1, 1 + nPublic);
}

/** A copy of the witness with value `index` replaced by `value` (for tests of wtns check). */
export function setWitnessValue(wtns: Uint8Array, index: number, value: bigint): Uint8Array {
  const copy = new Uint8Array(wtns);
  const { n8, nWitness, valuesAt } = layout(copy);
  if (!Number.isInteger(index) || index < 0 || index >= nWitness) {
    throw new WitnessFormatError(`witness index ${index} is out of range [0, ${nWitness})`);
  }
  if (value < 0n || value >= FIELD_P) throw new WitnessFormatError(`witness value ${value} is not in [0, p)`);
  let x = value;
  for (let b = 0; b < n8; b++) {
    copy[valuesAt + index * n8 + b] = Number(x & 0xffn);
    x >>= 8n;
  }
  return copy;
}

const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/**
 * True when the witness satisfies every constraint of the r1cs (snarkjs wtns.check). Builds snarkjs'
 * curve: a process that must exit calls terminateCurves() from ./snarkjs.js afterwards.
 */
export async function checkWitness(r1csPath: string, wtns: Uint8Array | string): Promise<boolean> {
  const file = typeof wtns === 'string' ? wtns : { type: 'mem', data: wtns };
  return (await snarkjs.wtns.check(r1csPath, file, silentLogger)) === true;
}

/**
 * Signal name -> witness index from a .sym file (lines `label,witnessIndex,component,name`); signals
 * removed by the optimizer (index -1) are left out.
 */
export async function readSymbols(symPath: string): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (const line of (await readFile(symPath, 'utf8')).split('\n')) {
    const parts = line.split(',');
    if (parts.length < 4) continue;
    const idx = Number(parts[1]);
    if (idx >= 0) map.set(parts.slice(3).join(','), idx);
  }
  return map;
}
