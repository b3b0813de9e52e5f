// Phase 2 ceremony over a directory: init (ptau + circuits + initial zkeys), contributions by independent
// people, a final public random beacon, verification by anyone, and export of the final keys.
//
// Layout of a ceremony directory:
//   ceremony.json                 state: ptau record, circuits, transcript (who contributed, in order, hashes)
//   phase1.ptau                   the imported phase-1 file (hash-checked against ceremony.json)
//   circuits/<name>.r1cs, .wasm   the compiled circuits the keys are for
//   zkeys/<name>_NNNN.zkey        the zkey of every circuit after contribution NNNN (0000: initial)
//   receipts/NNNN.json            what contributor NNNN publishes (name + contribution hash per circuit)
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compileCircuit } from '../zk/compile.js';
import { CIRCUIT_KINDS, circuitName, type CircuitFamily, type CircuitKind } from '../protocol/families.js';
import { snarkjs, type VerificationKey } from '../zk/snarkjs.js';
import { DEV_PTAU_BLAKE2B, DEV_PTAU_INSECURE_REASON } from './dev-ptau-id.js';
import { CeremonyStateError, ReceiptFormatError, SnarkjsSetupError } from './errors.js';
import { copyFileAtomic, exists, produceAtomic, writeFileAtomic, writeJsonAtomic } from '../fs/atomic.js';
import { withLock } from '../fs/lock.js';
import { blake2bFile, sha256File } from './hashing.js';
import { hermezEntryForPower } from './hermez.js';
import {
  exportedFiles,
  readManifest,
  sameJson,
  vkeyText,
  type KeyManifest,
  type ManifestCircuit,
  type TranscriptEntry,
} from './keyset.js';
import { snarkjsLogger, type ProgressFn } from './progress.js';
import { assertPtauFits, importPtau, readPtauHeader, requiredPower, type PtauRecord } from './ptau.js';
import { readZkeyContributions, type ZkeyContribution } from './zkey-info.js';

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

const STATE_FILE = 'ceremony.json';
const PTAU_FILE = 'phase1.ptau';

