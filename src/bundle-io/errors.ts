// Typed errors of writing bundles and packets.
import { ZkReserveError } from '../errors.js';

/** A packet file that could not be written (`systemCode`: e.g. EEXIST), or a writer thread that failed. */
export class PacketWriteError extends ZkReserveError {
  readonly systemCode: string | undefined;
  constructor(message: string, systemCode?: string) {
    super('PACKET_WRITE', message);
    this.systemCode = systemCode;
  }
}
