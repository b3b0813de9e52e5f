// Phase 2 ceremony over a directory: init (ptau + circuits + initial zkeys), contributions by independent
// people, a final public random beacon, verification by anyone, and export of the final keys.
// One module per step; the directory layout is described in state.ts.
export {
  CEREMONY_FORMAT,
  readCeremony,
  type CeremonyCircuit,
  type CeremonyCircuitInput,
  type CeremonyState,
  type CeremonyTranscriptEntry,
  type ContributionReceipt,
} from './state.js';
export { setupInit, type SetupInitOptions } from './init.js';
export {
  setupBeacon,
  setupContribute,
  type SetupBeaconOptions,
  type SetupContributeOptions,
} from './contribute.js';
export { parseReceipt, readReceipt, type ReceiptCheck } from './receipts.js';
export { type CircuitVerifyReport } from './verify-circuit.js';
export {
  setupVerify,
  verifyKeyExport,
  type VerifyKeyExportOptions,
  type VerifyOptions,
  type VerifyReport,
} from './verify.js';
export { setupExport, type SetupExportOptions } from './export.js';
