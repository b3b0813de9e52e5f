// The demo's reserve evidence (docs/reserves.md): for each bundle, a statement that covers its reserves,
// signed over the round's challenge with INSECURE, PUBLIC demo keys: never use these keys in production.
// ETH: a demo EVM address's EIP-191 signature (its balance and block are claimed, not on any chain: the
// demo checks offline only); USD: a demo custodian's Ed25519 statement, whose key the demo pins.
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { sha256 } from '@noble/hashes/sha256';
import { ed25519 } from '@noble/curves/ed25519';
import { privateKeyToAccount } from 'viem/accounts';
import type { BundleData } from '../bundle/format.js';
import { challengeForManifest } from '../reserves/challenge.js';
import { CUSTODIANS_FORMAT, signCustodianStatement } from '../reserves/custodian.js';
import { EVIDENCE_FORMAT } from '../reserves/evidence.js';
import type { EvidenceItem, ReservesEvidence } from '../reserves/evidence.js';

/** The operator name the demo's challenges bind. */
export const DEMO_OPERATOR = 'zkreserve demo operator (INSECURE)';

/** The demo custodian's name. */
export const DEMO_CUSTODIAN = 'Demo Custodian Bank (INSECURE demo key)';

/** A deterministic INSECURE demo key: its seed is public (this file). Never use it in production. */
function demoKey(label: string): Uint8Array {
  return sha256(utf8ToBytes(`zkreserve INSECURE PUBLIC demo key: never use in production: ${label}`));
}

/** The pinned-custodians file that pins the demo custodian's (INSECURE) key. */
export function demoCustodiansFile(): {
  format: typeof CUSTODIANS_FORMAT;
  custodians: { name: string; publicKey: string }[];
} {
  return {
    format: CUSTODIANS_FORMAT,
    custodians: [{ name: DEMO_CUSTODIAN, publicKey: bytesToHex(ed25519.getPublicKey(demoKey('custodian'))) }],
  };
}

/** Evidence covering the bundle's reserves: an EVM item for ETH, a custodian statement otherwise. */
export async function demoEvidence(bundle: Pick<BundleData, 'manifest'>): Promise<ReservesEvidence> {
  const m = bundle.manifest;
  const challenge = challengeForManifest(m, DEMO_OPERATOR);
  let item: EvidenceItem;
  if (m.currency === 'ETH') {
    const account = privateKeyToAccount(`0x${bytesToHex(demoKey('evm'))}`);
    item = {
      kind: 'evm',
      chainId: 1,
      address: account.address,
      asset: 'native',
      balance: m.reserves,
      // A claimed block (the demo runs offline): `reserves verify --rpc` against mainnet would refuse it.
      blockNumber: 0,
      blockHash: `0x${bytesToHex(sha256(utf8ToBytes(`demo block at ${m.snapshotTime}`)))}`,
      blockTime: m.snapshotTime,
      signature: await account.signMessage({ message: challenge }),
    };
  } else {
    item = signCustodianStatement(
      {
        custodian: DEMO_CUSTODIAN,
        account: `demo ${m.currency} omnibus account`,
        currency: m.currency,
        amount: m.reserves,
        asOf: m.snapshotTime,
        challenge,
      },
      demoKey('custodian'),
    );
  }
  return {
    format: EVIDENCE_FORMAT,
    operator: DEMO_OPERATOR,
    challenge,
    window: { beforeSeconds: 3600, afterSeconds: 3600 },
    items: [item],
  };
}
