// The base of every zkreserve error (each has a stable `code` for programmatic handling), and the errors shared
// across folders: InvalidArgumentError, and InvalidTimeError, the error of src/time.ts (which lives at this level)
// that the ledger, the importer and the CLI throw as well. Each folder's own errors live in its errors.ts.

export class ZkReserveError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A missing, malformed or zone-less time. */
export class InvalidTimeError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_TIME', message);
  }
}

export class InvalidArgumentError extends ZkReserveError {
  /** `code` lets a more specific argument error (a subclass) keep its own stable code. */
  constructor(message: string, code = 'INVALID_ARGUMENT') {
    super(code, message);
  }
}
