// A copy of a bundle with reserve evidence for the page test: a custodian statement (TEST Ed25519 key),
// an EVM address (TEST secp256k1 key, asset mapped by the evidence) and a tampered statement; and the
// pinned-custodians file that pins the statement's key. Test keys only.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readBundle } from '../../src/bundle-io/read.js';
import { writeReservesEvidence } from '../../src/bundle-io/write.js';
import { challengeForManifest } from '../../src/reserves/challenge.js';
import { CUSTODIANS_FORMAT } from '../../src/reserves/custodian.js';
import {
  CUSTODIAN,
  OPERATOR,
  custodianItem,
  custodianPublicKey,
  evidenceFor,
  evmItem,
} from '../reserves/support.js';

/** Copies `bundleDir` to `to` with evidence; the reserves are covered once the custodian is pinned. */
export async function writeEvidencedCopy(
  bundleDir: string,
  to: string,
  custodiansFile: string,
): Promise<void> {
  await cp(bundleDir, to, { recursive: true });
  const bundle = await readBundle(to);
  const m = bundle.manifest;
  const c = challengeForManifest(m, OPERATOR);
  const reserves = BigInt(m.reserves);
  const half = reserves / 2n;
  const token = '0x00000000000000000000000000000000000000aa';
  const items = [
    custodianItem(c, { amount: half.toString(), asOf: m.snapshotTime }),
    await evmItem('page', c, {
      asset: token,
      balance: (reserves - half).toString(),
      blockTime: m.snapshotTime,
    }),
    { ...custodianItem(c, { account: 'other', asOf: m.snapshotTime }), amount: '1' },
  ];
  const evidence = evidenceFor(bundle, items, { assets: [{ kind: 'evm', chainId: 1, asset: token }] });
  await writeReservesEvidence(to, evidence);
  await writeFile(
    custodiansFile,
    JSON.stringify({
      format: CUSTODIANS_FORMAT,
      custodians: [{ name: CUSTODIAN, publicKey: custodianPublicKey() }],
    }),
  );
  await writeFile(path.join(to, 'README.txt'), 'TEST evidence made with public test keys.\n');
}
