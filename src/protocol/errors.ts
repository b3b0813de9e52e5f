// Typed errors of the protocol layer (families, salts).
import { ZkReserveError } from '../errors.js';

/** Thrown for a missing or too short operator secret. */
export class SaltError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_SECRET', message);
  }
}

/** An unknown circuit family, family size or circuit kind, or decimals no family covers. */
export class UnknownFamilyError extends ZkReserveError {
  constructor(message: string) {
    super('UNKNOWN_FAMILY', message);
  }
}
