// Every Solidity verifier `export-verifier` writes (chunk, aggregate, solvency; snarkjs' template) runs on a
// real local EVM: compiled with the pinned solc, deployed, and called (eth_call verifyProof) with the bundle's
// own proofs, which it accepts, and with tampered ones, which it rejects.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Abi, Address } from 'viem';
import { proofCalldata, signalsCalldata } from '../../src/anchor/calldata.js';
import { connect } from '../../src/anchor/chain.js';
import type { Chainside } from '../../src/anchor/chain.js';
import { deployContract } from '../../src/anchor/deploy.js';
import { compileContract } from '../../src/anchor/solc.js';
import type { CompiledContract } from '../../src/anchor/solc.js';
import { compileVerifier } from '../../src/anchor/verifier-contract.js';
import { readBundle } from '../../src/bundle-io/read.js';
import type { BundleData } from '../../src/bundle/format.js';
import type { CircuitKind } from '../../src/protocol/families.js';
import type { Groth16Proof } from '../../src/zk/snarkjs.js';
import { CONTRACT_NAMES } from '../../src/zk/solidity.js';
import { startEvmNode } from '../support/evm-node.js';
import type { EvmNode } from '../support/evm-node.js';
import { tempDir, zk } from '../cli/helpers.js';
import { anchorBundles } from './fixtures.js';

const PROOF_OF: Record<CircuitKind, string> = {
  chunk: 'L0-000000',
  aggregate: 'L1-000000',
  solvency: 'solvency',
};

let node: EvmNode;
let side: Chainside;
let bundle: BundleData;
let other: BundleData;
const compiled = {} as Record<CircuitKind, CompiledContract>;
const deployed = {} as Record<CircuitKind, Address>;

function verify(kind: CircuitKind, proof: Groth16Proof, signals: readonly string[]): Promise<boolean> {
  const { a, b, c } = proofCalldata(proof);
  return side.public.readContract({
    address: deployed[kind],
    abi: compiled[kind].abi,
    functionName: 'verifyProof',
    args: [a, b, c, signalsCalldata(signals)],
  }) as Promise<boolean>;
}

beforeAll(async () => {
  const [bundles, started] = await Promise.all([anchorBundles(), startEvmNode()]);
  node = started;
  side = await connect(node.url, node.privateKeys[0]);
  bundle = await readBundle(bundles.t1);
  other = await readBundle(bundles.t2);
  const dir = await tempDir('verifiers');
  const out = path.join(dir, 'Verifier.sol');
  const r = await zk(['export-verifier', bundles.t1, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const files: Record<CircuitKind, string> = {
    solvency: out,
    chunk: path.join(dir, 'Verifier.chunk.sol'),
    aggregate: path.join(dir, 'Verifier.aggregate.sol'),
  };
  for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
    const source = await readFile(files[kind], 'utf8');
    compiled[kind] = compileContract({ 'Verifier.sol': source }, 'Verifier.sol', CONTRACT_NAMES[kind]);
    const d = await deployContract(
      side,
      compiled[kind].abi as Abi,
      compiled[kind].bytecode,
      [],
      `the ${kind} verifier`,
    );
    deployed[kind] = d.contractAddress;
  }
});

afterAll(async () => {
  await node?.close();
});

describe("export-verifier's Solidity verifiers on a local EVM", () => {
  for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
    it(`${kind}: accepts the bundle's proof; rejects a changed signal and another proof`, async () => {
      const { proof, publicSignals } = bundle.proofs[PROOF_OF[kind]]!;
      const signals = publicSignals.map(String);
      expect(await verify(kind, proof, signals)).toBe(true);
      // Attack: the same proof for a root one higher.
      const changed = [(BigInt(signals[0]!) + 1n).toString(), ...signals.slice(1)];
      expect(await verify(kind, proof, changed)).toBe(false);
      // Attack: a genuine proof of another round (same circuit) offered for these signals.
      expect(await verify(kind, other.proofs[PROOF_OF[kind]]!.proof, signals)).toBe(false);
      // Attack: a signal at or above the field modulus (the template's checkField).
      const p = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
      expect(await verify(kind, proof, [(BigInt(signals[0]!) + p).toString(), ...signals.slice(1)])).toBe(
        false,
      );
    });
  }

  it("the registry's solvency verifier (anchor deploy) is the exported one, byte for byte", () => {
    expect(compileVerifier(bundle.vkeys.solvency, 'solvency').bytecode).toBe(compiled.solvency.bytecode);
  });
});
