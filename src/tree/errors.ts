// Typed errors of the solvency tree and the chunk tree.
import { ZkReserveError } from '../errors.js';

/** A statement the tree cannot be built from (malformed field, duplicate account, value out of range). */
export class InvalidStatementError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_STATEMENT', message);
  }
}

/** A chunk size that is not 16^a * r, a malformed inclusion path, or a leaf index out of range. */
export class ChunkTreeError extends ZkReserveError {
  constructor(message: string) {
    super('CHUNK_TREE', message);
  }
}

/** Salts or sort keys computed elsewhere (TreeOptions.userDerivations) that are malformed or wrong. */
export class UserDerivationsError extends ZkReserveError {
  constructor(message: string) {
    super('USER_DERIVATIONS', message);
  }
}
