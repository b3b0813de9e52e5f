// Online EVM checks against a real local node (ganache on a loopback port): funded addresses, an ERC-20
// token and an EIP-1271 contract wallet compiled with solc-js here, real keys signing the challenge; the
// good case and each refusal (wrong block hash, inflated balance, last round's challenge, an address
// listed twice, a contract wallet whose owner did not sign this round).
import solc from 'solc';
import { createWalletClient, createPublicClient, http, parseEther } from 'viem';
import type { Abi, Hex, PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { localhost } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReserves } from '../../src/reserves-online/index.js';
import type { EvmItem } from '../../src/reserves/evidence.js';
import { startEvmNode, type EvmNode } from '../support/evm-node.js';
import { challengeOf, evidenceFor, round } from './support.js';

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract TestToken {
  mapping(address => uint256) public balanceOf;
  constructor(address holder, uint256 amount) { balanceOf[holder] = amount; }
}
contract OwnerWallet {
  address public owner;
  constructor(address o) { owner = o; }
  receive() external payable {}
  function isValidSignature(bytes32 hash, bytes memory sig) external view returns (bytes4) {
    if (sig.length != 65) return 0xffffffff;
    bytes32 r; bytes32 s; uint8 v;
    assembly { r := mload(add(sig, 32)) s := mload(add(sig, 64)) v := byte(0, mload(add(sig, 96))) }
    return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
  }
}`;

function compile(): Record<string, { abi: Abi; bytecode: Hex }> {
  const input = {
    language: 'Solidity',
    sources: { 'T.sol': { content: SOURCE } },
    settings: { evmVersion: 'shanghai', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const c = out.contracts['T.sol'];
  return Object.fromEntries(
    Object.entries(c).map(([n, v]) => [
      n,
      {
        abi: (v as { abi: Abi }).abi,
        bytecode: `0x${(v as { evm: { bytecode: { object: string } } }).evm.bytecode.object}` as Hex,
      },
    ]),
  );
}

let node: EvmNode;
let pub: PublicClient;
let token: `0x${string}`;
let wallet: `0x${string}`;
// The round's T is the local chain's latest block time (the node's clock is the wall clock).
let r: ReturnType<typeof round>;
let last: ReturnType<typeof round>;
let CHALLENGE: string;
let block: { number: number; hash: string; time: string };

beforeAll(async () => {
  node = await startEvmNode({ chainId: 1337, accounts: 5 });
  pub = createPublicClient({ transport: http(node.url) }) as PublicClient;
  const deployer = createWalletClient({
    account: privateKeyToAccount(node.privateKeys[0]!),
    chain: localhost,
    transport: http(node.url),
  });
  const built = compile();
  const deploy = async (name: string, args: unknown[]) => {
    const hash = await deployer.deployContract({
      abi: built[name]!.abi,
      bytecode: built[name]!.bytecode,
      args,
    });
    return (await pub.waitForTransactionReceipt({ hash })).contractAddress!;
  };
  token = await deploy('TestToken', [privateKeyToAccount(node.privateKeys[1]!).address, 5_000_000n]);
  wallet = await deploy('OwnerWallet', [privateKeyToAccount(node.privateKeys[2]!).address]);
  await pub.waitForTransactionReceipt({
    hash: await deployer.sendTransaction({ to: wallet, value: parseEther('3') }),
  });
  const b = await pub.getBlock();
  block = {
    number: Number(b.number),
    hash: b.hash!,
    time: new Date(Number(b.timestamp) * 1000).toISOString(),
  };
  r = round('ETH', 18, parseEther('15'), 69, block.time);
  last = round('ETH', 18, parseEther('15'), 68, block.time);
  CHALLENGE = challengeOf(r);
}, 120_000);

afterAll(async () => {
  await node?.close();
});

async function item(key: number, fields: Partial<EvmItem> = {}, message = CHALLENGE): Promise<EvmItem> {
  const account = privateKeyToAccount(node.privateKeys[key]!);
  return {
    kind: 'evm',
    chainId: 1337,
    address: account.address,
    asset: 'native',
    balance: parseEther('10').toString(),
    blockNumber: block.number,
    blockHash: block.hash,
    blockTime: block.time,
    signature: await account.signMessage({ message }),
    ...fields,
  };
}

/** Evidence for the ETH round (window ±1 h around the node's latest block), mapping chain 1337's assets. */
function evidence(items: EvmItem[]) {
  return evidenceFor(r, items, {
    assets: [
      { kind: 'evm', chainId: 1337, asset: 'native' },
      { kind: 'evm', chainId: 1337, asset: token },
    ],
  });
}

describe('online EVM checks against ganache', () => {
  it('confirms native and ERC-20 balances, the block, and an EIP-1271 wallet', async () => {
    const owner = privateKeyToAccount(node.privateKeys[2]!);
    const items = [
      await item(0, { balance: parseEther('5').toString() }),
      await item(1, { asset: token, balance: '5000000' }),
      await item(3, { balance: parseEther('7').toString() }),
      {
        ...(await item(2)),
        address: wallet,
        balance: parseEther('3').toString(),
        contract: true as const,
        signature: await owner.signMessage({ message: CHALLENGE }),
      },
    ];
    const offline = await verifyReserves({ ...r, reserves: evidence(items) });
    expect(offline.items.map((i) => i.status)).toEqual(['verified', 'verified', 'verified', 'unverified']);
    const online = await verifyReserves({ ...r, reserves: evidence(items) }, { rpc: node.url });
    expect(online.items.map((i) => [i.status, i.online])).toEqual([
      ['verified', 'confirmed'],
      ['verified', 'confirmed'],
      ['verified', 'confirmed'],
      ['verified', 'confirmed'],
    ]);
    expect(online.evidenced).toBe((parseEther('15') + 5_000_000n).toString());
    expect(online.ok).toBe(true);
  });

  it('refuses a wrong block hash, a wrong block time, an inflated balance or token balance, a replay, a duplicate', async () => {
    const items = [
      await item(0, { blockHash: `0x${'11'.repeat(32)}` }),
      await item(0, { asset: token, balance: '1' }), // account 0 holds no token
      await item(1, { balance: parseEther('100000').toString() }), // more than the chain holds
      await item(4, {}, challengeOf(last)), // last round's challenge
      await item(3),
      await item(3), // listed twice
      await item(1, {
        asset: token,
        balance: '5000000',
        blockTime: new Date(Date.parse(block.time) + 1000).toISOString(),
      }),
    ];
    const rep = await verifyReserves({ ...r, reserves: evidence(items) }, { rpc: node.url });
    expect(rep.items.map((i) => i.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'verified',
      'failed',
      'failed',
    ]);
    expect(rep.items[0]!.reason).toMatch(/online: block \d+ has hash 0x[0-9a-f]+, not the stated 0x1111/);
    expect(rep.items[1]!.reason).toMatch(/online: claims 1 but the chain holds 0/);
    expect(rep.items[2]!.reason).toMatch(/online: claims 100000000000000000000000 but the chain holds/);
    expect(rep.items[3]!.reason).toMatch(/not by 0x/);
    expect(rep.items[5]!.reason).toMatch(/listed twice/);
    expect(rep.items[6]!.reason).toMatch(/timestamp/);
    expect(rep.ok).toBe(false);
  });

  it("refuses a contract wallet signature over last round's challenge, by a non-owner, or on an address without code", async () => {
    const owner = privateKeyToAccount(node.privateKeys[2]!);
    const stranger = privateKeyToAccount(node.privateKeys[3]!);
    const c = { address: wallet, balance: '1', contract: true as const };
    const items = [
      { ...(await item(2)), ...c, signature: await owner.signMessage({ message: challengeOf(last) }) },
      {
        ...(await item(2)),
        ...c,
        asset: 'native',
        chainId: 1337,
        signature: await stranger.signMessage({ message: CHALLENGE }),
        address: wallet.toLowerCase(),
      },
      { ...(await item(0)), contract: true as const },
    ];
    const rep = await verifyReserves({ ...r, reserves: evidence(items) }, { rpc: node.url });
    expect(rep.items[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/isValidSignature returned 0xffffffff/),
    });
    // The same wallet listed twice is refused before its signature is looked at.
    expect(rep.items[1]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/listed twice/) });
    expect(rep.items[2]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/no contract code/),
    });
    const alone = await verifyReserves({ ...r, reserves: evidence([items[1]!]) }, { rpc: node.url });
    expect(alone.items[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/isValidSignature returned 0xffffffff/),
    });
  });

  it('refuses every item when the node is unreachable', async () => {
    const rep = await verifyReserves(
      { ...r, reserves: evidence([await item(0)]) },
      { rpc: 'http://127.0.0.1:1' },
    );
    expect(rep.ok).toBe(false);
    expect(rep.problems[0]).toMatch(/online check with http:\/\/127.0.0.1:1 failed/);
  });
});
