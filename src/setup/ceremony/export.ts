// `setup export`: the final keys of a ceremony, written where `zkreserve prove --keys` reads them.
import path from 'node:path';
import { vkeyFileText } from '../../bundle/format.js';
import { copyFileAtomic, writeFileAtomic, writeJsonAtomic } from '../../fs/atomic.js';
import { snarkjs, type VerificationKey } from '../../zk/snarkjs.js';
import { DEV_PTAU_INSECURE_REASON, insecurePtauReason } from '../dev-ptau-id.js';
import { CeremonyStateError } from '../errors.js';
import { sha256File } from '../hashing.js';
import { exportedFiles, type KeyManifest, type ManifestCircuit } from '../keyset.js';
import type { ProgressFn } from '../progress.js';
import {
  ceremonyPaths,
  readCeremony,
  stripZkeys,
  type CeremonyCircuit,
  type CeremonyState,
} from './state.js';
import { VERIFIED_FILE, verifiedRecordMatches } from './verified-record.js';
import { setupVerify } from './verify.js';

export interface SetupExportOptions {
  /** Export before the beacon (not for production). */
  allowUnfinalized?: boolean;
  /** Run setupVerify first and refuse to export when it fails (default true). */
  verify?: boolean;
  /**
   * Verify again even when verified.json shows that a full setupVerify passed on exactly these files (default
   * false: that verification is reused; see verified-record.ts).
   */
  reverify?: boolean;
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
    if (options.reverify !== true && (await verifiedRecordMatches(dir, state))) {
      onProgress?.({
        stage: 'export',
        message: `every circuit verified and no file changed since (${VERIFIED_FILE}): not verified again`,
      });
    } else {
      const report = await setupVerify(dir, onProgress ? { onProgress } : {});
      if (!report.ok) throw new CeremonyStateError(`ceremony does not verify: ${report.reasons.join('; ')}`);
    }
  }
  const circuits: Record<string, ManifestCircuit> = {};
  for (const c of state.circuits) {
    circuits[c.name] = await exportCircuitKeys(dir, keysDir, state, c, onProgress);
  }
  const manifest = exportManifest(state, circuits);
  await writeJsonAtomic(path.join(keysDir, 'manifest.json'), manifest);
  return manifest;
}

/** Copies one circuit's final zkey, r1cs and wasm, writes its verification key; returns its manifest entry. */
async function exportCircuitKeys(
  dir: string,
  keysDir: string,
  state: CeremonyState,
  c: CeremonyCircuit,
  onProgress: ProgressFn | undefined,
): Promise<ManifestCircuit> {
  const p = ceremonyPaths(dir);
  const last = state.transcript.length;
  const files = exportedFiles(keysDir, c.name);
  const zkey = p.zkey(c.name, last);
  onProgress?.({ stage: 'export', circuit: c.name, message: `${c.name}: exporting keys` });
  await copyFileAtomic(zkey, files.zkey);
  await copyFileAtomic(p.r1cs(c.name), files.r1cs);
  await copyFileAtomic(p.wasm(c.name), files.wasm);
  const vkey = (await snarkjs.zKey.exportVerificationKey(files.zkey)) as VerificationKey;
  await writeFileAtomic(files.vkey, vkeyFileText(vkey));
  const entry: ManifestCircuit = {
    ...(c.family ? { family: c.family } : {}),
    ...(c.kind ? { kind: c.kind } : {}),
    constraints: c.constraints,
    nPublic: c.nPublic,
    r1cs: await sha256File(files.r1cs),
    wasm: await sha256File(files.wasm),
    zkey: await sha256File(files.zkey),
    vkey: await sha256File(files.vkey),
  };
  if (entry.zkey !== state.transcript[last - 1]!.zkeys[c.name]) {
    throw new CeremonyStateError(`${zkey} changed during the export`);
  }
  return entry;
}

function exportManifest(state: CeremonyState, circuits: Record<string, ManifestCircuit>): KeyManifest {
  const reason = insecurePtauReason(state.ptau.blake2b);
  const insecurePtau = state.ptau.origin === 'insecure-dev' || reason !== null;
  return {
    // Keys on the public dev ptau are forgeable whatever the contributions: say so where every loader looks.
    ...(insecurePtau
      ? {
          kind: 'insecure-dev' as const,
          warning: `INSECURE: the phase-1 file ${reason ?? DEV_PTAU_INSECURE_REASON}`,
        }
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
}
