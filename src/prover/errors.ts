// Typed errors of the proof pipeline.
import { ZkReserveError } from '../errors.js';

/** Total user liabilities exceed the reserves: no proof can (or may) be made. Nothing is written. */
export class InsolventError extends ZkReserveError {
  constructor(
    readonly currency: string,
    readonly liabilities: bigint,
    readonly reserves: bigint,
  ) {
    super(
      'INSOLVENT',
      `cannot prove solvency for ${currency}: total user liabilities ${liabilities} exceed reserves ${reserves} ` +
        `(shortfall ${liabilities - reserves} minor units); nothing was written`,
    );
  }
}

/** The output directory already holds files and `force` was not given. */
export class OutputExistsError extends ZkReserveError {
  constructor(dir: string) {
    super('OUTPUT_EXISTS', `output directory ${dir} is not empty (pass force to replace it)`);
  }
}

/**
 * An output directory that may not be written or replaced: one holding the other, one that --force would
 * replace but that is not a zkreserve bundle or packet directory, or one that holds a file the run needs
 * (the ledger, the secret).
 */
export class UnsafeOutputDirError extends ZkReserveError {
  constructor(message: string) {
    super('UNSAFE_OUTPUT_DIR', message);
  }
}

/** snarkjs failed on a proof, a worker died, or a proof's public signals differ from the tree's. */
export class ProofGenerationError extends ZkReserveError {
  constructor(message: string) {
    super('PROOF_FAILED', message);
  }
}

/** The key set does not fit the statement or is internally inconsistent. */
export class ProverKeysError extends ZkReserveError {
  constructor(message: string) {
    super('PROVER_KEYS', message);
  }
}

/**
 * The rapidsnark binary cannot be used: not found where the flag, ZKRESERVE_RAPIDSNARK or the PATH points,
 * not executable, or not rapidsnark (it crashed or did not print rapidsnark's usage when run without
 * arguments). `binary` names the file.
 */
export class RapidsnarkBinaryError extends ZkReserveError {
  constructor(
    readonly binary: string,
    message: string,
  ) {
    super('RAPIDSNARK_BINARY', message);
  }
}

/**
 * rapidsnark failed on one proof: it exited non-zero or on a signal, or wrote output that is not snarkjs
 * proof/public JSON. (Output that parses but is wrong is refused by runProofs and proved again instead.)
 */
export class RapidsnarkProofError extends ZkReserveError {
  constructor(
    readonly binary: string,
    readonly jobId: string,
    message: string,
  ) {
    super('RAPIDSNARK_FAILED', message);
  }
}
