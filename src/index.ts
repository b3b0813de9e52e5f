// zkreserve's Node API: what `import … from 'zkreserve'` gives (package.json "exports" "."). Everything an
// operator's program needs to keep a ledger, import balances, prove solvency, run a key ceremony and verify
// bundles. The browser-safe verifier alone is `zkreserve/verify` (src/verify/index.ts); its functions are
// re-exported here too, so Node programs need only one import.
//
// Names are listed on purpose: a module's other exports are internal and may change without notice. Money is
// `bigint` minor units throughout; every time is explicit (an ISO-8601 string, a Date or epoch milliseconds).

/**
 * Errors. Every error zkreserve throws on purpose is a `ZkReserveError` with a stable `code`; the classes
 * below are the ones shared across the library (each area's own errors are exported with the area).
 */
export { ZkReserveError, InvalidArgumentError, InvalidTimeError } from './errors.js';
export {
  InvalidAmountError,
  DecimalParseError,
  CurrencyMismatchError,
  UnknownCurrencyError,
  InvalidCurrencyError,
} from './money/errors.js';
export {
  DuplicateAccountError,
  UnknownAccountError,
  UnknownTransactionError,
  UnbalancedTransactionError,
  IdempotencyConflictError,
  TransactionStateError,
  TimeOrderError,
  TransactionIntegrityError,
  StorageError,
  LedgerClosedError,
} from './ledger/errors.js';
export { SchemaVersionError } from './storage/errors.js';
export { AuditLogError } from './audit/errors.js';

/** Money and time: amounts as bigint minor units of a registered currency; instants parsed strictly. */
export {
  Money,
  CurrencyRegistry,
  BUILTIN_CURRENCIES,
  MAX_EXPONENT,
  defaultCurrencies,
  registerCurrency,
  getCurrency,
  builtinCurrency,
  assertBigintAmount,
  parseAmount,
  formatAmount,
  formatMinorUnits,
} from './money/index.js';
export type { Currency } from './money/index.js';
export { parseInstant, formatInstant, MAX_INSTANT_MS } from './time.js';
export type { Instant } from './time.js';

/** Canonical JSON: the byte-exact encoding that transaction ids and audit-event hashes are taken over. */
export { canonicalJson } from './util/canonical-json.js';
export type { CanonicalValue } from './util/canonical-json.js';

/**
 * The ledger: append-only, hash-chained double entry (docs/ledger.md). Open one with `openSqliteLedger(file)`,
 * `openMemoryLedger()` or `openLedger(store)` over your own `LedgerStore` (the storage section below); build transactions with
 * `TransactionBuilder`; `ledger.snapshot(at)` and `ledger.requiredReserves(at)` are what proofs are made of.
 */
export {
  Ledger,
  TransactionBuilder,
  makeTransaction,
  transactionBodyObject,
  transactionBodyJson,
  transactionIdOf,
  accountId,
  OWNER_TYPES,
  MAX_ENTRY_AMOUNT,
  userLiability,
  replayAndCompare,
  applyEvent,
} from './ledger/index.js';
export type {
  LedgerOptions,
  OwnerType,
  Account,
  Entry,
  EntrySide,
  Transaction,
  TransactionFields,
  TransactionRecord,
  TxStatus,
  AccountRef,
  AccountSnapshot,
  LedgerSnapshot,
  ReserveReport,
  ReplayReport,
  LedgerStore,
  LedgerStoreFactory,
  TxOutcome,
  TxReversal,
  TxInfo,
  StoredCurrency,
  AccountAggregate,
} from './ledger/index.js';

/**
 * Storage adapters behind `LedgerStore`: SQLite (a ledger file, append-only tables guarded by triggers) and
 * memory, and the functions that open a ledger over them.
 */
export {
  openSqliteLedger,
  openMemoryLedger,
  openLedger,
  memoryReplayStore,
  sqliteReplayStore,
  SqliteStore,
  MemoryStore,
  SCHEMA_VERSION,
  LEDGER_FORMAT,
  APPEND_ONLY_TABLES,
} from './storage/index.js';
export type { SqliteStoreOptions } from './storage/index.js';

