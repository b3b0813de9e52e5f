// Shared CLI plumbing: exit codes, typed CLI errors, output helpers.
import { ZkReserveError } from '../errors.js';
import { formatMinorUnits } from '../money/amount.js';

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

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function err(line = ''): void {
  process.stderr.write(`${line}\n`);
}

/** JSON with bigints as decimal strings, two-space indented. */
export function printJson(value: unknown): void {
  out(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
}

/** Minor units (bigint or decimal string) as a decimal with `decimals` fraction digits. */
export function formatMinor(value: bigint | string, decimals: number): string {
  return formatMinorUnits(typeof value === 'bigint' ? value : BigInt(value), decimals);
}

/** A banner that no one can miss, for the insecure-dev-keys warning. */
export function banner(lines: readonly string[], write: (line: string) => void = err): void {
  const width = 78;
  const bar = '!'.repeat(width);
  write(bar);
  for (const text of lines) {
    const words = text.split(/\s+/);
    let line = '';
    for (const w of words) {
      if (line.length + w.length + 1 > width - 6) {
        write(`!! ${line.padEnd(width - 6)} !!`);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) write(`!! ${line.padEnd(width - 6)} !!`);
  }
  write(bar);
}

/** Parses a positive integer option. */
export function positiveInt(value: string, what: string): number {
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new CliUsageError(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}
