export { proveSolvency } from './prove-solvency.js';
export type {
  ProveSolvencyOptions,
  ProveSolvencyResult,
  ProveProgress,
  ProvePhase,
} from './prove-solvency.js';
export { statementFromLedger } from './statement-from-ledger.js';
export type { LedgerSource } from './statement-from-ledger.js';
export { InsolventError, OutputExistsError, ProofGenerationError, ProverKeysError } from './errors.js';
export { RapidsnarkBinaryError, RapidsnarkProofError } from './errors.js';
export { createProvePool } from './prove-pool.js';
export type { ProveMode, ProvePool } from './prove-pool.js';
export type { ProveBackend, ProvePoolOptions } from './prove-pool.js';
export { checkRapidsnarkBinary, findRapidsnark, RAPIDSNARK_ENV } from './rapidsnark-binary.js';
export { buildPackets } from './packets.js';
export { buildManifest } from './manifest.js';