const paths = (dir: string) => ({
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
  const file = paths(dir).state;
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

export interface SetupInitOptions {
  /** The families whose three circuits get keys. */
  families?: readonly CircuitFamily[];
  /** Further compiled circuits (not of a family). */
  circuits?: readonly CeremonyCircuitInput[];
  ptauFile: string;
  allowUnlistedPtau?: boolean;
  /**
   * Accept the public insecure dev ptau (tests of the ceremony mechanics only): such a ceremony never verifies
   * and its export is marked "insecure-dev", since its keys are forgeable whatever the contributions.
   */
  allowInsecureDevPtau?: boolean;
  /** Run `snarkjs powersoftau verify` on the ptau (slow for big files). */
  verifyPtau?: boolean;
  onProgress?: ProgressFn;
}

/** Check a snarkjs return value (many snarkjs functions return -1/false instead of throwing). */
function checkSnarkjs(result: unknown, what: string, lines: string[]): void {
  if (result === -1 || result === false) {
    throw new SnarkjsSetupError(`${what} failed: ${lines.filter((l) => !l.startsWith('debug')).join('; ')}`);
  }
}

/**
 * Start a ceremony in `dir` (must not hold one): check and record the ptau, compile the circuits, refuse a ptau
 * too small for any of them, and create every circuit's initial zkey (no contribution yet).
 */
export async function setupInit(dir: string, options: SetupInitOptions): Promise<CeremonyState> {
  const { families = [], onProgress } = options;
  const p = paths(dir);
  if (await exists(p.state)) throw new CeremonyStateError(`${dir} already holds a ceremony (${STATE_FILE})`);
  const ptau = await importPtau(options.ptauFile, {
    allowUnlisted: options.allowUnlistedPtau ?? false,
    allowInsecureDev: options.allowInsecureDevPtau ?? false,
    verify: options.verifyPtau ?? false,
    ...(onProgress ? { onProgress } : {}),
  });

  const inputs: CeremonyCircuitInput[] = [];
  for (const family of families) {
    for (const kind of CIRCUIT_KINDS) {
      const name = circuitName(family, kind);
      const c = await compileCircuit(family, kind, {
        onProgress: (message) => onProgress?.({ stage: 'compile', circuit: name, message }),
      });
      inputs.push({ ...c, family: family.id, kind });
    }
  }
  inputs.push(...(options.circuits ?? []));
  if (inputs.length === 0) throw new CeremonyStateError('setupInit needs at least one family or circuit');
  const names = new Set<string>();
  for (const c of inputs) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.name))
      throw new CeremonyStateError(`circuit name ${JSON.stringify(c.name)} must be kebab-case`);
    if (names.has(c.name)) throw new CeremonyStateError(`circuit ${c.name} listed twice`);
    names.add(c.name);
    assertPtauFits(c, ptau.power);
  }

  return withLock(p.lock, async () => {
    if (await exists(p.state))
      throw new CeremonyStateError(`${dir} already holds a ceremony (${STATE_FILE})`);
    onProgress?.({ stage: 'init', message: `copying ${path.basename(ptau.file)} into the ceremony` });
    await copyFileAtomic(ptau.file, p.ptau);
    if ((await blake2bFile(p.ptau)) !== ptau.blake2b) {
      throw new CeremonyStateError(`${ptau.file} changed while it was being imported`);
    }
    const circuits: CeremonyCircuit[] = [];
    const initialZkeys: Record<string, string> = {};
    for (const c of inputs) {
      await copyFileAtomic(c.r1csPath, p.r1cs(c.name));
      await copyFileAtomic(c.wasmPath, p.wasm(c.name));
      const zkey = p.zkey(c.name, 0);
      onProgress?.({
        stage: 'zkey-new',
        circuit: c.name,
        message: `${c.name}: zkey new (${c.constraints} constraints)`,
      });
      const log = snarkjsLogger(onProgress, 'zkey-new', c.name);
      await produceAtomic(zkey, async (tmp) => {
        checkSnarkjs(
          await snarkjs.zKey.newZKey(p.r1cs(c.name), p.ptau, tmp, log),
          `snarkjs zkey new ${c.name}`,
          log.lines,
        );
      });
      const info = await readZkeyContributions(zkey);
      initialZkeys[c.name] = await sha256File(zkey);
      circuits.push({
        name: c.name,
        ...(c.family ? { family: c.family } : {}),
        ...(c.kind ? { kind: c.kind } : {}),
        constraints: c.constraints,
        nPublic: c.nPublic,
        requiredPower: requiredPower(c.constraints, c.nPublic),
        ...(c.sourceHash ? { sourceHash: c.sourceHash } : {}),
        r1cs: await sha256File(p.r1cs(c.name)),
        wasm: await sha256File(p.wasm(c.name)),
        circuitHash: info.circuitHash,
      });
    }
    const { file: importedFrom, ...ptauRest } = ptau;
    const state: CeremonyState = {
      format: CEREMONY_FORMAT,
      ptau: { ...ptauRest, file: PTAU_FILE, importedFrom },
      circuits,
      initialZkeys,
      transcript: [],
      finalized: false,
    };
    await writeJsonAtomic(p.state, state);
    onProgress?.({
      stage: 'init',
      message: `ceremony initialised in ${dir}: ${circuits.length} circuits, no contributions yet`,
    });
    return state;
  });
}

