// The deterministic insecure 2^12 dev powers of tau: made once per machine (a few minutes, single-threaded
// snarkjs) into the cache directory, pinned by its sha256. Its secrets are public (see dev-ceremony.ts).
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { KeyMismatchError } from './errors.js';
import { exists, produceAtomic } from '../fs/atomic.js';
import { withLock } from '../fs/lock.js';
import { sha256File } from './hashing.js';
import { snarkjsLogger, type ProgressFn } from './progress.js';
import type { PtauRecord } from './ptau.js';
import { snarkjs } from '../zk/snarkjs.js';
import { DEV_PTAU_BLAKE2B, DEV_PTAU_POWER, DEV_PTAU_SHA256 } from './dev-ptau-id.js';

export const DEV_PTAU_BEACON_NAME = 'zkreserve insecure dev beacon';
/** "zkreserve-insecure-dev-only" zero-padded to 32 bytes. */
export const DEV_PTAU_BEACON_HEX = '7a6b726573657276652d696e7365637572652d6465762d6f6e6c79000000000000';
export const DEV_BEACON_ITERATIONS_EXP = 10;

/** Where the dev ptau is cached: $ZKRESERVE_CACHE_DIR or ~/.cache/zkreserve (never in git). */
export function devCacheDir(): string {
  return process.env.ZKRESERVE_CACHE_DIR ?? path.join(homedir(), '.cache', 'zkreserve');
}

export interface DevOptions {
  onProgress?: ProgressFn;
}

/**
 * The deterministic 2^12 dev ptau, from the cache or generated (a few minutes: preparePhase2 dominates).
 * A cached file whose sha256 is not DEV_PTAU_SHA256 is regenerated; a generated one that does not match
 * throws (the snarkjs output changed: the pin must be reviewed).
 */
export function ensureDevPtau(options: DevOptions = {}): Promise<PtauRecord> {
  // Concurrent callers in one process (both dev families at once) share one check or generation; other
  // processes are kept apart by the lock below.
  const dir = devCacheDir();
  let p = devPtauInFlight.get(dir);
  if (!p) {
    p = makeOrCheckDevPtau(dir, options);
    devPtauInFlight.set(dir, p);
    void p.then(
      () => devPtauInFlight.delete(dir),
      () => devPtauInFlight.delete(dir),
    );
  }
  return p;
}

const devPtauInFlight = new Map<string, Promise<PtauRecord>>();

async function makeOrCheckDevPtau(dir: string, options: DevOptions): Promise<PtauRecord> {
  const { onProgress } = options;
  const file = path.join(dir, `zkreserve-dev-${DEV_PTAU_POWER}.ptau`);
  const record = (): PtauRecord => ({
    file,
    power: DEV_PTAU_POWER,
    ceremonyPower: DEV_PTAU_POWER,
    blake2b: DEV_PTAU_BLAKE2B,
    sha256: DEV_PTAU_SHA256,
    origin: 'insecure-dev',
    verified: false,
  });
  if ((await exists(file)) && (await sha256File(file)) === DEV_PTAU_SHA256) return record();
  return withLock(path.join(dir, `.zkreserve-dev-${DEV_PTAU_POWER}.ptau.lock`), async () => {
    if (await exists(file)) {
      if ((await sha256File(file)) === DEV_PTAU_SHA256) return record();
      onProgress?.({
        stage: 'dev-ptau',
        message: `cached ${file} does not match the pinned sha256: regenerating`,
      });
    }
    const log = snarkjsLogger(onProgress, 'dev-ptau');
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    await produceAtomic(file, async (tmp) => {
      const p0 = `${tmp}.p0`;
      const p1 = `${tmp}.p1`;
      try {
        onProgress?.({ stage: 'dev-ptau', message: `powersoftau new bn128 ${DEV_PTAU_POWER}` });
        await snarkjs.powersOfTau.newAccumulator(curve, DEV_PTAU_POWER, p0, log);
        onProgress?.({ stage: 'dev-ptau', message: 'powersoftau beacon (insecure, public)' });
        await snarkjs.powersOfTau.beacon(
          p0,
          p1,
          DEV_PTAU_BEACON_NAME,
          DEV_PTAU_BEACON_HEX,
          DEV_BEACON_ITERATIONS_EXP,
          log,
        );
        onProgress?.({ stage: 'dev-ptau', message: 'powersoftau prepare phase2 (takes a few minutes)' });
        await snarkjs.powersOfTau.preparePhase2(p1, tmp, log);
      } finally {
        await rm(p0, { force: true });
        await rm(p1, { force: true });
      }
      const got = await sha256File(tmp);
      if (got !== DEV_PTAU_SHA256) {
        throw new KeyMismatchError(
          `generated dev ptau has sha256 ${got}, expected the pinned ${DEV_PTAU_SHA256} (snarkjs output changed?)`,
        );
      }
    });
    onProgress?.({ stage: 'dev-ptau', message: `dev ptau ready: ${file}` });
    return record();
  });
}
