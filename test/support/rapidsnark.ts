// The rapidsnark binary for tests: $ZKRESERVE_RAPIDSNARK, else the per-machine build cache that .ci/run fills
// from ../shared/vendor/rapidsnark (${XDG_CACHE_HOME:-~/.cache}/zkreserve/rapidsnark/<sha256 of the source
// tarball>/rapidsnark). Tests that need it skip, saying what is absent, when neither is there. Also the
// test doubles: small executable scripts that behave like rapidsnark (or deliberately not).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** rapidsnark's sources and build script (never copied into the project). */
export const RAPIDSNARK_VENDOR = path.resolve(repoRoot, '../shared/vendor/rapidsnark');
const TARBALL = path.join(RAPIDSNARK_VENDOR, 'rapidsnark-src.tar.gz');

/** Where .ci/run caches the binary built from the vendored sources (null when the sources are absent). */
export function rapidsnarkCachePath(): string | null {
  if (!existsSync(TARBALL)) return null;
  const sha = createHash('sha256').update(readFileSync(TARBALL)).digest('hex');
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cache, 'zkreserve', 'rapidsnark', sha, 'rapidsnark');
}

function locate(): { binary: string | null; absent: string } {
  const env = process.env.ZKRESERVE_RAPIDSNARK;
  if (env) {
    return existsSync(env)
      ? { binary: env, absent: '' }
      : { binary: null, absent: `$ZKRESERVE_RAPIDSNARK points to ${env}, which does not exist` };
  }
  const cached = rapidsnarkCachePath();
  if (cached === null) return { binary: null, absent: `no $ZKRESERVE_RAPIDSNARK and no ${TARBALL}` };
  if (existsSync(cached)) return { binary: cached, absent: '' };
  return {
    binary: null,
    absent: `no $ZKRESERVE_RAPIDSNARK and no ${cached} (.ci/run builds it with ${RAPIDSNARK_VENDOR}/build.sh)`,
  };
}

const found = locate();
/** The real rapidsnark binary, or null. */
export const rapidsnarkBinary: string | null = found.binary;
/** Why the rapidsnark tests are skipped ('' when they run). */
export const rapidsnarkAbsent: string = found.absent;
if (!rapidsnarkBinary) console.warn(`rapidsnark tests skipped: ${rapidsnarkAbsent}`);

/** What a test double does when asked to prove (run without arguments it always prints real usage). */
export type DoubleBehaviour =
  /** First proof: a tampered pi_a (does not verify); later proofs: the real binary's. */
  | 'tamper-first'
  /** First proof: the real proof with other public signals; later: the real binary's. */
  | 'signals-first'
  /** Every proof tampered. */
  | 'tamper-always'
  /** Exits 3 with a message on stderr. */
  | 'exit-nonzero'
  /** Exits 0 after writing text that is not JSON. */
  | 'garbage'
  /** Prints rapidsnark's usage without arguments but proves nothing (for pool tests without rapidsnark). */
  | 'usage-only';

const USAGE_LINE = 'Usage: prover <circuit.zkey> <witness.wtns> <proof.json> <public.json>';

/**
 * Writes an executable Node script `<dir>/<name>` that behaves as `behaviour` says, delegating real work to
 * `real`. It numbers its proving calls (atomically) in `<dir>/<name>.calls/` and records, per call, the witness path, its mode
 * and the modes of its folder and of the pool's folder in `<dir>/<name>.log` (one JSON line each).
 */
export async function writeDouble(
  dir: string,
  name: string,
  behaviour: DoubleBehaviour,
  real: string | null,
): Promise<string> {
  const file = path.join(dir, name);
  const source = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const real = ${JSON.stringify(real)};
const behaviour = ${JSON.stringify(behaviour)};
const args = process.argv.slice(2);
if (args.length !== 4) {
  process.stderr.write('Invalid number of parameters\\n${USAGE_LINE}\\n');
  process.exit(1);
}
// Atomic call numbers, also with several of these running at once: the first mkdir of calls/<n> wins n.
const calls = ${JSON.stringify(`${file}.calls`)};
fs.mkdirSync(calls, { recursive: true });
let n = 1;
for (;; n++) {
  try { fs.mkdirSync(path.join(calls, String(n))); break; } catch (e) { if (e.code !== 'EEXIST') throw e; }
}
const [zkey, wtns, proofFile, publicFile] = args;
const mode = (p) => (fs.statSync(p).mode & 0o777).toString(8);
fs.appendFileSync(${JSON.stringify(`${file}.log`)}, JSON.stringify({ call: n, wtns, wtnsMode: mode(wtns), dirMode: mode(path.dirname(wtns)), rootMode: mode(path.dirname(path.dirname(wtns))) }) + '\\n');
if (behaviour === 'exit-nonzero') { process.stderr.write('Error: simulated prover failure\\n'); process.exit(3); }
if (behaviour === 'garbage') { fs.writeFileSync(proofFile, 'this is not a proof'); fs.writeFileSync(publicFile, '[]'); process.exit(0); }
if (behaviour === 'usage-only') process.exit(4);
const r = spawnSync(real, args, { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status === null ? 1 : r.status);
const wrong = behaviour === 'tamper-always' || (n === 1 && (behaviour === 'tamper-first' || behaviour === 'signals-first'));
if (!wrong) process.exit(0);
if (behaviour === 'signals-first') {
  const pub = JSON.parse(fs.readFileSync(publicFile, 'utf8'));
  pub[0] = (BigInt(pub[0]) + 1n).toString();
  fs.writeFileSync(publicFile, JSON.stringify(pub));
} else {
  const proof = JSON.parse(fs.readFileSync(proofFile, 'utf8'));
  proof.pi_a = [proof.pi_c[0], proof.pi_c[1], '1'];
  fs.writeFileSync(proofFile, JSON.stringify(proof));
}
`;
  await writeFile(file, source);
  await chmod(file, 0o755);
  return file;
}

/** How many proving calls a double has had. */
export function doubleCalls(file: string): number {
  return existsSync(`${file}.calls`) ? readdirSync(`${file}.calls`).length : 0;
}

/** The per-call records of a double (see writeDouble). */
export function doubleLog(file: string): DoubleCall[] {
  if (!existsSync(`${file}.log`)) return [];
  return readFileSync(`${file}.log`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DoubleCall);
}

/** One proving call of a double: the witness path, its mode, its folder's and the pool folder's modes. */
export interface DoubleCall {
  call: number;
  wtns: string;
  wtnsMode: string;
  dirMode: string;
  rootMode: string;
}
