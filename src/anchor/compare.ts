// `verify --anchored`: does the chain's record for the bundle's currency and snapshot time say exactly what
// the bundle says? Every field of the record is compared with the bundle's solvency public signals (protocol
// names, protocol.md §6), its digest (§11), and the registry's solvency key hash with the bundle's.
import type { Address } from 'viem';
import type { BundleData } from '../bundle/format.js';
import { SOLVENCY_SIGNALS, vkeyHash } from '../bundle/format.js';
import type { Chainside } from './chain.js';
import type { AnchorRecord, AnchorRound, RegistryInfo } from './registry.js';
import { anchorRound, readRecord, readRegistryInfo } from './registry.js';

/** What `verify --anchored` found: `problems` is empty when the record matches the bundle exactly. */
export interface AnchorCheck {
  registry: string;
  currencyId: string;
  snapshotTime: string;
  record: AnchorRecord | null;
  problems: string[];
}

/**
 * The differences between `bundle` (its round) and the chain's `record` (null: none recorded), each naming the
 * field and both values.
 */
export function compareWithRecord(
  bundle: BundleData,
  round: AnchorRound,
  record: AnchorRecord | null,
  info: RegistryInfo,
): string[] {
  const problems: string[] = [];
  const want = vkeyHash(bundle.vkeys.solvency);
  if (info.solvencyVkeyHash !== want)
    problems.push(
      `anchor: the registry verifies solvency key ${info.solvencyVkeyHash}, the bundle's solvency key is ${want}`,
    );
  const currency = round.publicSignals[SOLVENCY_SIGNALS.indexOf('currencyId')];
  const time = round.publicSignals[SOLVENCY_SIGNALS.indexOf('snapshotTime')];
  if (!record) {
    problems.push(`anchor: the registry has no record for currencyId ${currency} at snapshotTime ${time}`);
    return problems;
  }
  SOLVENCY_SIGNALS.forEach((name, i) => {
    const chain = String(record[name as keyof AnchorRecord]);
    const mine = round.publicSignals[i];
    if (chain !== mine) problems.push(`anchor: ${name} differs: bundle ${mine}, chain ${chain}`);
  });
  const digest = record.bundleDigest.slice(2).toLowerCase();
  if (digest !== round.digest)
    problems.push(`anchor: bundleDigest differs: bundle ${round.digest}, chain ${digest}`);
  return problems;
}

/** Reads the registry's record for `bundle`'s currency and snapshot time and compares it (compareWithRecord). */
export async function checkAnchored(
  side: Chainside,
  registry: Address,
  bundle: BundleData,
): Promise<AnchorCheck> {
  const round = anchorRound(bundle);
  const currencyId = round.publicSignals[SOLVENCY_SIGNALS.indexOf('currencyId')]!;
  const snapshotTime = round.publicSignals[SOLVENCY_SIGNALS.indexOf('snapshotTime')]!;
  const info = await readRegistryInfo(side, registry);
  const record = await readRecord(side, registry, BigInt(currencyId), BigInt(snapshotTime));
  return {
    registry,
    currencyId,
    snapshotTime,
    record,
    problems: compareWithRecord(bundle, round, record, info),
  };
}
