// Bundle and inclusion-packet formats of protocol.md §7-§8. Types and pure helpers only: browser-safe.
import { bytesToHex, sha256 } from '../crypto/sha256.js';
import { SOLVENCY_PUBLIC_INPUTS } from '../protocol/families.js';
import type { CircuitKind } from '../protocol/families.js';
import type { Groth16Proof, PublicSignals, VerificationKey } from '../zk/snarkjs.js';

export const PROTOCOL_VERSION = 'zkreserve/2';

export const SOLVENCY_SIGNALS = SOLVENCY_PUBLIC_INPUTS;

/** Index of each named solvency public signal. */
export const SOLVENCY = Object.fromEntries(SOLVENCY_SIGNALS.map((n, i) => [n, i])) as Record<
  (typeof SOLVENCY_SIGNALS)[number],
  number
>;

/** Proof id `L{level}-{index, 6 digits}` for chunk (level 0) and aggregation proofs, `solvency` for the last one. */
export function proofId(level: number, index: number): string {
  return `L${level}-${String(index).padStart(6, '0')}`;
}

export const SOLVENCY_PROOF_ID = 'solvency';

/** The reserve evidence file of a bundle, relative to its root (docs/reserves.md); optional. */
export const RESERVES_EVIDENCE_FILE = 'reserves/evidence.json';

export interface ManifestProofEntry {
  id: string;
  kind: CircuitKind;
  /** 0: chunk, 1..: aggregation level; the solvency proof has level = number of aggregation levels + 1. */
  level: number;
  index: number;
  /** Directory relative to the bundle root, e.g. `proofs/L0-000000`. */
  path: string;
}

export interface ManifestCircuitKeys {
  /** Circuit name, e.g. `b64-n8-k8-chunk`. */
  name: string;
  /** SHA-256 (hex) of the key set's files; `vkey` is also the hash of `verification_keys/<kind>.vkey.json`. */
  hashes: { r1cs: string; wasm: string; zkey: string; vkey: string };
}

export interface BundleManifest {
  protocol: typeof PROTOCOL_VERSION;
  currency: string;
  decimals: number;
  /** protocol.md §1 currencyId, decimal string. */
  currencyId: string;
  /** Snapshot instant T, ISO 8601 UTC, and the same instant in Unix milliseconds (decimal string). */
  snapshotTime: string;
  snapshotTimeMs: string;
  auditHead: { sequence: number; hash: string; hi: string; lo: string };
  /** Reserves in minor units (decimal string). */
  reserves: string;
  /** Total user liabilities (decimal string) when disclosed, else null. */
  total: string | null;
  family: { id: string; balanceBits: number; chunkUsers: number; aggChildren: number; sumBits: number };
  /** Number of nodes per level: `levels[0]` chunks, `levels[l]` aggregation proofs of level l; the last is 1. */
  tree: { levels: number[] };
  users: {
    /** Leaf slots in the tree (chunks × chunkUsers): an upper bound on the user count. */
    paddedUsers: number;
    /** `exact-chunks`: the fewest chunks that hold the users (< N padding leaves); `padded`: more slots (padToUsers). Padding sits at keyed positions in any chunk. */
    policy: 'exact-chunks' | 'padded';
    /** What the bundle reveals about the user count, in words. */
    revealed: string;
  };
  keys: {
    ceremony: string;
    insecure: boolean;
    transcript: unknown;
    circuits: Record<CircuitKind, ManifestCircuitKeys>;
  };
  /** Public-signal names per circuit, in public.json order. */
  publicSignals: Record<CircuitKind, string[]>;
  proofs: ManifestProofEntry[];
}

export interface ProofWithSignals {
  proof: Groth16Proof;
  publicSignals: PublicSignals;
}

/** A loaded bundle. `proofs` is keyed by proof id; a partial bundle (one user's path) is allowed. */
export interface BundleData {
  manifest: BundleManifest;
  vkeys: Record<CircuitKind, VerificationKey>;
  proofs: Record<string, ProofWithSignals>;
  /**
   * The reserve evidence (`reserves/evidence.json`, docs/reserves.md), when the bundle has any. Covered by
   * the bundle digest (digest.ts). Kept `unknown` here (bundle/ sits below reserves/): src/reserves'
   * parseEvidence gives it its type, ReservesEvidence.
   */
  reserves?: unknown;
}

/** protocol.md §8: the private per-user inclusion packet. */
export interface InclusionPacket {
  protocol: typeof PROTOCOL_VERSION;
  currency: string;
  snapshotTime: string;
  snapshotTimeMs: string;
  accountId: string;
  externalRef: string;
  balance: string;
  salt: string;
  chunk: number;
  leaf: number;
  siblings: string[][];
  root: string;
  sumCommit: string;
  /**
   * The operator's Ed25519 signature of this packet (docs/reserves.md), when signed: it covers every
   * field above and the bundle digest, and is excluded from what it signs. Unsigned packets have none.
   */
  signature?: PacketSignature;
}

/** A packet's signature (`zkreserve sign --packets`); `role` and `name` are claims, not signed. */
export interface PacketSignature {
  algorithm: 'ed25519';
  role: string;
  name: string;
  /** Ed25519 public key, 64 lowercase hex digits. */
  publicKey: string;
  /** The digest (protocol.md §11) of the bundle the packet belongs to, 64 lowercase hex digits. */
  bundleDigest: string;
  /** 128 lowercase hex digits. */
  signature: string;
}

/** JSON text exactly as the snarkjs CLI writes proof.json / public.json. */
export function snarkjsJson(value: unknown): string {
  return JSON.stringify(value, null, 1);
}

/** Text of a `verification_keys/*.vkey.json` file (its SHA-256 is the manifest's `hashes.vkey`). */
export function vkeyFileText(vkey: unknown): string {
  return JSON.stringify(vkey, null, 1) + '\n';
}

/** SHA-256 (hex) of a verification key's file text, as the manifest's `hashes.vkey` records it. */
export function vkeyHash(vkey: unknown): string {
  return bytesToHex(sha256(new TextEncoder().encode(vkeyFileText(vkey))));
}

/** Pretty JSON for manifest / packets. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
