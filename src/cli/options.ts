// Parsing of command-line option values the CLI checks itself.
import { CliUsageError } from './errors.js';

/** Parses a positive integer option. */
export function positiveInt(value: string, what: string): number {
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new CliUsageError(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}
