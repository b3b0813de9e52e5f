// Typed errors of the trusted-setup layer. Every one carries a stable `code`.
import { ZkReserveError } from '../errors.js';

/** Base class of every setup error. */
export class SetupError extends ZkReserveError {}

/** A powers-of-tau file whose blake2b-512 is not the published hash (or is not on the list at all). */
export class PtauHashMismatchError extends SetupError {
  constructor(
    message: string,
    readonly expected: string | undefined,
    readonly actual: string,
  ) {
    super('PTAU_HASH_MISMATCH', message);
  }
}

/** A file that is not a readable, prepared powers-of-tau file. */
export class PtauFormatError extends SetupError {
  constructor(message: string) {
    super('PTAU_FORMAT', message);
  }
}

/** `snarkjs powersoftau verify` rejected the file. */
export class PtauVerifyError extends SetupError {
  constructor(message: string) {
    super('PTAU_VERIFY_FAILED', message);
  }
}

/** The public insecure dev powers of tau offered for a real ceremony: keys built on it are forgeable. */
export class InsecurePtauError extends SetupError {
  constructor(message: string) {
    super('PTAU_INSECURE_DEV', message);
  }
}

/** A circuit needs more powers than the ptau provides. */
export class PtauTooSmallError extends SetupError {
  constructor(
    message: string,
    readonly circuit: string,
    readonly required: number,
    readonly available: number,
  ) {
    super('PTAU_TOO_SMALL', message);
  }
}

/** Committed dev keys, a cached dev ptau or an exported key set do not match what was (re)generated. */
export class KeyMismatchError extends SetupError {
  constructor(message: string) {
    super('KEY_MISMATCH', message);
  }
}

/** Insecure development keys used where they are not explicitly allowed. */
export class InsecureKeysError extends SetupError {
  constructor(message: string) {
    super('INSECURE_DEV_KEYS', message);
  }
}

/** A ceremony directory in the wrong state for the requested step, or malformed input to a step. */
export class CeremonyStateError extends SetupError {
  constructor(message: string) {
    super('CEREMONY_STATE', message);
  }
}

/** snarkjs reported a failure (it returns -1/false instead of throwing for many errors). */
export class SnarkjsSetupError extends SetupError {
  constructor(message: string) {
    super('SNARKJS_SETUP', message);
  }
}

/** A contributor's published receipt that is unreadable or not a receipt at all. */
export class ReceiptFormatError extends SetupError {
  constructor(message: string) {
    super('RECEIPT_FORMAT', message);
  }
}

/** The insecure 2^16 test ptau (for the production family's dev keys) is not where it was looked for. */
export class TestPtauMissingError extends SetupError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super('TEST_PTAU_MISSING', message);
  }
}
