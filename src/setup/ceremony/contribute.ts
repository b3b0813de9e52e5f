// `setup contribute` and `setup beacon`: one more step applied to EVERY circuit's zkey, recorded in the
// transcript and in a receipt the contributor publishes. The toxic waste lives only in this process' memory.
import { randomBytes } from 'node:crypto';
import { produceAtomic, writeJsonAtomic } from '../../fs/atomic.js';
import { withLock } from '../../fs/lock.js';
import { snarkjs } from '../../zk/snarkjs.js';
import { CeremonyStateError, SnarkjsSetupError } from '../errors.js';
import { sha256File } from '../hashing.js';
import { snarkjsLogger, type ProgressFn } from '../progress.js';
import { readZkeyContributions } from '../zkey-info.js';
import {
  CEREMONY_FORMAT,
  STATE_FILE,
  ceremonyPaths,
  checkSnarkjs,
  readCeremony,
  type CeremonyState,
  type CeremonyTranscriptEntry,
  type ContributionReceipt,
} from './state.js';

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

export interface SetupBeaconOptions {
  /** Public randomness fixed in advance (e.g. a future block hash), hex, 1..255 bytes. */
  beaconHex: string;
  /** The beacon is hashed 2^iterationsExp times (10..63). */
  iterationsExp: number;
  name?: string;
  onProgress?: ProgressFn;
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
  return lockedStep(
    dir,
    (state) => {
      if (state.finalized) {
        throw new CeremonyStateError(
          'the ceremony is finalized (the beacon was applied): no more contributions',
        );
      }
    },
    { name, type: 'contribution' },
    (prev, next, log) => snarkjs.zKey.contribute(prev, next, name, entropy, log),
    onProgress,
  );
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
  return lockedStep(
    dir,
    (state) => {
      if (state.finalized) throw new CeremonyStateError('the ceremony is already finalized (beacon applied)');
      if (!state.transcript.some((t) => t.type === 'contribution')) {
        throw new CeremonyStateError(
          'no contribution yet: a beacon alone would leave the setup secret public. Collect contributions first.',
        );
      }
    },
    { name, type: 'beacon', beacon: { hash: hex, iterationsExp } },
    (prev, next, log) => snarkjs.zKey.beacon(prev, next, name, hex, iterationsExp, log),
    onProgress,
  );
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

/** The zkeys of the latest step must be the files the transcript recorded (nobody swapped them). */
async function checkLatestZkeys(dir: string, state: CeremonyState): Promise<void> {
  const last = state.transcript[state.transcript.length - 1];
  const index = last ? last.index : 0;
  for (const c of state.circuits) {
    const file = ceremonyPaths(dir).zkey(c.name, index);
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

type StepEntry = Omit<CeremonyTranscriptEntry, 'contributions' | 'zkeys' | 'index'>;
type SnarkjsStep = (prev: string, next: string, log: ReturnType<typeof snarkjsLogger>) => Promise<unknown>;

/**
 * Under the ceremony's lock: reads the state, lets `refuse` throw when the step is not allowed now, checks
 * that the latest zkeys are the recorded ones, and applies the step.
 */
function lockedStep(
  dir: string,
  refuse: (state: CeremonyState) => void,
  entry: StepEntry,
  run: SnarkjsStep,
  onProgress?: ProgressFn,
): Promise<ContributionReceipt> {
  return withLock(ceremonyPaths(dir).lock, async () => {
    const state = await readCeremony(dir);
    refuse(state);
    await checkLatestZkeys(dir, state);
    return applyStep(dir, state, entry, run, onProgress);
  });
}

/** Runs `run` on every circuit's latest zkey, then records the step in the receipt and the state. */
async function applyStep(
  dir: string,
  state: CeremonyState,
  entry: StepEntry,
  run: SnarkjsStep,
  onProgress?: ProgressFn,
): Promise<ContributionReceipt> {
  const p = ceremonyPaths(dir);
  const index = state.transcript.length + 1;
  const contributions: Record<string, string> = {};
  const zkeys: Record<string, string> = {};
  for (const c of state.circuits) {
    const done = await stepCircuit(dir, c.name, index, entry, run, onProgress);
    contributions[c.name] = done.contributionHash;
    zkeys[c.name] = done.zkeyHash;
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

/** One circuit's step `index`: the new zkey, its contribution hash (read back from the file) and sha256. */
async function stepCircuit(
  dir: string,
  name: string,
  index: number,
  entry: StepEntry,
  run: SnarkjsStep,
  onProgress?: ProgressFn,
): Promise<{ contributionHash: string; zkeyHash: string }> {
  const p = ceremonyPaths(dir);
  const prev = p.zkey(name, index - 1);
  const next = p.zkey(name, index);
  const stage = entry.type === 'beacon' ? 'zkey-beacon' : 'zkey-contribute';
  const log = snarkjsLogger(onProgress, stage, name);
  onProgress?.({ stage, circuit: name, message: `${name}: ${entry.type} #${index} (${entry.name})` });
  let hash: unknown;
  await produceAtomic(next, async (tmp) => {
    hash = await run(prev, tmp, log);
    checkSnarkjs(
      hash,
      `snarkjs zkey ${entry.type === 'beacon' ? 'beacon' : 'contribute'} ${name}`,
      log.lines,
    );
  });
  if (!(hash instanceof Uint8Array))
    throw new SnarkjsSetupError(`snarkjs returned no contribution hash for ${name}`);
  const contributionHash = Buffer.from(hash).toString('hex');
  // The hash snarkjs returned must be the one anyone reads back from the file.
  const info = await readZkeyContributions(next);
  const mine = info.contributions[index - 1];
  if (info.contributions.length !== index || mine?.contributionHash !== contributionHash) {
    throw new SnarkjsSetupError(`${next}: the written contribution does not read back as #${index}`);
  }
  return { contributionHash, zkeyHash: await sha256File(next) };
}
