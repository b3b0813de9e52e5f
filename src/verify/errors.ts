// Errors of the verifier. Browser-safe.
import { ZkReserveError } from '../errors.js';

/** A trusted-keys manifest (the key manifest.json a verifier pins a bundle's keys to) that cannot be used. */
export class TrustedKeysError extends ZkReserveError {
  constructor(message: string) {
    super('TRUSTED_KEYS', message);
  }
}
