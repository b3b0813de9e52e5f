// Typed errors of the field / hashing layer.
import { ZkReserveError } from '../errors.js';

/** A value that is not a canonical field element, or an input of the wrong shape or size. */
export class FieldError extends ZkReserveError {
  constructor(message: string) {
    super('FIELD_ERROR', message);
  }
}