/**
 * The audit log format (docs/ledger.md): every ledger write is one event, hash-chained to the previous one.
 * Auditors recompute the chain with `verifyAuditChain`; the primitives are exported for independent checkers.
 */
export {
  verifyAuditChain,
  computeEventHash,
  eventHashInput,
  nextEvent,
  headOf,
  AUDIT_EVENT_TAG,
  AUDIT_EVENT_TYPES,
  GENESIS_HASH,
  GENESIS_HEAD,
} from './audit/index.js';
export type { AuditEvent, AuditEventType, AuditHead, ChainVerification } from './audit/index.js';

/**
 * Import (docs/import-formats.md): a balance CSV or a JSON-lines transaction history into a ledger, as one
 * all-or-nothing batch. A bad row throws `ImportError` naming its line.
 */
export {
  importFile,
  importText,
  formatOf,
  importBalances,
  parseBalanceCsv,
  importJsonl,
  parseJsonl,
  DEFAULT_OPENING_TIME,
  OPENING_BALANCE_REF,
  BALANCE_COLUMNS,
  ImportError,
} from './import/index.js';
export type {
  ImportFormat,
  ImportSummary,
  BalanceRow,
  ImportBalancesOptions,
  JsonlOp,
} from './import/index.js';

/**
 * Proving: `statementFromLedger(ledger, at, currency)` takes the snapshot a proof is about; `proveSolvency`
 * builds the Merkle-sum tree, proves every chunk, aggregation and the solvency statement with Groth16, and
 * writes the public bundle and the private per-user inclusion packets.
 */
export {
  statementFromLedger,
  proveSolvency,
  InsolventError,
  OutputExistsError,
  ProofGenerationError,
  ProverKeysError,
} from './prover/index.js';
export type {
  LedgerSource,
  ProveSolvencyOptions,
  ProveSolvencyResult,
  ProveProgress,
  ProvePhase,
  ProveMode,
} from './prover/index.js';
export { InvalidStatementError } from './tree/errors.js';
export type { SolvencyStatement, SolvencyUser } from './tree/solvency-tree.js';

/**
 * Circuit families: one per amount width (64 or 100 bits) and size (dev or production). Choose the family of
 * a currency with `familyFor(decimals, size)`; key sets, ceremonies and bundles are per family.
 */
export {
  FAMILIES,
  B64_N8_K8,
  B100_N8_K8,
  B64_N128_K16,
  B100_N128_K16,
  CIRCUIT_KINDS,
  familyFor,
  familyById,
  circuitName,
} from './protocol/families.js';
export { UnknownFamilyError } from './protocol/errors.js';
export type { CircuitFamily, CircuitKind, FamilySize } from './protocol/families.js';

/**
 * Bundles on disk: the public bundle (manifest, proofs, verification keys) and the private inclusion packets,
 * read with checks. `loadBundle` reads a bundle through any file reader (the browser page uses it).
 */
export { readBundle, readPacket } from './bundle-io/read.js';
export { loadBundle } from './bundle/load.js';
export { BundleReadError, PacketFormatError } from './bundle/errors.js';
export { parsePacket } from './bundle/packet.js';
export type { ReadBundleOptions } from './bundle-io/read.js';
export type { ReadBundleFile, LoadBundleOptions } from './bundle/load.js';
export { PROTOCOL_VERSION } from './bundle/format.js';
export type { BundleData, BundleManifest, InclusionPacket, ProofWithSignals } from './bundle/format.js';

/**
 * Verification (the same functions as `zkreserve/verify`): a whole bundle (every proof, link and manifest
 * claim) and one user's inclusion packet against it. Both warn in capitals about insecure development keys.
 */
