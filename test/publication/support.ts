// Shared fixtures of the publication tests: a synthetic bundle (the digest reads only the manifest, the
// verification keys, the public signals and the evidence; no proof is verified here), signer keys, a packet.
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { signerKeyFromSeed } from '../../src/publication/signer-key.js';
import type { SignerKey } from '../../src/publication/signer-key.js';
import type { SignerRole } from '../../src/publication/signature-entry.js';
import { parseSignerSet, signerSetText } from '../../src/publication/signer-set.js';
import type { SignerSet } from '../../src/publication/signer-set.js';

/** A deterministic signer key: seed byte `n` repeated. */
export function key(n: number, name: string, role: SignerRole = 'operator'): SignerKey {
  return signerKeyFromSeed(n.toString(16).padStart(2, '0').repeat(32), name, role);
}

export const operator = key(1, 'Example Ltd');
export const auditor = key(2, 'Audit LLP', 'auditor');
export const auditor2 = key(3, 'Second Audit', 'auditor');
export const stranger = key(4, 'Mallory');

/** A signer set pinning `keys`. */
export function pinned(...keys: SignerKey[]): SignerSet {
  return parseSignerSet(signerSetText(keys), 'signers.json');
}

/** A synthetic bundle of one chunk, one aggregation and the solvency proof. */
export function syntheticBundle(reserves?: unknown): BundleData {
  const vkey = (n: number) => ({ protocol: 'groth16', curve: 'bn128', nPublic: n, IC: [['1', '2', '1']] });
  const proof = { pi_a: ['1', '2', '1'], pi_b: [], pi_c: [], protocol: 'groth16', curve: 'bn128' };
  return {
    manifest: {
      protocol: 'zkreserve/2',
      currency: 'USD',
      decimals: 2,
      currencyId: '123',
      snapshotTime: '2026-06-30T00:00:00.000Z',
      snapshotTimeMs: '1782777600000',
      reserves: '200000',
      total: null,
      proofs: [
        { id: 'L0-000000', kind: 'chunk', level: 0, index: 0, path: 'proofs/L0-000000' },
        { id: 'L1-000000', kind: 'aggregate', level: 1, index: 0, path: 'proofs/L1-000000' },
        { id: 'solvency', kind: 'solvency', level: 2, index: 0, path: 'proofs/solvency' },
      ],
    } as unknown as BundleData['manifest'],
    vkeys: { chunk: vkey(3), aggregate: vkey(5), solvency: vkey(8) } as unknown as BundleData['vkeys'],
    proofs: {
      'L0-000000': { proof, publicSignals: ['11', '12', '13'] },
      'L1-000000': { proof, publicSignals: ['21', '22', '23', '24', '25'] },
      solvency: { proof, publicSignals: ['31', '32', '33', '34', '35', '36', '37', '38'] },
    } as unknown as BundleData['proofs'],
    ...(reserves === undefined ? {} : { reserves }),
  };
}

/** A packet of the synthetic bundle (its fields are only signed here, never checked against proofs). */
export function syntheticPacket(): InclusionPacket {
  return {
    protocol: 'zkreserve/2',
    currency: 'USD',
    snapshotTime: '2026-06-30T00:00:00.000Z',
    snapshotTimeMs: '1782777600000',
    accountId: 'ab'.repeat(32),
    externalRef: 'alice',
    balance: '10050',
    salt: '77',
    chunk: 0,
    leaf: 3,
    siblings: [['1'], ['2'], ['3']],
    root: '31',
    sumCommit: '32',
  };
}
