// Talking to a deployed SolvencyRegistry: publishing a bundle's round, reading a record and the registry's
// fixed parameters (operator, verifier, solvency key hash).
import type { Address, Hex } from 'viem';
import { bundleDigest } from '../bundle/digest.js';
import type { BundleData } from '../bundle/format.js';
import type { Groth16Proof } from '../zk/snarkjs.js';
import type { Chainside } from './chain.js';
import { requireCode } from './chain.js';
import { proofCalldata, signalsCalldata } from './calldata.js';
import { AnchorInputError } from './errors.js';
import { SOLVENCY_REGISTRY_ABI } from './generated/solvency-registry.js';
import { mined, refusal, revertOf, walletOf } from './transact.js';
import type { TxResult } from './transact.js';

/** What `publish` sends: the solvency proof, its nine public signals and the bundle digest (64 hex). */
export interface AnchorRound {
  proof: Groth16Proof;
  publicSignals: readonly string[];
  digest: string;
}

/** A record as the registry stores it (protocol names of the solvency public signals, protocol.md §6). */
export interface AnchorRecord {
  root: bigint;
  sumCommit: bigint;
  reserves: bigint;
  snapshotTime: bigint;
  currencyId: bigint;
  auditHeadHi: bigint;
  auditHeadLo: bigint;
  discloseTotal: bigint;
  disclosedTotal: bigint;
  bundleDigest: Hex;
  blockNumber: bigint;
  blockTimestamp: bigint;
}

/** A registry's constructor-fixed parameters. */
export interface RegistryInfo {
  operator: Address;
  verifier: Address;
  solvencyVkeyHash: string;
}

/** The round of `bundle`: its solvency proof and signals, and its digest (the whole bundle is needed). */
export function anchorRound(bundle: BundleData): AnchorRound {
  const entry = bundle.manifest.proofs.find((p) => p.kind === 'solvency');
  const p = entry ? bundle.proofs[entry.id] : undefined;
  if (!p) throw new AnchorInputError('the bundle has no solvency proof');
  if (p.publicSignals.length !== 9)
    throw new AnchorInputError(`the solvency proof has ${p.publicSignals.length} public signals, not 9`);
  return { proof: p.proof, publicSignals: p.publicSignals.map(String), digest: bundleDigest(bundle) };
}

/** The arguments of `publish(a, b, c, pubSignals, bundleDigest)` for `round`. */
export function publishArgs(round: AnchorRound) {
  const { a, b, c } = proofCalldata(round.proof);
  const s = signalsCalldata(round.publicSignals);
  if (!/^[0-9a-f]{64}$/.test(round.digest))
    throw new AnchorInputError('the bundle digest is not 64 hex digits');
  const signals = [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!, s[8]!] as const;
  return [a, b, c, signals, `0x${round.digest}` as Hex] as const;
}

/**
 * Publishes `round` to `registry` from the operator's account. The call is simulated first (a refusal is
 * an AnchorRevertError naming the contract's error: NotOperator, InvalidProof, SnapshotNotLater); with
 * `gas`, it is sent unsimulated with that gas limit, so a refusal is a reverted transaction on chain.
 */
export async function publishRound(
  side: Chainside,
  registry: Address,
  round: AnchorRound,
  options: { gas?: bigint } = {},
): Promise<TxResult> {
  const { wallet, account } = walletOf(side);
  await requireCode(side, registry, 'registry');
  const call = {
    address: registry,
    abi: SOLVENCY_REGISTRY_ABI,
    functionName: 'publish',
    args: publishArgs(round),
  } as const;
  let hash: Hex;
  try {
    if (options.gas === undefined) await side.public.simulateContract({ ...call, account });
    hash = await wallet.writeContract({
      ...call,
      account,
      chain: side.chain,
      ...(options.gas ? { gas: options.gas } : {}),
    });
  } catch (e) {
    throw refusal('publish', e, SOLVENCY_REGISTRY_ABI);
  }
  return mined(side, hash, 'publish');
}

/** The record of `currencyId` at `snapshotTime`, or null when the registry has none. */
export async function readRecord(
  side: Chainside,
  registry: Address,
  currencyId: bigint,
  snapshotTime: bigint,
): Promise<AnchorRecord | null> {
  await requireCode(side, registry, 'registry');
  try {
    return await side.public.readContract({
      address: registry,
      abi: SOLVENCY_REGISTRY_ABI,
      functionName: 'recordAt',
      args: [currencyId, snapshotTime],
    });
  } catch (e) {
    if (revertOf(e, SOLVENCY_REGISTRY_ABI)?.name === 'NoRecord') return null;
    throw refusal('reading the record', e, SOLVENCY_REGISTRY_ABI);
  }
}

/** The registry's operator, verifier and solvency key hash. */
export async function readRegistryInfo(side: Chainside, registry: Address): Promise<RegistryInfo> {
  await requireCode(side, registry, 'registry');
  const read = async (functionName: 'operator' | 'verifier' | 'solvencyVkeyHash') => {
    try {
      return await side.public.readContract({ address: registry, abi: SOLVENCY_REGISTRY_ABI, functionName });
    } catch (e) {
      throw refusal(`reading the registry's ${functionName}`, e, SOLVENCY_REGISTRY_ABI);
    }
  };
  const [operator, verifier, hash] = [
    await read('operator'),
    await read('verifier'),
    await read('solvencyVkeyHash'),
  ];
  return { operator, verifier, solvencyVkeyHash: hash.slice(2) };
}
