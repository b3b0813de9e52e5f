// Gas report of the on-chain anchor: npm run gas-report (npx tsx scripts/gas-report.ts).
// Starts ganache on a free loopback port (test/support/evm-node.ts), deploys the dev-family (b64-n8-k8)
// solvency verifier and a SolvencyRegistry, publishes two genuine rounds (T1 < T2, proved once and cached in
// build/test-anchor by test/anchor/fixtures.ts), and measures each exported verifier's verifyProof (chunk,
// aggregate, solvency, from `export-verifier`'s template) with eth_estimateGas. Every step is checked first
// (receipts successful, each verifyProof returns true, the records match the bundles); only then the table
// is printed. The dev keys are insecure: the figures are gas costs, not evidence of anything.
import path from 'node:path';
import type { Abi, Address, Hex } from 'viem';
import { encodeFunctionData } from 'viem';
import { proofCalldata, signalsCalldata } from '../src/anchor/calldata.js';
import { connect } from '../src/anchor/chain.js';
import { checkAnchored } from '../src/anchor/compare.js';
import { deployAnchor, deployContract } from '../src/anchor/deploy.js';
import { anchorRound, publishRound } from '../src/anchor/registry.js';
import { readSolvencyKey } from '../src/anchor/solvency-key.js';
import { compileVerifier } from '../src/anchor/verifier-contract.js';
import { readBundle } from '../src/bundle-io/read.js';
import type { CircuitKind } from '../src/protocol/families.js';
import { anchorBundles } from '../test/anchor/fixtures.js';
import { startEvmNode } from '../test/support/evm-node.js';

const PROOF_OF: Record<CircuitKind, string> = {
  chunk: 'L0-000000',
  aggregate: 'L1-000000',
  solvency: 'solvency',
};

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`gas report: ${what}`);
}

async function main(): Promise<void> {
  const bundles = await anchorBundles();
  const [t1, t2] = [await readBundle(bundles.t1), await readBundle(bundles.t2)];
  const node = await startEvmNode();
  try {
    const side = await connect(node.url, node.privateKeys[0]);
    const rows: [string, bigint, string][] = [];
    const key = await readSolvencyKey(path.resolve('keys/dev'), 'b64-n8-k8');
    const d = await deployAnchor(side, key);
    rows.push(['deploy ZkReserveSolvencyVerifier', d.verifier.gasUsed, 'receipt gasUsed']);
    rows.push(['deploy SolvencyRegistry', d.registry.gasUsed, 'receipt gasUsed']);
    const registry = d.registry.contractAddress;
    const p1 = await publishRound(side, registry, anchorRound(t1));
    const p2 = await publishRound(side, registry, anchorRound(t2));
    for (const b of [t1, t2])
      check((await checkAnchored(side, registry, b)).problems.length === 0, 'record differs');
    rows.push(['publish (first round of a currency)', p1.gasUsed, 'receipt gasUsed']);
    rows.push(['publish (a later round)', p2.gasUsed, 'receipt gasUsed']);
    for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
      const c = compileVerifier(t1.vkeys[kind], kind);
      const v = await deployContract(side, c.abi, c.bytecode, [], `the ${kind} verifier`);
      const { proof, publicSignals } = t1.proofs[PROOF_OF[kind]]!;
      const { a, b, c: pc } = proofCalldata(proof);
      const data: Hex = encodeFunctionData({
        abi: c.abi as Abi,
        functionName: 'verifyProof',
        args: [a, b, pc, signalsCalldata(publicSignals)],
      });
      const to: Address = v.contractAddress;
      const ret = await side.public.call({ to, data });
      check(BigInt(ret.data ?? '0x0') === 1n, `the ${kind} verifier refused the bundle's proof`);
      const gas = await side.public.estimateGas({ to, data, account: side.account! });
      rows.push([
        `verifyProof ${kind} (${publicSignals.length} public signals)`,
        gas,
        'eth_estimateGas, incl. 21000 base',
      ]);
      rows.push([`deploy ${kind} verifier`, v.gasUsed, 'receipt gasUsed']);
    }
    console.log(
      'zkreserve anchor gas (dev family b64-n8-k8, ganache 7.9.2, shanghai, solc 0.8.28 optimizer 200 runs)',
    );
    console.log(`${'operation'.padEnd(48)} ${'gas'.padStart(10)}  measured as`);
    for (const [op, gas, how] of rows) console.log(`${op.padEnd(48)} ${gas.toString().padStart(10)}  ${how}`);
  } finally {
    await node.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
