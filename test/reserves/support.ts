// Shared fixtures for the reserve-evidence tests: a bundle-like round (manifest fields the evidence binds),
// deterministic TEST keys (never use them anywhere else), and signed items of each kind.
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { privateKeyToAccount } from 'viem/accounts';
import type { BundleData, BundleManifest } from '../../src/bundle/format.js';
import { challengeForManifest } from '../../src/reserves/challenge.js';
import { signCustodianStatement } from '../../src/reserves/custodian.js';
import { EVIDENCE_FORMAT } from '../../src/reserves/evidence.js';
import type { CustodianItem, EvidenceItem, EvmItem, ReservesEvidence } from '../../src/reserves/evidence.js';

/** A deterministic 32-byte TEST key from a label. */
export const testKey = (label: string): Uint8Array =>
  sha256(utf8ToBytes(`zkreserve reserves TEST key ${label}`));
export const hexKey = (label: string): `0x${string}` => `0x${bytesToHex(testKey(label))}`;

export const OPERATOR = 'Example Exchange';
export const T = '2026-06-30T12:00:00.000Z';
export const T_S = Date.parse(T) / 1000;
export const at = (offsetSeconds: number): string => new Date((T_S + offsetSeconds) * 1000).toISOString();

/** The manifest fields a challenge binds, for a currency; reserves in minor units. */
export function round(
  currency: string,
  decimals: number,
  reserves: bigint,
  sequence = 69,
  snapshotTime = T,
): Pick<BundleData, 'manifest' | 'proofs'> {
  const manifest = {
    protocol: 'zkreserve/2',
    currency,
    decimals,
    snapshotTime,
    snapshotTimeMs: String(Date.parse(snapshotTime)),
    auditHead: {
      sequence,
      hash: bytesToHex(sha256(utf8ToBytes(`audit head ${sequence}`))),
      hi: '0',
      lo: '0',
    },
    reserves: reserves.toString(),
  } as unknown as BundleManifest;
  return { manifest, proofs: {} };
}

export const challengeOf = (r: Pick<BundleData, 'manifest'>, operator = OPERATOR): string =>
  challengeForManifest(r.manifest, operator);

/** An evidence file for round `r` with `items`, window ±1 hour. */
export function evidenceFor(
  r: Pick<BundleData, 'manifest'>,
  items: EvidenceItem[],
  extra: Partial<ReservesEvidence> = {},
): ReservesEvidence {
  return {
    format: EVIDENCE_FORMAT,
    operator: OPERATOR,
    challenge: challengeOf(r),
    window: { beforeSeconds: 3600, afterSeconds: 3600 },
    items,
    ...extra,
  };
}

/** An EVM item for chain 1 native ETH signed (viem signMessage) by the key `label` over `message`. */
export async function evmItem(
  label: string,
  message: string,
  fields: Partial<EvmItem> = {},
): Promise<EvmItem> {
  const account = privateKeyToAccount(hexKey(label));
  return {
    kind: 'evm',
    chainId: 1,
    address: account.address,
    asset: 'native',
    balance: '1000000000000000000',
    blockNumber: 20_000_000,
    blockHash: `0x${bytesToHex(sha256(utf8ToBytes('block')))}`,
    blockTime: at(-12),
    signature: await account.signMessage({ message }),
    ...fields,
  };
}

export const CUSTODIAN = 'Demo Trust Bank';
export const custodianPublicKey = (label = 'custodian'): string =>
  bytesToHex(ed25519.getPublicKey(testKey(label)));
export const pinned = (label = 'custodian'): Map<string, string[]> =>
  new Map([[CUSTODIAN, [custodianPublicKey(label)]]]);

/** A custodian statement signed by the TEST key `label`. */
export function custodianItem(
  challenge: string,
  fields: Partial<CustodianItem> = {},
  label = 'custodian',
): CustodianItem {
  return signCustodianStatement(
    {
      custodian: CUSTODIAN,
      account: 'omnibus-1',
      currency: 'USD',
      amount: '50000000',
      asOf: at(0),
      challenge,
      ...fields,
    },
    testKey(label),
  );
}
