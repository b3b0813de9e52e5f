// Errors of the reserve evidence (docs/reserves.md): a malformed challenge input, evidence file or pinned
// custodian list, and an item refused when it is added. Browser-safe.
import { ZkReserveError } from '../errors.js';

/** A challenge input (operator name, currency, time, audit head) that cannot make a challenge. */
export class InvalidChallengeError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_CHALLENGE', message);
  }
}

/** `reserves/evidence.json` (or an evidence file to add) that does not have the documented shape. */
export class InvalidEvidenceError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_EVIDENCE', message);
  }
}

/** A pinned-custodians file (`--custodians`) that does not have the documented shape. */
export class InvalidCustodiansError extends ZkReserveError {
  constructor(message: string) {
    super('INVALID_CUSTODIANS', message);
  }
}

/** An evidence item refused by `reserves add`: its signature, time, asset or uniqueness check failed. */
export class EvidenceRefusedError extends ZkReserveError {
  constructor(message: string) {
    super('EVIDENCE_REFUSED', message);
  }
}
