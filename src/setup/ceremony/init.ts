// `setup init`: start a ceremony in an empty directory: check and record the ptau, compile the circuits,
// refuse a ptau too small for any of them, and create every circuit's initial zkey (no contribution yet).
import path from 'node:path';
import { copyFileAtomic, exists, produceAtomic, writeJsonAtomic } from '../../fs/atomic.js';
import { withLock } from '../../fs/lock.js';
import { CIRCUIT_KINDS, circuitName, type CircuitFamily } from '../../protocol/families.js';
import { compileCircuit } from '../../zk/compile.js';
import { snarkjs } from '../../zk/snarkjs.js';
import { CeremonyStateError } from '../errors.js';
import { blake2bFile, sha256File } from '../hashing.js';
import { snarkjsLogger, type ProgressFn } from '../progress.js';
import { assertPtauFits, importPtau, requiredPower, type PtauRecord } from '../ptau.js';
import { readZkeyContributions } from '../zkey-info.js';
import {
  CEREMONY_FORMAT,
  PTAU_FILE,
  STATE_FILE,
  ceremonyPaths,
  checkSnarkjs,
  type CeremonyCircuit,
  type CeremonyCircuitInput,
  type CeremonyState,
} from './state.js';

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

/**
 * Start a ceremony in `dir` (must not hold one): check and record the ptau, compile the circuits, refuse a ptau
 * too small for any of them, and create every circuit's initial zkey (no contribution yet).
 */
export async function setupInit(dir: string, options: SetupInitOptions): Promise<CeremonyState> {
  const { onProgress } = options;
  const p = ceremonyPaths(dir);
  if (await exists(p.state)) throw new CeremonyStateError(`${dir} already holds a ceremony (${STATE_FILE})`);
  const ptau = await importPtau(options.ptauFile, {
    allowUnlisted: options.allowUnlistedPtau ?? false,
    allowInsecureDev: options.allowInsecureDevPtau ?? false,
    verify: options.verifyPtau ?? false,
    ...(onProgress ? { onProgress } : {}),
  });
  const inputs = await circuitInputs(options, ptau.power);

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
      const { circuit, zkeyHash } = await initCircuit(dir, c, onProgress);
      initialZkeys[c.name] = zkeyHash;
      circuits.push(circuit);
    }
    const state = initialState(ptau, circuits, initialZkeys);
    await writeJsonAtomic(p.state, state);
    onProgress?.({
      stage: 'init',
      message: `ceremony initialised in ${dir}: ${circuits.length} circuits, no contributions yet`,
    });
    return state;
  });
}

/** The families' circuits (compiled) and the further circuits, checked: kebab-case, unique, fit the ptau. */
async function circuitInputs(options: SetupInitOptions, ptauPower: number): Promise<CeremonyCircuitInput[]> {
  const { families = [], onProgress } = options;
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
    assertPtauFits(c, ptauPower);
  }
  return inputs;
}

/** Copies one circuit into the ceremony and makes its initial zkey (`snarkjs zkey new`). */
async function initCircuit(
  dir: string,
  c: CeremonyCircuitInput,
  onProgress: ProgressFn | undefined,
): Promise<{ circuit: CeremonyCircuit; zkeyHash: string }> {
  const p = ceremonyPaths(dir);
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
  const zkeyHash = await sha256File(zkey);
  const circuit: CeremonyCircuit = {
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
  };
  return { circuit, zkeyHash };
}

function initialState(
  ptau: PtauRecord,
  circuits: CeremonyCircuit[],
  initialZkeys: Record<string, string>,
): CeremonyState {
  const { file: importedFrom, ...ptauRest } = ptau;
  return {
    format: CEREMONY_FORMAT,
    ptau: { ...ptauRest, file: PTAU_FILE, importedFrom },
    circuits,
    initialZkeys,
    transcript: [],
    finalized: false,
  };
}
