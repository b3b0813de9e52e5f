// Typed errors of the demo.
import { ZkReserveError } from '../errors.js';

/** A demo step whose check failed (a bundle, a snarkjs proof check or the inclusion check): names each one. */
export class DemoFailedError extends ZkReserveError {
  constructor(readonly failures: readonly string[]) {
    super('DEMO_FAILED', `demo FAILED:\n  ${failures.join('\n  ')}`);
  }
}
