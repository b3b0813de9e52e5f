// Typed errors of the parallel tree build.
import { ZkReserveError } from '../errors.js';

/** A hashing worker that failed to start, crashed, or was used after the pool closed. */
export class HashWorkerError extends ZkReserveError {
  constructor(message: string) {
    super('HASH_WORKER', message);
  }
}
