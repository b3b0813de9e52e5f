// Reserve evidence (docs/reserves.md): the round's challenge, the evidence format and its offline checks.
// Browser-safe.
export {
  MAX_OPERATOR_LENGTH,
  assertOperatorName,
  challengeForManifest,
  reservesChallenge,
} from './challenge.js';
export type { ChallengeInput } from './challenge.js';
export { EVIDENCE_FORMAT, MAX_WINDOW_SECONDS, parseEvidence, parseEvidenceItem } from './evidence.js';
export type {
  AssetMapping,
  BitcoinItem,
  CustodianItem,
  EvidenceItem,
  EvmItem,
  ReservesEvidence,
} from './evidence.js';
export { BUILTIN_ASSETS, assetMatches } from './assets.js';
export {
  CUSTODIANS_FORMAT,
  custodianStatementText,
  parseCustodians,
  signCustodianStatement,
  verifyCustodianStatement,
} from './custodian.js';
export type { PinnedCustodians } from './custodian.js';
export { verifyEvmSignature } from './evm.js';
export { bitcoinMessageHash, verifyBip137 } from './bip137.js';
export { bip322MessageHash, bip322ToSign, verifyBip322 } from './bip322.js';
export { holdingKey, provenReserves, verifyReservesEvidence } from './verify-evidence.js';
export type {
  EvidenceItemResult,
  EvidenceReport,
  ItemStatus,
  OnlineItemCheck,
  VerifyEvidenceOptions,
} from './verify-evidence.js';
export { addEvidence } from './add-evidence.js';
export * from './errors.js';