/** The zkeys of the latest step must be the files the transcript recorded (nobody swapped them). */
async function checkLatestZkeys(dir: string, state: CeremonyState): Promise<void> {
  const last = state.transcript[state.transcript.length - 1];
  const index = last ? last.index : 0;
  for (const c of state.circuits) {
    const file = paths(dir).zkey(c.name, index);
    const expected = last ? last.zkeys[c.name] : state.initialZkeys[c.name];
    const actual = await sha256File(file).catch(() => 'missing');
    if (actual !== expected) {
      throw new CeremonyStateError(
        `${file} is not the zkey recorded in ${STATE_FILE} (expected sha256 ${expected}, actual ${actual}); ` +
          'run `zkreserve setup verify` before contributing',
      );
    }
  }
}

function checkName(name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  // snarkjs stores at most 64 characters of the name in the zkey (and a one-byte length).
  if (name.trim() !== name || name.length === 0 || name.length > 64 || bytes > 255 || /\p{Cc}/u.test(name)) {
    throw new CeremonyStateError(
      `contributor name ${JSON.stringify(name)} must be 1-64 printable characters without surrounding spaces`,
    );
  }
}

export interface SetupContributeOptions {
  /** Public name of the contributor (published in the transcript and inside every zkey). */
  name: string;
  /**
   * Extra entropy typed by the person. snarkjs always mixes it with 64 bytes from the OS random source; when
   * absent, 64 more random bytes (node:crypto randomBytes) are used. Never stored.
   */
  entropy?: string;
  onProgress?: ProgressFn;
}

async function applyStep(
  dir: string,
  state: CeremonyState,
  entry: Omit<CeremonyTranscriptEntry, 'contributions' | 'zkeys' | 'index'>,
  run: (prev: string, next: string, log: ReturnType<typeof snarkjsLogger>) => Promise<unknown>,
  onProgress?: ProgressFn,
): Promise<ContributionReceipt> {
  const p = paths(dir);
  const index = state.transcript.length + 1;
  const contributions: Record<string, string> = {};
  const zkeys: Record<string, string> = {};
  for (const c of state.circuits) {
    const prev = p.zkey(c.name, index - 1);
    const next = p.zkey(c.name, index);
    const log = snarkjsLogger(
      onProgress,
      entry.type === 'beacon' ? 'zkey-beacon' : 'zkey-contribute',
      c.name,
    );
    onProgress?.({
      stage: entry.type === 'beacon' ? 'zkey-beacon' : 'zkey-contribute',
      circuit: c.name,
      message: `${c.name}: ${entry.type} #${index} (${entry.name})`,
    });
    let hash: unknown;
    await produceAtomic(next, async (tmp) => {
      hash = await run(prev, tmp, log);
      checkSnarkjs(
        hash,
        `snarkjs zkey ${entry.type === 'beacon' ? 'beacon' : 'contribute'} ${c.name}`,
        log.lines,
      );
    });
    if (!(hash instanceof Uint8Array))
      throw new SnarkjsSetupError(`snarkjs returned no contribution hash for ${c.name}`);
    contributions[c.name] = Buffer.from(hash).toString('hex');
    // The hash snarkjs returned must be the one anyone reads back from the file.
    const info = await readZkeyContributions(next);
    const mine = info.contributions[index - 1];
    if (info.contributions.length !== index || mine?.contributionHash !== contributions[c.name]) {
      throw new SnarkjsSetupError(`${next}: the written contribution does not read back as #${index}`);
    }
    zkeys[c.name] = await sha256File(next);
  }
  const full: CeremonyTranscriptEntry = { index, ...entry, contributions, zkeys };
  const receipt: ContributionReceipt = {
    ceremony: CEREMONY_FORMAT,
    name: entry.name,
    index,
    type: entry.type,
    contributions,
    ...(entry.beacon ? { beacon: entry.beacon } : {}),
  };
  await writeJsonAtomic(p.receipt(index), receipt);
  const next: CeremonyState = {
    ...state,
    transcript: [...state.transcript, full],
    finalized: state.finalized || entry.type === 'beacon',
  };
  await writeJsonAtomic(p.state, next);
  return receipt;
}