export {
  verifyBundle,
  verifyInclusion,
  summarize,
  checkDevKeys,
  findKnownDevKeys,
  INSECURE_KEYS_WARNING,
} from './verify/index.js';
export type {
  BundleReport,
  BundleSummary,
  DevKeyCheck,
  VerifyBundleOptions,
  InclusionResult,
  InclusionFigures,
  VkeyCheckOptions,
} from './verify/index.js';

/**
 * Keys and the trusted setup (docs/ceremony.md): load a ceremony's exported key set, or run a ceremony
 * (import a Hermez powers of tau, init, contribute, beacon, verify, export). `ensureDevKeys` makes the
 * public, insecure development keys: tests and demos only, refused by `proveSolvency` unless allowed.
 */
export { loadKeySet, readManifest, assertKeysAllowed, INSECURE_DEV_KEYS_WARNING } from './setup/keyset.js';
export type { KeySet, KeySetCircuit, KeyManifest, CeremonyKind } from './setup/keyset.js';
export { ensureDevKeys } from './setup/dev-ceremony.js';
export type { EnsureDevKeysOptions } from './setup/dev-ceremony.js';
export { importPtau, readPtauHeader } from './setup/ptau.js';
export type { PtauHeader, PtauRecord, ImportPtauOptions } from './setup/ptau.js';
export {
  readCeremony,
  setupInit,
  setupContribute,
  setupBeacon,
  setupVerify,
  setupExport,
  verifyKeyExport,
  readReceipt,
  parseReceipt,
} from './setup/ceremony/index.js';
export type {
  CeremonyState,
  ContributionReceipt,
  SetupInitOptions,
  SetupContributeOptions,
  SetupBeaconOptions,
  SetupExportOptions,
  VerifyOptions as SetupVerifyOptions,
  VerifyReport as SetupVerifyReport,
  CircuitVerifyReport,
} from './setup/ceremony/index.js';
export type { SetupProgress, ProgressFn } from './setup/progress.js';
export {
  SetupError,
  PtauHashMismatchError,
  PtauFormatError,
  PtauVerifyError,
  InsecurePtauError,
  PtauTooSmallError,
  KeyMismatchError,
  InsecureKeysError,
  CeremonyStateError,
  SnarkjsSetupError,
  ReceiptFormatError,
} from './setup/errors.js';

/**
 * snarkjs keeps worker threads alive after proving or verifying: call `terminateCurves()` when a program's
 * zk work is done, or it may not exit.
 */
export { terminateCurves } from './zk/snarkjs.js';

// The signed publication (docs/reserves.md): signer keys, signing bundle digests, packets and
// snapshot indexes. Checking them is in zkreserve/verify (verifyPublication, checkPacketSignature, ...).
export { signerKeyFromSeed, parseSignerKey, signerKeyText } from './publication/signer-key.js';
export type { SignerKey } from './publication/signer-key.js';
export { signBundleDigest, signIndexDigest, signPacket } from './publication/sign.js';
export type { SignatureEntry, SignerRole } from './publication/signature-entry.js';
export { buildIndex } from './publication/snapshot-index.js';
export {
  verifyPublication,
  checkPacketSignature,
  parseSignerSet,
  parseIndex,
  indexDigest,
  bundleDigest,
} from './verify/index.js';
export type { PublicationReport, PacketSignatureCheck, SignerSet } from './verify/index.js';
/** Reserve evidence (docs/reserves.md): the round's challenge, the evidence format, offline and online checks. */
export {
  reservesChallenge,
  challengeForManifest,
  parseEvidence,
  parseCustodians,
  custodianStatementText,
  signCustodianStatement,
  verifyReservesEvidence,
  addEvidence,
  InvalidChallengeError,
  InvalidEvidenceError,
  InvalidCustodiansError,
  EvidenceRefusedError,
} from './reserves/index.js';
export type { ReservesEvidence, EvidenceItem, EvidenceReport, EvidenceItemResult } from './reserves/index.js';
export { verifyReserves, checkEvmOnline } from './reserves-online/index.js';
