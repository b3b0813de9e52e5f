// The prover options shared by `prove` and `worker`: `--prover snarkjs|rapidsnark` and `--rapidsnark <path>`.
// Default: rapidsnark when a binary is found (the flag, ZKRESERVE_RAPIDSNARK, or `rapidsnark` on the PATH),
// otherwise snarkjs. The binary is checked before any work starts, and the choice is printed on stderr.
import type { Command } from 'commander';
import { RapidsnarkBinaryError } from '../prover/errors.js';
import type { ProveBackend } from '../prover/prove-pool.js';
import {
  RAPIDSNARK_ENV,
  checkRapidsnarkBinary,
  describeSource,
  findRapidsnark,
} from '../prover/rapidsnark-binary.js';
import { err } from '../terminal/output.js';
import { CliUsageError } from './errors.js';

/** What commander parses from the prover options. */
export interface ProverCliOptions {
  prover?: string;
  rapidsnark?: string;
}

/** The backend part of createProvePool's options (and of proveSolvency's `prover`). */
export interface ProverChoice {
  backend: ProveBackend;
  rapidsnarkPath?: string;
}

/** `--prover <name>`: the flags and the help text, for `command.option(...PROVER_OPTION)`. */
export const PROVER_OPTION = [
  '--prover <name>',
  'snarkjs or rapidsnark (default: rapidsnark when its binary is found, else snarkjs)',
] as const;

/** `--rapidsnark <path>`: the flags and the help text. */
export const RAPIDSNARK_OPTION = [
  '--rapidsnark <path>',
  `the rapidsnark binary (default: $${RAPIDSNARK_ENV}, then rapidsnark on the PATH)`,
] as const;

/** Adds `--prover` and `--rapidsnark` to a command (for `worker`). */
export function addProverOptions(command: Command): Command {
  return command.option(...PROVER_OPTION).option(...RAPIDSNARK_OPTION);
}

const NOT_FOUND = `no --rapidsnark, $${RAPIDSNARK_ENV} or rapidsnark on the PATH`;

/**
 * Chooses the prover from the options and the environment, checks a rapidsnark binary (throws
 * RapidsnarkBinaryError naming it when it is missing, not executable or not rapidsnark) and prints the
 * choice (`prover: rapidsnark (/path, from ...)`) with `log`.
 */
export async function resolveProver(
  opts: ProverCliOptions,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = err,
): Promise<ProverChoice> {
  const { prover } = opts;
  if (prover !== undefined && prover !== 'snarkjs' && prover !== 'rapidsnark')
    throw new CliUsageError(`--prover must be snarkjs or rapidsnark, got ${JSON.stringify(prover)}`);
  if (prover === 'snarkjs') {
    if (opts.rapidsnark !== undefined)
      throw new CliUsageError('--rapidsnark names a binary for --prover rapidsnark, not --prover snarkjs');
    log('prover: snarkjs (--prover snarkjs)');
    return { backend: 'snarkjs' };
  }
  const found = findRapidsnark(opts.rapidsnark, env);
  if (!found) {
    if (prover === 'rapidsnark') {
      throw new RapidsnarkBinaryError(
        'rapidsnark',
        `--prover rapidsnark: no rapidsnark binary found (${NOT_FOUND}); pass --rapidsnark <path>`,
      );
    }
    log(`prover: snarkjs (rapidsnark not found: ${NOT_FOUND})`);
    return { backend: 'snarkjs' };
  }
  const from = describeSource(found.source);
  try {
    await checkRapidsnarkBinary(found.path);
  } catch (e) {
    if (!(e instanceof RapidsnarkBinaryError)) throw e;
    throw new RapidsnarkBinaryError(
      found.path,
      `${e.message} (from ${from}; fix it, or pass --prover snarkjs)`,
    );
  }
  log(`prover: rapidsnark (${found.path}, from ${from})`);
  return { backend: 'rapidsnark', rapidsnarkPath: found.path };
}
