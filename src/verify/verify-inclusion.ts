// Verifies one user's inclusion packet against a bundle (protocol.md §9 "Verifying an inclusion packet").
// Needs only the proofs on the user's path plus the solvency proof. Browser-safe.
import { leafHash, userCommitment } from '../crypto/poseidon.js';
import { rootFromPath } from '../tree/chunk-tree.js';
import { accountField } from '../protocol/encoding.js';
import { PROTOCOL_VERSION, SOLVENCY, SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';
import type { BundleData, BundleManifest, InclusionPacket } from '../bundle/format.js';
import { summarizeManifest } from '../bundle/summary.js';
import type { CircuitKind } from '../protocol/families.js';
import { ledgerAccountId } from '../protocol/account-id.js';
import { checkManifest, checkVkeys, isDecimal, parseField, protocolProblem } from './checks.js';
import { isCurrencyCode } from '../money/currency.js';
import type { VkeyCheckOptions } from './checks.js';
import { checkDevKeys } from './dev-keys.js';
import { checkProofSet } from './proof-set.js';
import { keysPinned } from './verify-bundle.js';
import type { ProofSet } from './proof-set.js';

export interface InclusionFigures {
  currency: string;
  decimals: number;
  snapshotTime: string;
  reserves: string;
  total: string | null;
  chunk: number;
  leaf: number;
  /** Proof ids checked, bottom up. */
  proofs: string[];
  /** The manifest declares insecure keys, or the keys are known dev keys. */
  insecureKeys: boolean;
  /** The circuit family: the bundle's claim unless `keysPinned`. */
  family: string;
  /** The keys were checked against pinned (trusted) hashes. */
  keysPinned: boolean;
}

export interface InclusionResult {
  ok: boolean;
  /** Why it failed ('' when ok). */
  reason: string;
  /** The user's balance in minor units, as committed in the leaf (decimal string). */
  balance: string;
  figures: InclusionFigures | null;
  warnings: string[];
  /** The verifier's own finding: a verification key is a public insecure dev key (see BundleReport). */
  insecureDevKeys: boolean;
}

/** The proof ids a user's check needs: the chunk, each aggregation above it, the solvency proof. */
export function inclusionProofIds(levels: readonly number[], aggChildren: number, chunk: number): string[] {
  const ids: string[] = [];
  let index = chunk;
  for (let level = 0; level < levels.length; level++) {
    ids.push(proofId(level, index));
    index = Math.floor(index / aggChildren);
  }
  ids.push(SOLVENCY_PROOF_ID);
  return ids;
}

/** The user's path as a proof set: the proofs of inclusionProofIds, and the one slot per level that is theirs. */
function pathProofSet(ids: readonly string[], chunk: number, k: number): ProofSet {
  const kindOf = (pid: string): CircuitKind =>
    pid === SOLVENCY_PROOF_ID ? 'solvency' : pid.startsWith('L0-') ? 'chunk' : 'aggregate';
  const links: { parent: string; slot: number; child: string }[] = [];
  let index = chunk;
  for (let level = 1; level < ids.length - 1; level++) {
    links.push({ parent: ids[level]!, slot: index % k, child: ids[level - 1]! });
    index = Math.floor(index / k);
  }
  return { proofs: ids.map((id) => ({ id, kind: kindOf(id) })), links };
}

/** The packet's values, parsed. */
interface PacketValues {
  balance: bigint;
  salt: bigint;
  id: bigint;
  siblings: bigint[][];
}

/** Steps 1-2: the packet is for this bundle's currency and snapshot, and its fields are well formed. */
function checkPacket(packet: InclusionPacket, m: BundleManifest): PacketValues | string {
  if (!packet || typeof packet !== 'object') return 'packet: not an object';
  const unsupported = protocolProblem(packet.protocol);
  if (unsupported !== null) return `packet: ${unsupported} (this verifier reads ${PROTOCOL_VERSION})`;
  if (!isCurrencyCode(packet.currency)) {
    return `packet: currency ${JSON.stringify(packet.currency)} is not a currency code: 1..31 uppercase ASCII letters or digits ([A-Z0-9]{1,31})`;
  }
  if (packet.currency !== m.currency)
    return `packet: currency ${packet.currency} differs from the bundle's ${m.currency}`;
  if (packet.snapshotTimeMs !== m.snapshotTimeMs || packet.snapshotTime !== m.snapshotTime) {
    return `packet: snapshot time ${packet.snapshotTime} differs from the bundle's ${m.snapshotTime}`;
  }
  const f = m.family;
  const chunks = m.tree.levels[0]!;
  if (!isDecimal(packet.balance) || BigInt(packet.balance) >= 1n << BigInt(f.balanceBits)) {
    return `packet: balance ${JSON.stringify(packet.balance)} is not an integer in [0, 2^${f.balanceBits})`;
  }
  const salt = parseField(packet.salt);
  if (salt === null) return 'packet: salt is not a canonical decimal field element';
  if (!Number.isSafeInteger(packet.chunk) || packet.chunk < 0 || packet.chunk >= chunks) {
    return `packet: chunk ${String(packet.chunk)} is not a chunk of this bundle (0..${chunks - 1})`;
  }
  if (!Number.isSafeInteger(packet.leaf) || packet.leaf < 0 || packet.leaf >= f.chunkUsers) {
    return `packet: leaf ${String(packet.leaf)} is out of range [0, ${f.chunkUsers})`;
  }
  let id: bigint;
  try {
    id = accountField(packet.accountId);
  } catch (e) {
    return `packet: ${(e as Error).message}`;
  }
  if (!Array.isArray(packet.siblings) || !packet.siblings.every((l) => Array.isArray(l))) {
    return 'packet: siblings must be a list of levels';
  }
  const siblings: bigint[][] = [];
  for (const level of packet.siblings) {
    const parsed = level.map(parseField);
    if (parsed.some((x) => x === null)) return 'packet: a sibling is not a canonical decimal field element';
    siblings.push(parsed as bigint[]);
  }
  return { balance: BigInt(packet.balance), salt, id, siblings };
}

/**
 * Steps 4-5b, on proofs whose signals have the right shape: the packet is this bundle's, its leaf leads to
 * the root of its chunk proof, and its account id is the ledger's id of the reference the user sees.
 */
function checkPacketInBundle(
  packet: InclusionPacket,
  v: PacketValues,
  chunkUsers: number,
  chunkProof: string,
  signals: (id: string) => string[],
): string | null {
  const solvency = signals(SOLVENCY_PROOF_ID);
  if (packet.root !== solvency[SOLVENCY.root] || packet.sumCommit !== solvency[SOLVENCY.sumCommit]) {
    return "packet: root/sumCommit differ from this bundle's solvency proof (a packet of another bundle?)";
  }
  let chunkRoot: bigint;
  try {
    const leaf = leafHash(userCommitment(v.id, v.salt), v.balance);
    chunkRoot = rootFromPath(leaf, packet.leaf, v.siblings, chunkUsers);
  } catch (e) {
    return `packet: malformed inclusion path: ${(e as Error).message}`;
  }
  if (chunkRoot.toString() !== signals(chunkProof)[0]) {
    return (
      `leaf: the leaf of (accountId, salt, balance) with the packet's siblings does not lead to the root of chunk proof ${chunkProof} ` +
      '(balance, salt, account id or a sibling is wrong)'
    );
  }
  // The leaf commits to field31(accountId) only; the user recognises their account by its reference. Bind the
  // two: accountId must be the ledger's id of (USER, currency, externalRef). Otherwise the operator could hand
  // user X the packet (leaf) of user Y with X's reference pasted in, and drop X's own leaf from the sum.
  const ref: unknown = packet.externalRef;
  if (typeof ref !== 'string' || ledgerAccountId('USER', packet.currency, ref) !== packet.accountId) {
    return (
      `packet: accountId ${packet.accountId} is not the ledger id of USER account ${JSON.stringify(ref)} in ` +
      `${packet.currency} (docs/ledger.md §3): the account reference shown is not the one committed in the leaf`
    );
  }
  return null;
}

export async function verifyInclusion(
  packet: InclusionPacket,
  bundle: BundleData,
  options: VkeyCheckOptions = {},
): Promise<InclusionResult> {
  const balance = typeof packet?.balance === 'string' ? packet.balance : '';
  const devKeys = checkDevKeys(bundle);
  let figures: InclusionFigures | null = null;
  const result = (reason: string): InclusionResult => ({
    ok: reason === '',
    reason,
    balance,
    figures,
    warnings: [...devKeys.warnings],
    insecureDevKeys: devKeys.insecureDevKeys,
  });

  const m = bundle?.manifest;
  const manifestErrors = checkManifest(m);
  if (manifestErrors.length > 0) return result(manifestErrors[0]!);
  if (devKeys.error) return result(devKeys.error);
  const values = checkPacket(packet, m);
  if (typeof values === 'string') return result(values);

  const ids = inclusionProofIds(m.tree.levels, m.family.aggChildren, packet.chunk);
  const s = summarizeManifest(m, devKeys.insecure, false);
  figures = {
    currency: s.currency,
    decimals: s.decimals,
    snapshotTime: s.snapshotTime,
    reserves: s.reserves,
    total: s.total,
    chunk: packet.chunk,
    leaf: packet.leaf,
    proofs: ids,
    insecureKeys: s.insecure,
    family: s.family,
    keysPinned: s.keysPinned,
  };

  // 3. Keys; then the proofs on the path (signal shapes, the packet against them, links, claims, Groth16).
  const vkErrors = checkVkeys(bundle, options);
  if (vkErrors.length > 0) return result(vkErrors[0]!);
  // The keys matched the pinned hashes (if any): only now is the family the pinned one.
  figures = { ...figures, keysPinned: keysPinned(options) };
  const { errors } = await checkProofSet(bundle, pathProofSet(ids, packet.chunk, m.family.aggChildren), {
    firstOnly: true,
    afterShapes: (signals) => checkPacketInBundle(packet, values, m.family.chunkUsers, ids[0]!, signals),
  });
  return result(errors[0] ?? '');
}
