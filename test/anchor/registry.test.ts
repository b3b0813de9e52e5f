// The registry on a real local EVM (ganache over JSON-RPC, as the CLI uses it): deployed for the dev solvency
// key, fed genuine dev-family bundles at T1 < T2. Each refusal is the contract's own revert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Address } from 'viem';
import { connect } from '../../src/anchor/chain.js';
import type { Chainside } from '../../src/anchor/chain.js';
import { checkAnchored } from '../../src/anchor/compare.js';
import { deployAnchor } from '../../src/anchor/deploy.js';
import { AnchorRevertError } from '../../src/anchor/errors.js';
import { SOLVENCY_REGISTRY_ABI } from '../../src/anchor/generated/solvency-registry.js';
import { anchorRound, publishRound, readRecord, readRegistryInfo } from '../../src/anchor/registry.js';
import type { AnchorRound } from '../../src/anchor/registry.js';
import { readSolvencyKey } from '../../src/anchor/solvency-key.js';
import { readBundle } from '../../src/bundle-io/read.js';
import type { BundleData } from '../../src/bundle/format.js';
import { vkeyHash } from '../../src/bundle/format.js';
import { startEvmNode } from '../support/evm-node.js';
import type { EvmNode } from '../support/evm-node.js';
import { T1, T2, anchorBundles } from './fixtures.js';

let node: EvmNode;
let operator: Chainside;
let stranger: Chainside;
let registry: Address;
let t1: BundleData;
let t2: BundleData;
let other: BundleData;

async function refusedWith(p: Promise<unknown>, errorName: string): Promise<void> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AnchorRevertError);
  expect((e as AnchorRevertError).errorName).toBe(errorName);
}

beforeAll(async () => {
  const [bundles, started] = await Promise.all([anchorBundles(), startEvmNode()]);
  node = started;
  [t1, t2, other] = await Promise.all([
    readBundle(bundles.t1),
    readBundle(bundles.t2),
    readBundle(bundles.t1OtherReserves),
  ]);
  operator = await connect(node.url, node.privateKeys[0]);
  stranger = await connect(node.url, node.privateKeys[1]);
  const key = await readSolvencyKey(path.resolve('keys/dev'), 'b64-n8-k8');
  const d = await deployAnchor(operator, key);
  registry = d.registry.contractAddress;
});

afterAll(async () => {
  await node?.close();
});

describe('SolvencyRegistry on a local EVM', () => {
  it('is deployed bound to the operator, its verifier and the solvency key hash', async () => {
    const info = await readRegistryInfo(operator, registry);
    expect(info.operator).toBe(operator.account!.address);
    expect(info.solvencyVkeyHash).toBe(vkeyHash(t1.vkeys.solvency));
    expect(await operator.public.getCode({ address: info.verifier })).toMatch(/^0x[0-9a-f]{100,}$/);
  });

  it('publishes T1: the proof verified on chain, the record equal to the bundle', async () => {
    const r = await publishRound(operator, registry, anchorRound(t1));
    expect(r.gasUsed).toBeGreaterThan(200_000n);
    const check = await checkAnchored(operator, registry, t1);
    expect(check.problems).toEqual([]);
    expect(check.record!.reserves.toString()).toBe(t1.manifest.reserves);
    expect(check.record!.snapshotTime).toBe(BigInt(T1));
    expect(check.record!.blockNumber).toBe(r.blockNumber);
  });

  it('attack: another address publishes a genuine round: NotOperator', async () => {
    await refusedWith(publishRound(stranger, registry, anchorRound(t2)), 'NotOperator');
  });

  it("attack: T2's signals with another round's proof: InvalidProof, and a reverted transaction when sent", async () => {
    const round: AnchorRound = { ...anchorRound(t2), proof: anchorRound(t1).proof };
    await refusedWith(publishRound(operator, registry, round), 'InvalidProof');
    // Sent without simulation: the chain itself reverts the transaction.
    await expect(publishRound(operator, registry, round, { gas: 1_000_000n })).rejects.toThrow(
      /reverted in block/,
    );
  });

  it('attack: the genuine T2 proof with reserves raised by one: InvalidProof', async () => {
    const round = anchorRound(t2);
    const signals = [...round.publicSignals];
    signals[2] = (BigInt(signals[2]!) + 1n).toString();
    await refusedWith(publishRound(operator, registry, { ...round, publicSignals: signals }), 'InvalidProof');
  });

  it('publishes T2, then refuses an older time and the same time again: SnapshotNotLater', async () => {
    await publishRound(operator, registry, anchorRound(t2));
    await refusedWith(publishRound(operator, registry, anchorRound(other)), 'SnapshotNotLater');
    await refusedWith(publishRound(operator, registry, anchorRound(t2)), 'SnapshotNotLater');
  });

  it('keeps the history: latest, recordAt, roundCount and the SolvencyPublished events by currency', async () => {
    const currencyId = BigInt(t1.manifest.currencyId);
    const read = <T>(functionName: 'latest' | 'roundCount', args: readonly [bigint]) =>
      operator.public.readContract({
        address: registry,
        abi: SOLVENCY_REGISTRY_ABI,
        functionName,
        args,
      }) as Promise<T>;
    expect(await read<bigint>('roundCount', [currencyId])).toBe(2n);
    expect((await read<{ snapshotTime: bigint }>('latest', [currencyId])).snapshotTime).toBe(BigInt(T2));
    const events = await operator.public.getContractEvents({
      address: registry,
      abi: SOLVENCY_REGISTRY_ABI,
      eventName: 'SolvencyPublished',
      args: { currencyId },
      fromBlock: 0n,
    });
    expect(events.map((e) => e.args.snapshotTime)).toEqual([BigInt(T1), BigInt(T2)]);
    expect(events[0]!.args.record!.bundleDigest).toBe(`0x${anchorRound(t1).digest}`);
    expect(await readRecord(operator, registry, currencyId, BigInt(T1) + 1n)).toBeNull();
    expect(await readRecord(operator, registry, currencyId + 1n, BigInt(T1))).toBeNull();
  });

  it('verify --anchored logic: T2 matches; a valid bundle with other reserves at T1 differs', async () => {
    expect((await checkAnchored(operator, registry, t2)).problems).toEqual([]);
    const problems = (await checkAnchored(operator, registry, other)).problems;
    expect(problems).toContainEqual(
      `anchor: reserves differs: bundle ${other.manifest.reserves}, chain ${t1.manifest.reserves}`,
    );
    expect(problems.some((p) => p.startsWith('anchor: bundleDigest differs'))).toBe(true);
    expect(problems.some((p) => p.startsWith('anchor: root differs'))).toBe(false);
  });
});