/**
 * Add one contribution (by `name`) to EVERY circuit's zkey. Returns the receipt the contributor publishes:
 * their name, index and contribution hash per circuit. The toxic waste lives only in this process' memory.
 */
export async function setupContribute(
  dir: string,
  options: SetupContributeOptions,
): Promise<ContributionReceipt> {
  const { name, onProgress } = options;
  checkName(name);
  if (options.entropy !== undefined && options.entropy.length === 0) {
    throw new CeremonyStateError('entropy, when given, must not be empty');
  }
  const entropy = options.entropy ?? randomBytes(64).toString('hex');
  return withLock(paths(dir).lock, async () => {
    const state = await readCeremony(dir);
    if (state.finalized) {
      throw new CeremonyStateError(
        'the ceremony is finalized (the beacon was applied): no more contributions',
      );
    }
    await checkLatestZkeys(dir, state);
    return applyStep(
      dir,
      state,
      { name, type: 'contribution' },
      (prev, next, log) => snarkjs.zKey.contribute(prev, next, name, entropy, log),
      onProgress,
    );
  });
}

export interface SetupBeaconOptions {
  /** Public randomness fixed in advance (e.g. a future block hash), hex, 1..255 bytes. */
  beaconHex: string;
  /** The beacon is hashed 2^iterationsExp times (10..63). */
  iterationsExp: number;
  name?: string;
  onProgress?: ProgressFn;
}

/** Final public random beacon over every circuit; closes the ceremony. Needs at least one contribution. */
export async function setupBeacon(dir: string, options: SetupBeaconOptions): Promise<ContributionReceipt> {
  const { beaconHex, iterationsExp, onProgress } = options;
  const name = options.name ?? 'final beacon';
  checkName(name);
  if (!/^([0-9a-fA-F]{2}){1,255}$/.test(beaconHex)) {
    throw new CeremonyStateError(
      `beacon must be 1-255 bytes of hex (an even number of hex digits), got ${JSON.stringify(beaconHex)}`,
    );
  }
  if (!Number.isInteger(iterationsExp) || iterationsExp < 10 || iterationsExp > 63) {
    throw new CeremonyStateError(
      `beacon iterations exponent must be an integer in [10, 63], got ${String(iterationsExp)}`,
    );
  }
  const hex = beaconHex.toLowerCase();
  return withLock(paths(dir).lock, async () => {
    const state = await readCeremony(dir);
    if (state.finalized) throw new CeremonyStateError('the ceremony is already finalized (beacon applied)');
    if (!state.transcript.some((t) => t.type === 'contribution')) {
      throw new CeremonyStateError(
        'no contribution yet: a beacon alone would leave the setup secret public. Collect contributions first.',
      );
    }
    await checkLatestZkeys(dir, state);
    return applyStep(
      dir,
      state,
      { name, type: 'beacon', beacon: { hash: hex, iterationsExp } },
      (prev, next, log) => snarkjs.zKey.beacon(prev, next, name, hex, iterationsExp, log),
      onProgress,
    );
  });
}

// ---------------------------------------------------------------------------------------------------------
// Verification

export interface CircuitVerifyReport {
  name: string;
  ok: boolean;
  reasons: string[];
  /** The contributions read from the final zkey (with hashes recomputed from it). */
  contributions: ZkeyContribution[];
}

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

