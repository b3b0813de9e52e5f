// Typed errors of the zk layer (circuit compilation). Every one carries a stable `code`.
import { ZkReserveError } from '../errors.js';

/** circom reported an error, or its output is missing or unreadable. */
export class CircuitCompileError extends ZkReserveError {
  constructor(message: string) {
    super('CIRCUIT_COMPILE', message);
  }
}
