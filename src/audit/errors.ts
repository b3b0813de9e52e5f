// Typed errors of the audit log.
import { ZkReserveError } from '../errors.js';

/** The audit log is malformed in a way that prevents replay. */
export class AuditLogError extends ZkReserveError {
  constructor(message: string) {
    super('AUDIT_LOG', message);
  }
}
