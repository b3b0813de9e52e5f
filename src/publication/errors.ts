// Errors of the signed publication: signature files, signer sets, signer keys and snapshot indexes.
// Browser-safe.
import { ZkReserveError } from '../errors.js';

/** A signatures file (`signatures.json`, an index's `signatures`) that is not of the expected shape. */
export class SignatureFileError extends ZkReserveError {
  constructor(message: string) {
    super('SIGNATURE_FILE', message);
  }
}

/** A signer set (the pinned public keys a verifier passes with `--signers`) that cannot be used. */
export class SignerSetError extends ZkReserveError {
  constructor(message: string) {
    super('SIGNER_SET', message);
  }
}

/** A signer key file that is malformed, inconsistent or not private. */
export class SignerKeyError extends ZkReserveError {
  constructor(message: string) {
    super('SIGNER_KEY', message);
  }
}

/** A snapshot index that is malformed, or bundles that cannot form one (two times, one currency twice). */
export class SnapshotIndexError extends ZkReserveError {
  constructor(message: string) {
    super('SNAPSHOT_INDEX', message);
  }
}

/** A packet that cannot be signed (no account id, a packet of another bundle) or a malformed packet signature. */
export class PacketSignatureError extends ZkReserveError {
  constructor(message: string) {
    super('PACKET_SIGNATURE', message);
  }
}
