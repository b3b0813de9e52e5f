// Verifies one user's inclusion packet against a bundle (protocol.md §9 "Verifying an inclusion packet").
// Needs only the proofs on the user's path plus the solvency proof. Browser-safe.
import { leafHash, userCommitment } from '../crypto/poseidon.js';
import { rootFromPath } from '../tree/chunk-tree.js';
import { accountField } from '../tree/solvency-tree.js';
import { PROTOCOL_VERSION, SOLVENCY, SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';
import type { BundleData, InclusionPacket } from '../bundle/format.js';
import type { CircuitKind } from '../protocol/families.js';
import {
  checkGroth16,
  checkLinkSlot,
  checkManifest,
  checkSignals,
  checkSolvencyClaims,
  checkVkeys,
  parseField,
} from './checks.js';
import type { VkeyCheckOptions } from './checks.js';
import { checkDevKeys } from './verify-bundle.js';
import { ledgerAccountId } from '../protocol/account-id.js';

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

const DEC = /^(0|[1-9][0-9]*)$/;

export async function verifyInclusion(
  packet: InclusionPacket,
  bundle: BundleData,
  options: VkeyCheckOptions = {},
): Promise<InclusionResult> {
  const balance = typeof packet?.balance === 'string' ? packet.balance : '';
  const devKeys = checkDevKeys(bundle);
  const warnings: string[] = [...devKeys.warnings];
  const { insecureDevKeys } = devKeys;
  let figures: InclusionFigures | null = null;
  const fail = (reason: string): InclusionResult => ({
    ok: false,
    reason,
    balance,
    figures,
    warnings,
    insecureDevKeys,
  });

  const m = bundle?.manifest;
  const manifestErrors = checkManifest(m);
  if (manifestErrors.length > 0) return fail(manifestErrors[0]!);
  if (devKeys.error) return fail(devKeys.error);

  // 1. The packet is for this bundle's currency and snapshot.
  if (!packet || typeof packet !== 'object') return fail('packet: not an object');
  if (packet.protocol !== PROTOCOL_VERSION)
    return fail(`packet: protocol ${JSON.stringify(packet.protocol)} is not ${PROTOCOL_VERSION}`);
  if (packet.currency !== m.currency)
    return fail(`packet: currency ${packet.currency} differs from the bundle's ${m.currency}`);
  if (packet.snapshotTimeMs !== m.snapshotTimeMs || packet.snapshotTime !== m.snapshotTime) {
    return fail(`packet: snapshot time ${packet.snapshotTime} differs from the bundle's ${m.snapshotTime}`);
  }

  // 2. Packet fields.
  const f = m.family;
  const levels = m.tree.levels;
  if (!DEC.test(balance) || BigInt(balance) >= 1n << BigInt(f.balanceBits)) {
    return fail(
      `packet: balance ${JSON.stringify(packet.balance)} is not an integer in [0, 2^${f.balanceBits})`,
    );
  }
  const salt = parseField(packet.salt);
  if (salt === null) return fail('packet: salt is not a canonical decimal field element');
  if (!Number.isSafeInteger(packet.chunk) || packet.chunk < 0 || packet.chunk >= levels[0]!) {
    return fail(`packet: chunk ${String(packet.chunk)} is not a chunk of this bundle (0..${levels[0]! - 1})`);
  }
  if (!Number.isSafeInteger(packet.leaf) || packet.leaf < 0 || packet.leaf >= f.chunkUsers) {
    return fail(`packet: leaf ${String(packet.leaf)} is out of range [0, ${f.chunkUsers})`);
  }
  let id: bigint;
  try {
    id = accountField(packet.accountId);
  } catch (e) {
    return fail(`packet: ${(e as Error).message}`);
  }
  if (!Array.isArray(packet.siblings) || !packet.siblings.every((l) => Array.isArray(l))) {
    return fail('packet: siblings must be a list of levels');
  }
  const siblings: bigint[][] = [];
  for (const level of packet.siblings) {
    const parsed = level.map(parseField);
    if (parsed.some((x) => x === null))
      return fail('packet: a sibling is not a canonical decimal field element');
    siblings.push(parsed as bigint[]);
  }

  const ids = inclusionProofIds(levels, f.aggChildren, packet.chunk);
  figures = {
    currency: m.currency,
    decimals: m.decimals,
    snapshotTime: m.snapshotTime,
    reserves: m.reserves,
    total: m.total,
    chunk: packet.chunk,
    leaf: packet.leaf,
    proofs: ids,
    insecureKeys: warnings.length > 0,
  };

  // 3. Keys and the shape of every needed proof.
  const vkErrors = checkVkeys(bundle, options);
  if (vkErrors.length > 0) return fail(vkErrors[0]!);
  const kindOf = (pid: string): CircuitKind =>
    pid === SOLVENCY_PROOF_ID ? 'solvency' : pid.startsWith('L0-') ? 'chunk' : 'aggregate';
  for (const pid of ids) {
    const err = checkSignals(pid, kindOf(pid), bundle.proofs?.[pid], f.aggChildren);
    if (err) return fail(err);
  }
  const signals = (pid: string): string[] => bundle.proofs[pid]!.publicSignals;

  // 4. The packet's root / sumCommit are this bundle's (else: a packet of another bundle).
  const solvency = signals(SOLVENCY_PROOF_ID);
  if (packet.root !== solvency[SOLVENCY.root] || packet.sumCommit !== solvency[SOLVENCY.sumCommit]) {
    return fail(
      "packet: root/sumCommit differ from this bundle's solvency proof (a packet of another bundle?)",
    );
  }

  // 5. Leaf -> chunk root.
  let chunkRoot: bigint;
  try {
    const leaf = leafHash(userCommitment(id, salt), BigInt(balance));
    chunkRoot = rootFromPath(leaf, packet.leaf, siblings, f.chunkUsers);
  } catch (e) {
    return fail(`packet: malformed inclusion path: ${(e as Error).message}`);
  }
  if (chunkRoot.toString() !== signals(ids[0]!)[0]) {
    return fail(
      `leaf: the leaf of (accountId, salt, balance) with the packet's siblings does not lead to the root of chunk proof ${ids[0]} ` +
        '(balance, salt, account id or a sibling is wrong)',
    );
  }

  // 5b. The leaf commits to field31(accountId) only; the user recognises their account by its reference. Bind the
  // two: accountId must be the ledger's id of (USER, currency, externalRef). Otherwise the operator could hand
  // user X the packet (leaf) of user Y with X's reference pasted in, and drop X's own leaf from the sum.
  const ref: unknown = packet.externalRef;
  if (typeof ref !== 'string' || ledgerAccountId('USER', packet.currency, ref) !== packet.accountId) {
    return fail(
      `packet: accountId ${packet.accountId} is not the ledger id of USER account ${JSON.stringify(ref)} in ` +
        `${packet.currency} (docs/ledger.md §3): the account reference shown is not the one committed in the leaf`,
    );
  }

  // 6. Links up the path, then the solvency claims.
  let index = packet.chunk;
  for (let level = 1; level < levels.length; level++) {
    const parent = Math.floor(index / f.aggChildren);
    const err = checkLinkSlot(
      ids[level]!,
      signals(ids[level]!),
      index % f.aggChildren,
      f.aggChildren,
      ids[level - 1]!,
      signals(ids[level - 1]!),
    );
    if (err) return fail(err);
    index = parent;
  }
  const claims = checkSolvencyClaims(m, solvency, signals(ids[levels.length - 1]!));
  if (claims.length > 0) return fail(claims[0]!);

  // 7. Groth16: every proof on the path and the solvency proof.
  for (const pid of ids) {
    const kind = kindOf(pid);
    const err = await checkGroth16(pid, kind, bundle.vkeys[kind], bundle.proofs[pid]!);
    if (err) return fail(err);
  }
  return { ok: true, reason: '', balance, figures, warnings, insecureDevKeys };
}