/** The outcome of checking one contributor's published receipt against the chain. */
export interface ReceiptCheck {
  name: string;
  index: number;
  ok: boolean;
  reasons: string[];
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
  if (
    blake2b === DEV_PTAU_BLAKE2B ||
    expected.blake2b === DEV_PTAU_BLAKE2B ||
    expected.origin === 'insecure-dev'
  )
    reasons.push(`ptau: ${DEV_PTAU_INSECURE_REASON}`);
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

/**
 * Check one circuit: the zkey is a valid chain from the r1cs and ptau (snarkjs verifyFromR1cs), its
 * contributions are exactly the transcript's, in order, and (when given) `vkey` is the zkey's.
 */
async function verifyCircuit(
  name: string,
  r1cs: string,
  ptau: string,
  zkey: string,
  transcript: readonly TranscriptEntry[],
  vkey: unknown,
  onProgress?: ProgressFn,
): Promise<CircuitVerifyReport> {
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
    const ok: unknown = await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey, log);
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
  if (vkey !== undefined) {
    try {
      const derived: unknown = await snarkjs.zKey.exportVerificationKey(zkey);
      if (!sameJson(derived, vkey)) {
        reasons.push(`${name}: the exported verification key is not the one derived from the final zkey`);
      }
    } catch (err) {
      reasons.push(`${name}: cannot derive the verification key: ${(err as Error).message}`);
    }
  }
  return { name, ok: reasons.length === 0, reasons, contributions };
}

const HASH_HEX = /^[0-9a-f]{128}$/;

/**
 * Check a parsed receipt's shape (throws ReceiptFormatError naming `where` and the problem). Accepts what
 * `setup contribute` / `setup beacon` write to receipts/NNNN.json and print.
 */
