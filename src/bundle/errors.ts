// Errors of the bundle format, loader and packet parser. Browser-safe.
import { ZkReserveError } from '../errors.js';

/** A bundle file (or an inclusion packet file) cannot be read or is not JSON of the expected kind. */
export class BundleReadError extends ZkReserveError {
  constructor(message: string) {
    super('BUNDLE_READ', message);
  }
}

/** An inclusion packet whose shape is wrong: `field` names the bad field (null: the packet as a whole). */
export class PacketFormatError extends ZkReserveError {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super('PACKET_FORMAT', message);
  }
}
