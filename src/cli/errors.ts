// How a command ends when it does not succeed: the exit codes, the CLI's own usage error, and CliExit,
// which ends a command with a code after printing its message as the error line.
import { ZkReserveError } from '../errors.js';

export const EXIT_OK = 0;
/** Verification failed, insolvent, or the audit chain is broken. */
export const EXIT_FAILED = 1;
/** Usage or input error. */
export const EXIT_USAGE = 2;

/** A usage or input problem found by the CLI itself (exit 2). */
export class CliUsageError extends ZkReserveError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

/** Ends the command with `exitCode` after printing `message` (if any) as the error line. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

/**
 * `prove --at T` where no audit event of the ledger is later than T: a write still to come may be dated T or
 * earlier and change the snapshot, so the proof would be of a snapshot that is not final.
 */
export class OpenSnapshotError extends ZkReserveError {
  constructor(message: string) {
    super('OPEN_SNAPSHOT', message);
  }
}

/** A secret file that others may read, or whose bytes carry (almost) no entropy (readSecretFile). */
export class InsecureSecretError extends ZkReserveError {
  constructor(message: string) {
    super('INSECURE_SECRET', message);
  }
}