export function parseReceipt(value: unknown, where: string): ContributionReceipt {
  const bad = (why: string): never => {
    throw new ReceiptFormatError(`${where} is not a zkreserve contribution receipt: ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) bad('not a JSON object');
  const r = value as Record<string, unknown>;
  if (r.ceremony !== CEREMONY_FORMAT) bad(`"ceremony" must be ${JSON.stringify(CEREMONY_FORMAT)}`);
  if (typeof r.name !== 'string' || r.name.length === 0) bad('"name" must be a non-empty string');
  if (typeof r.index !== 'number' || !Number.isSafeInteger(r.index) || r.index < 1)
    bad('"index" must be a positive integer');
  if (r.type !== 'contribution' && r.type !== 'beacon') bad('"type" must be "contribution" or "beacon"');
  const c = r.contributions;
  if (!c || typeof c !== 'object' || Array.isArray(c) || Object.keys(c).length === 0)
    bad('"contributions" must map circuit names to contribution hashes');
  for (const [circuit, hash] of Object.entries(c as Record<string, unknown>)) {
    if (typeof hash !== 'string' || !HASH_HEX.test(hash))
      bad(`the hash of ${circuit} must be 128 lowercase hex digits (blake2b-512)`);
  }
  if (r.beacon !== undefined) {
    const b = r.beacon as { hash?: unknown; iterationsExp?: unknown } | null;
    if (!b || typeof b.hash !== 'string' || typeof b.iterationsExp !== 'number')
      bad('"beacon" must hold "hash" and "iterationsExp"');
  }
  return value as ContributionReceipt;
}

/** Read a contributor's published receipt (a JSON file, as `setup contribute` writes it). */
export async function readReceipt(file: string): Promise<ContributionReceipt> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ReceiptFormatError(`cannot read receipt ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReceiptFormatError(`receipt ${file} is not JSON: ${(err as Error).message}`);
  }
  return parseReceipt(value, `receipt ${file}`);
}

/**
 * Every published receipt must be a step of the chain: in the order given, at its index, with the same name
 * and type, a hash for exactly the ceremony's circuits, each equal to the transcript's and, for the circuits
 * that were verified, to the hash recomputed from the zkey. Never throws: reasons name contributor and circuit.
 */
function checkReceipts(
  receipts: readonly ContributionReceipt[],
  transcript: readonly TranscriptEntry[],
  circuitNames: readonly string[],
  verified: readonly CircuitVerifyReport[],
): ReceiptCheck[] {
  const checks: ReceiptCheck[] = [];
  let previous = 0;
  for (const r of receipts) {
    const reasons: string[] = [];
    const who = `receipt of ${JSON.stringify(r.name)} (#${r.index})`;
    if (r.index <= previous)
      reasons.push(`${who}: receipts must be given in chain order, and this one comes after #${previous}`);
    previous = Math.max(previous, r.index);
    const entry = transcript[r.index - 1];
    const same = entry !== undefined && entry.name === r.name && entry.type === r.type;
    if (!same) {
      const elsewhere = transcript.filter((t) => t.name === r.name).map((t) => `#${t.index}`);
      const at = entry
        ? `step #${r.index} is a ${entry.type} by ${JSON.stringify(entry.name)}`
        : `the chain has only ${transcript.length} steps`;
      reasons.push(
        `${who}: this ${r.type} is missing from the chain (${at}; ` +
          `${elsewhere.length > 0 ? `${JSON.stringify(r.name)} appears as ${elsewhere.join(', ')}` : `no step is by ${JSON.stringify(r.name)}`}) ` +
          `for circuits ${Object.keys(r.contributions).join(', ')}`,
      );
    }
    if (
      r.type === 'beacon' &&
      same &&
      (entry.beacon?.hash !== r.beacon?.hash || entry.beacon?.iterationsExp !== r.beacon?.iterationsExp)
    ) {
      reasons.push(`${who}: the beacon value or iterations differ from the transcript's`);
    }
    for (const circuit of circuitNames) {
      const mine = r.contributions[circuit];
      if (mine === undefined) {
        reasons.push(`${who}: ${circuit}: the receipt has no contribution hash for this circuit`);
        continue;
      }
      if (same && entry.contributions[circuit] !== mine) {
        reasons.push(
          `${who}: ${circuit}: the receipt's contribution hash ${mine} differs from the transcript's ${entry.contributions[circuit] ?? '(none)'}`,
        );
      }
      const report = verified.find((v) => v.name === circuit);
      if (!report) continue; // not verified in this run: only compared with the transcript
      const z = report.contributions[r.index - 1];
      if (!z) {
        reasons.push(
          `${who}: ${circuit}: the zkey has no contribution #${r.index} (it has ${report.contributions.length}): the contribution was dropped`,
        );
      } else if (z.contributionHash !== mine || z.name !== r.name) {
        reasons.push(
          `${who}: ${circuit}: the zkey's contribution #${r.index} (by ${JSON.stringify(z.name)}) has hash ${z.contributionHash}, the receipt says ${mine}`,
        );
      }
    }
    for (const circuit of Object.keys(r.contributions)) {
      if (!circuitNames.includes(circuit)) {
        reasons.push(
          `${who}: ${circuit}: the receipt covers this circuit but the ceremony has no such circuit (dropped?)`,
        );
      }
    }
    checks.push({ name: r.name, index: r.index, ok: reasons.length === 0, reasons });
  }
  return checks;
}

const stripZkeys = (t: readonly CeremonyTranscriptEntry[]): TranscriptEntry[] =>
  t.map(({ zkeys: _zkeys, ...rest }) => rest);

/**
 * Anyone can run this on a ceremony directory: recomputes from the r1cs and the ptau that every final zkey is a
 * valid chain of exactly the transcript's contributions, in order. Never throws on a failed check (ok=false
 * with reasons); throws CeremonyStateError when the directory cannot be read at all.
 */
export async function setupVerify(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { onProgress } = options;
  const state = await readCeremony(dir);
  const p = paths(dir);
  const reasons: string[] = [];
  const warnings: string[] = [];
  const ptauFile = options.ptauFile ? path.resolve(options.ptauFile) : p.ptau;
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
  const circuits: CircuitVerifyReport[] = [];
  const last = state.transcript.length;
  const only = selected(
    state.circuits.map((c) => c.name),
    options.circuits,
  );
  for (const c of state.circuits.filter((x) => only.includes(x.name))) {
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
    if (options.keysDir && manifest) {
      const files = exportedFiles(options.keysDir, c.name);
      try {
        vkey = JSON.parse(await readFile(files.vkey, 'utf8'));
      } catch (err) {
        pre.push(`${c.name}: exported verification key unreadable: ${(err as Error).message}`);
      }
      pre.push(
        ...(await checkExportEntry(options.keysDir, c.name, manifest, zkey, state.ptau.blake2b, transcript)),
      );
    }
    const report = await verifyCircuit(c.name, r1cs, ptauFile, zkey, transcript, vkey, onProgress);
    const info =
      report.contributions.length > 0 ? await readZkeyContributions(zkey).catch(() => undefined) : undefined;
    if (info && info.circuitHash !== c.circuitHash)
      pre.push(`${c.name}: the zkey is for another circuit (circuit hash differs)`);
    report.reasons.unshift(...pre);
    report.ok = report.reasons.length === 0;
    circuits.push(report);
    reasons.push(...report.reasons);
  }
  const receipts = checkReceipts(
    options.receipts ?? [],
    transcript,
    state.circuits.map((c) => c.name),
    circuits,
  );
  for (const r of receipts) reasons.push(...r.reasons);
  return { ok: reasons.length === 0, reasons, warnings, ptau, circuits, transcript, receipts };
}

/** Checks an export's manifest entry and file hashes against the ceremony's final zkey. */
async function checkExportEntry(
  keysDir: string,
  name: string,
  manifest: KeyManifest,
  finalZkey: string | undefined,
  ptauBlake2b: string | undefined,
  transcript: readonly TranscriptEntry[] | undefined,
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
  if (finalZkey) {
    const finalHash = await sha256File(finalZkey).catch(() => 'missing');
    if (finalHash !== entry.zkey) reasons.push(`keys: ${name}.zkey is not the ceremony's final zkey`);
  }
  if (ptauBlake2b && manifest.ptau.blake2b !== ptauBlake2b)
    reasons.push('keys: manifest.json names another ptau');
  if (transcript && !sameJson(manifest.transcript, transcript)) {
    reasons.push('keys: the transcript in manifest.json differs from the ceremony transcript');
  }
  return reasons;
}

/**
 * Check a key export on its own (what a user or auditor has): every file matches manifest.json, every zkey is a
 * valid chain from its r1cs and `ptauFile` with exactly the manifest's transcript, and every verification key
 * is the one derived from its zkey. Never throws on a failed check; throws when manifest.json is unreadable.
 */
export async function verifyKeyExport(
  keysDir: string,
  options: {
    ptauFile: string;
    onProgress?: ProgressFn;
    verifyPtau?: boolean;
    circuits?: readonly string[];
    /** Contributors' published receipts, as for setupVerify. */
    receipts?: readonly ContributionReceipt[];
  },
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
  const ptau = await checkPtau(
    path.resolve(options.ptauFile),
    manifest.ptau,
    reasons,
    options.verifyPtau ?? false,
    options.onProgress,
  );
  const circuits: CircuitVerifyReport[] = [];
  for (const name of selected(Object.keys(manifest.circuits), options.circuits)) {
    const files = exportedFiles(keysDir, name);
    const pre = await checkExportEntry(keysDir, name, manifest, undefined, undefined, undefined);
    let vkey: unknown = null;
    try {
      vkey = JSON.parse(await readFile(files.vkey, 'utf8'));
    } catch (err) {
      pre.push(`${name}: verification key unreadable: ${(err as Error).message}`);
    }
    const report = await verifyCircuit(
      name,
      files.r1cs,
      path.resolve(options.ptauFile),
      files.zkey,
      manifest.transcript,
      vkey,
      options.onProgress,
    );
    report.reasons.unshift(...pre);
    report.ok = report.reasons.length === 0;
    circuits.push(report);
    reasons.push(...report.reasons);
  }
  const receipts = checkReceipts(
    options.receipts ?? [],
    manifest.transcript,
    Object.keys(manifest.circuits),
    circuits,
  );
  for (const r of receipts) reasons.push(...r.reasons);
  return {
    ok: reasons.length === 0,
    reasons,
    warnings,
    ptau,
    circuits,
    transcript: manifest.transcript,
    receipts,
  };
}

export interface SetupExportOptions {
  /** Export before the beacon (not for production). */
  allowUnfinalized?: boolean;
  /** Run setupVerify first and refuse to export when it fails (default true). */
  verify?: boolean;
  onProgress?: ProgressFn;
}

/**
 * Write the final keys of a ceremony to `keysDir`: <name>.zkey, <name>.vkey.json, <name>.r1cs, <name>.wasm and
 * manifest.json (file hashes, the ptau, and the transcript: who contributed, in order, with hashes).
 */
export async function setupExport(
  dir: string,
  keysDir: string,
  options: SetupExportOptions = {},
): Promise<KeyManifest> {
  const { onProgress } = options;
  const state = await readCeremony(dir);
  if (!state.transcript.some((t) => t.type === 'contribution')) {
    throw new CeremonyStateError('no contribution yet: refusing to export keys whose setup secret is known');
  }
  if (!state.finalized && options.allowUnfinalized !== true) {
    throw new CeremonyStateError(
      'the ceremony is not finalized: apply the beacon (zkreserve setup beacon) first',
    );
  }
  if (options.verify ?? true) {
    const report = await setupVerify(dir, onProgress ? { onProgress } : {});
    if (!report.ok) throw new CeremonyStateError(`ceremony does not verify: ${report.reasons.join('; ')}`);
  }
  const p = paths(dir);
  const last = state.transcript.length;
  const circuits: Record<string, ManifestCircuit> = {};
  for (const c of state.circuits) {
    const files = exportedFiles(keysDir, c.name);
    const zkey = p.zkey(c.name, last);
    onProgress?.({ stage: 'export', circuit: c.name, message: `${c.name}: exporting keys` });
    await copyFileAtomic(zkey, files.zkey);
    await copyFileAtomic(p.r1cs(c.name), files.r1cs);
    await copyFileAtomic(p.wasm(c.name), files.wasm);
    const vkey = (await snarkjs.zKey.exportVerificationKey(files.zkey)) as VerificationKey;
    await writeFileAtomic(files.vkey, vkeyText(vkey));
    circuits[c.name] = {
      ...(c.family ? { family: c.family } : {}),
      ...(c.kind ? { kind: c.kind } : {}),
      constraints: c.constraints,
      nPublic: c.nPublic,
      r1cs: await sha256File(files.r1cs),
      wasm: await sha256File(files.wasm),
      zkey: await sha256File(files.zkey),
      vkey: await sha256File(files.vkey),
    };
    if (circuits[c.name]!.zkey !== state.transcript[last - 1]!.zkeys[c.name]) {
      throw new CeremonyStateError(`${zkey} changed during the export`);
    }
  }
  const insecurePtau = state.ptau.origin === 'insecure-dev' || state.ptau.blake2b === DEV_PTAU_BLAKE2B;
  const manifest: KeyManifest = {
    // Keys on the public dev ptau are forgeable whatever the contributions: say so where every loader looks.
    ...(insecurePtau
      ? { kind: 'insecure-dev' as const, warning: `INSECURE: the phase-1 file ${DEV_PTAU_INSECURE_REASON}` }
      : { kind: 'ceremony' as const }),
    ptau: {
      power: state.ptau.power,
      sha256: state.ptau.sha256,
      blake2b: state.ptau.blake2b,
      origin: state.ptau.origin,
      ...(state.ptau.hermezFile ? { hermezFile: state.ptau.hermezFile } : {}),
    },
    circuits,
    transcript: stripZkeys(state.transcript),
  };
  await writeJsonAtomic(path.join(keysDir, 'manifest.json'), manifest);
  return manifest;
}
