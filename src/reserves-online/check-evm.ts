// Online checks of EVM evidence against a node (`--rpc <url>`, docs/reserves.md "Online checks"), with
// viem's public client: at each item's stated block, the block hash and timestamp match, the balance
// (eth_getBalance, or ERC-20 balanceOf) is at least the claim, and a contract wallet's EIP-1271
// isValidSignature accepts the signature over the EIP-191 hash of the challenge. Node only (level 16).
import { createPublicClient, erc20Abi, getAddress, hashMessage, http, parseAbi } from 'viem';
import type { PublicClient } from 'viem';
import { parseInstant } from '../time.js';
import type { EvmItem, ReservesEvidence } from '../reserves/evidence.js';
import type { OnlineItemCheck } from '../reserves/verify-evidence.js';

/** EIP-1271's magic value: `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`. */
export const EIP1271_MAGIC = '0x1626ba7e';

const EIP1271_ABI = parseAbi([
  'function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)',
]);

/** One item's online check (`challenge` for EIP-1271); never throws: an RPC failure is a refusal. */
async function checkItem(
  client: PublicClient,
  item: EvmItem,
  challenge: string,
  blocks: Map<number, Promise<{ hash: string; timestamp: bigint }>>,
): Promise<OnlineItemCheck> {
  const blockNumber = BigInt(item.blockNumber);
  try {
    let block = blocks.get(item.blockNumber);
    if (!block) {
      block = client
        .getBlock({ blockNumber })
        .then((b) => ({ hash: String(b.hash), timestamp: b.timestamp }));
      blocks.set(item.blockNumber, block);
    }
    const b = await block;
    if (b.hash.toLowerCase() !== item.blockHash.toLowerCase()) {
      return {
        ok: false,
        reason: `block ${item.blockNumber} has hash ${b.hash}, not the stated ${item.blockHash}`,
      };
    }
    if (b.timestamp * 1000n !== BigInt(parseInstant(item.blockTime, 'block time'))) {
      return {
        ok: false,
        reason: `block ${item.blockNumber}'s timestamp is ${b.timestamp}, not the stated ${item.blockTime}`,
      };
    }
    const address = getAddress(item.address);
    const chain =
      item.asset === 'native'
        ? await client.getBalance({ address, blockNumber })
        : await client.readContract({
            address: getAddress(item.asset),
            abi: erc20Abi,
            functionName: 'balanceOf',
            args: [address],
            blockNumber,
          });
    if (BigInt(item.balance) > chain) {
      return {
        ok: false,
        reason: `claims ${item.balance} but the chain holds ${chain} at block ${item.blockNumber}`,
      };
    }
    if (item.contract) return await checkEip1271(client, item, challenge, blockNumber);
    return { ok: true, reason: '' };
  } catch (e) {
    return { ok: false, reason: `RPC check failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

async function checkEip1271(
  client: PublicClient,
  item: EvmItem,
  challenge: string,
  blockNumber: bigint,
): Promise<OnlineItemCheck> {
  const address = getAddress(item.address);
  const code = await client.getCode({ address, blockNumber });
  if (!code || code === '0x')
    return {
      ok: false,
      reason: `${item.address} has no contract code at block ${item.blockNumber} (EIP-1271)`,
    };
  let result: string;
  try {
    result = await client.readContract({
      address,
      abi: EIP1271_ABI,
      functionName: 'isValidSignature',
      args: [hashMessage(challenge), item.signature as `0x${string}`],
      blockNumber,
    });
  } catch (e) {
    return {
      ok: false,
      reason: `EIP-1271 isValidSignature reverted: ${(e as Error).message.split('\n')[0]}`,
    };
  }
  return result.toLowerCase() === EIP1271_MAGIC
    ? { ok: true, reason: '' }
    : {
        ok: false,
        reason: `EIP-1271 isValidSignature returned ${result}, not ${EIP1271_MAGIC}: not this round's signature by the wallet`,
      };
}

/**
 * Checks every EVM item of `evidence` on the chain the node at `rpcUrl` serves; items of other chains get
 * no online result (they stay "not checked"). Returns the results by item index.
 */
export async function checkEvmOnline(
  evidence: ReservesEvidence,
  challenge: string,
  rpcUrl: string,
): Promise<Map<number, OnlineItemCheck>> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) }) as PublicClient;
  const chainId = await client.getChainId();
  const blocks = new Map<number, Promise<{ hash: string; timestamp: bigint }>>();
  const results = new Map<number, OnlineItemCheck>();
  for (const [index, item] of evidence.items.entries()) {
    if (item.kind !== 'evm' || item.chainId !== chainId) continue;
    results.set(index, await checkItem(client, item, challenge, blocks));
  }
  return results;
}
