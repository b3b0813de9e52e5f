// JSON-RPC clients for the anchor (viem): a public client for reads and, with a private key, a wallet client
// that signs locally. The key stays inside viem's local account; nothing here prints or keeps it.
import { createPublicClient, createWalletClient, defineChain, getAddress, http, isAddress } from 'viem';
import type { Address, Chain, Hex, PublicClient, WalletClient } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { privateKeyToAccount } from 'viem/accounts';
import { AnchorInputError, AnchorRpcError } from './errors.js';

/**
 * How long one JSON-RPC request may take (ms). Generous: a node that emulates the pairing precompile in
 * software (ganache) takes seconds per Groth16 check on a loaded machine; a real node answers at once.
 */
export const RPC_TIMEOUT_MS = 120_000;

/** Clients for one RPC endpoint: `wallet` and `account` only when a key was given. */
export interface Chainside {
  chain: Chain;
  public: PublicClient;
  wallet?: WalletClient;
  account?: PrivateKeyAccount;
}

/** The chain behind `rpc` (its id from eth_chainId); throws AnchorRpcError when it cannot be reached. */
export async function connect(rpc: string, privateKey?: Hex): Promise<Chainside> {
  if (!/^https?:\/\//.test(rpc)) throw new AnchorInputError(`--rpc ${rpc} is not an http(s) URL`);
  const probe = createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: RPC_TIMEOUT_MS }) });
  let id: number;
  try {
    id = await probe.getChainId();
  } catch (e) {
    throw new AnchorRpcError(`cannot reach the JSON-RPC endpoint ${rpc}: ${shortMessage(e)}`);
  }
  const chain = defineChain({
    id,
    name: `chain ${id}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  });
  const transport = http(rpc, { retryCount: 0, timeout: RPC_TIMEOUT_MS });
  const pub = createPublicClient({ chain, transport }) as PublicClient;
  if (privateKey === undefined) return { chain, public: pub };
  const account = privateKeyToAccount(privateKey);
  return { chain, public: pub, account, wallet: createWalletClient({ chain, transport, account }) };
}

/** A checksummed address, or AnchorInputError naming `what`. */
export function parseAddress(value: string, what: string): Address {
  if (!isAddress(value, { strict: false })) throw new AnchorInputError(`${what} ${value} is not an address`);
  return getAddress(value);
}

/** Requires contract code at `address` (a registry address that holds nothing is a mistake). */
export async function requireCode(side: Chainside, address: Address, what: string): Promise<void> {
  let code: Hex | undefined;
  try {
    code = await side.public.getCode({ address });
  } catch (e) {
    throw new AnchorRpcError(`cannot read the code at ${address}: ${shortMessage(e)}`);
  }
  if (!code || code === '0x')
    throw new AnchorRpcError(`no contract at ${what} ${address} on chain ${side.chain.id}`);
}

/** viem's one-line message of an error (never its request dump). */
export function shortMessage(e: unknown): string {
  const s = (e as { shortMessage?: unknown }).shortMessage;
  if (typeof s === 'string') return s;
  return e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
}
