// Typed errors of the importer: every one names the file line it concerns, and keeps the code of what refused
// the line (INVALID_DECIMAL for a bad amount, a ledger rule's code, IMPORT_ERROR for a rule of the format).
import { ZkReserveError } from '../errors.js';

/**
 * A bad line in an import file (1-based `line`, 0 for the file as a whole). Nothing of the import is committed.
 * `code` is IMPORT_ERROR for the import format's own rules, or the code of the typed error that refused the
 * line, which is kept as `cause`.
 */
export class ImportError extends ZkReserveError {
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly source = 'input',
    options: { code?: string; cause?: ZkReserveError } = {},
  ) {
    super(options.code ?? 'IMPORT_ERROR', `${source}${line > 0 ? `:${line}` : ''}: ${reason}`);
    if (options.cause) this.cause = options.cause;
  }
}

/** A line's content breaks a rule of the import format; `atLine` turns it into an ImportError naming the line. */
export class ImportRuleError extends ZkReserveError {
  constructor(reason: string) {
    super('IMPORT_ERROR', reason);
  }
}

/**
 * Runs `fn`; a typed error it throws (any ZkReserveError) becomes an ImportError naming `line`, with the same
 * code. Anything else is a bug, not a bad line, and passes through unchanged.
 */
export function atLine<T>(line: number, source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ImportError || !(e instanceof ZkReserveError)) throw e;
    throw new ImportError(line, e.message, source, { code: e.code, cause: e });
  }
}
