// Typed errors of the importer: every one names the file line it concerns.
import { ZkReserveError } from '../errors.js';

/** A bad line in an import file (1-based `line`, 0 for the file as a whole). Nothing of the import is committed. */
export class ImportError extends ZkReserveError {
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly source = 'input',
  ) {
    super('IMPORT_ERROR', `${source}${line > 0 ? `:${line}` : ''}: ${reason}`);
  }
}

/** Runs `fn`; any error it throws becomes an ImportError naming `line`. */
export function atLine<T>(line: number, source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(line, e instanceof Error ? e.message : String(e), source);
  }
}
