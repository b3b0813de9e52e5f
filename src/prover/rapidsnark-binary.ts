// Finding and checking the rapidsnark binary. Where it is looked for, in order: an explicit path (the
// `--rapidsnark` flag), the ZKRESERVE_RAPIDSNARK environment variable, then `rapidsnark` on the PATH. A path
// that was named (flag or variable) must work; one found on the PATH is used when it works, and its
// failure is an error too (never a silent change of prover).
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { RapidsnarkBinaryError } from './errors.js';

/** The environment variable that names the rapidsnark binary. */
export const RAPIDSNARK_ENV = 'ZKRESERVE_RAPIDSNARK';

/** Where a rapidsnark path came from. */
export type RapidsnarkSource = 'flag' | 'env' | 'path';

export interface FoundRapidsnark {
  /** Absolute path of the binary. */
  path: string;
  source: RapidsnarkSource;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The rapidsnark binary to use: `explicit` (the flag), else $ZKRESERVE_RAPIDSNARK, else the first executable
 * `rapidsnark` on $PATH; null when none is named and none is on the PATH. A named path is returned as
 * named (resolved to absolute): checkRapidsnarkBinary says what is wrong with it.
 */
export function findRapidsnark(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): FoundRapidsnark | null {
  if (explicit !== undefined && explicit !== '') return { path: path.resolve(explicit), source: 'flag' };
  const fromEnv = env[RAPIDSNARK_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { path: path.resolve(fromEnv), source: 'env' };
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, 'rapidsnark');
    if (isExecutableFile(candidate)) return { path: candidate, source: 'path' };
  }
  return null;
}

/** How a source is named in messages. */
export function describeSource(source: RapidsnarkSource): string {
  if (source === 'flag') return '--rapidsnark';
  if (source === 'env') return RAPIDSNARK_ENV;
  return 'the PATH';
}

/** rapidsnark's prover prints this usage line (on stderr, exit 1) when run without arguments. */
const USAGE = /Usage: \S+ <circuit\.zkey> <witness\.wtns> <proof\.json> <public\.json>/;

function staticProblem(binary: string): string | null {
  let st;
  try {
    st = statSync(binary);
  } catch {
    return 'not found';
  }
  if (!st.isFile()) return 'not a file';
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return 'not executable (chmod +x it)';
  }
  return null;
}

interface Probe {
  code: number | string | null;
  signal: string | null;
  output: string;
  error: string;
}

/** Runs `binary` without arguments and collects how it ended and what it printed. */
function probeWithoutArgs(binary: string): Promise<Probe> {
  return new Promise((resolve) => {
    execFile(binary, [], { timeout: 20_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: string | null }) | null;
      resolve({
        code: e ? (e.code ?? null) : 0,
        signal: e?.signal ?? null,
        output: `${stdout}${stderr}`,
        error: e?.message ?? '',
      });
    });
  });
}

/**
 * Checks that `binary` is a working rapidsnark prover: an executable file that, run without arguments,
 * exits with rapidsnark's usage message. Throws RapidsnarkBinaryError naming the file and the problem
 * (missing, not executable, crashed, hung, or some other program).
 */
export async function checkRapidsnarkBinary(binary: string): Promise<void> {
  const problem = staticProblem(binary);
  if (problem) throw new RapidsnarkBinaryError(binary, `rapidsnark binary ${binary}: ${problem}`);
  // Probed up to twice: once on a heavily loaded machine it exited 1 without output.
  let probe = await probeWithoutArgs(binary);
  if (!USAGE.test(probe.output) && probe.signal === null) probe = await probeWithoutArgs(binary);
  const { code, signal, output, error } = probe;
  if (USAGE.test(output)) return;
  const why =
    signal !== null
      ? `it was killed by ${signal} when run without arguments (crashed or hung)`
      : typeof code === 'string'
        ? `it cannot be run (${code}: ${error})`
        : `run without arguments it exited with code ${code} and did not print rapidsnark's usage ` +
          `("Usage: prover <circuit.zkey> <witness.wtns> <proof.json> <public.json>")` +
          (output.trim() ? `; it printed: ${JSON.stringify(output.trim().slice(0, 200))}` : '');
  throw new RapidsnarkBinaryError(binary, `rapidsnark binary ${binary} is not a working rapidsnark: ${why}`);
}
