// Genuine dev-family bundles for the anchor tests: one small ledger (3 users: 1 chunk, 1 aggregation, the
// solvency proof) proved at two snapshot times T1 < T2, and a second ledger with less reserves proved at T1
// (a valid bundle whose reserves differ from the one recorded at T1). Proved once per dev key set into
// build/test-anchor/<key hash> (under a lock, moved into place whole) and shared by the anchor tests, which
// only read them.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bytesToHex, sha256 } from '../../src/crypto/sha256.js';
import { withLock } from '../../src/fs/lock.js';
import { moveDirIntoPlace } from '../../src/fs/atomic.js';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, devKeys, makeLedger } from '../prover/fixtures.js';

export const T1 = T;
export const T2 = T + 3_600_000;

export interface AnchorBundles {
  work: string;
  t1: string;
  t2: string;
  /** Same currency and time as t1, reserves 1.00 USD lower. */
  t1OtherReserves: string;
}

function layout(work: string): AnchorBundles {
  return {
    work,
    t1: path.join(work, 't1'),
    t2: path.join(work, 't2'),
    t1OtherReserves: path.join(work, 't1-other'),
  };
}

/** The three bundles, proved once for the current dev keys (see the header). */
export async function anchorBundles(): Promise<AnchorBundles> {
  const keys = await devKeys();
  const hashes = Object.values(keys.circuits).map((c) => c.hashes.vkey);
  const stamp = bytesToHex(sha256(new TextEncoder().encode(hashes.join(','))));
  const base = path.resolve('build', 'test-anchor');
  const dir = path.join(base, stamp.slice(0, 16));
  const done = (d: string) => Promise.resolve(existsSync(path.join(d, 'complete')));
  if (await done(dir)) return layout(dir);
  await mkdir(base, { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (await done(dir)) return layout(dir);
    const tmp = await mkdtemp(`${dir}.tmp-`);
    await proveInto(tmp);
    await writeFile(path.join(tmp, 'complete'), 'ok\n');
    if (!(await moveDirIntoPlace(tmp, dir, done))) await rm(tmp, { recursive: true, force: true });
    return layout(dir);
  });
}

/** Proves the three bundles into `work`. */
async function proveInto(work: string): Promise<void> {
  const keys = await devKeys();
  const a = makeLedger(3);
  const b = makeLedger(3, { reserveShortfall: 100n });
  const out = layout(work);
  const jobs: [typeof a, number, string][] = [
    [a, T1, out.t1],
    [a, T2, out.t2],
    [b, T1, out.t1OtherReserves],
  ];
  for (const [fx, at, dir] of jobs) {
    await proveSolvency({
      statement: await statementFromLedger(fx.ledger, at, 'USD'),
      secret: SECRET,
      keys,
      outDir: dir,
      packetsDir: `${dir}-packets`,
      allowInsecureDevKeys: true,
    });
  }
  await terminateCurves();
}

/** Writes `key` (0x-hex) to a new file in `dir` with `mode`. */
export async function writeKeyFile(dir: string, name: string, key: string, mode: number): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `${key}\n`, { mode });
  return file;
}
