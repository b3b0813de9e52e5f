// Typed errors of the storage adapters (the SQLite file format); StorageError is the ledger's (src/ledger/errors.ts).
import { ZkReserveError } from '../errors.js';

export class SchemaVersionError extends ZkReserveError {
  constructor(message: string) {
    super('SCHEMA_VERSION', message);
  }
}
