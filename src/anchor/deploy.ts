// `anchor deploy`: the key set's solvency verifier (generated and compiled from its verification key) and a
// SolvencyRegistry bound to it and to the key's SHA-256, deployed by the operator's account (the registry's
// only publisher).
import type { Abi, Address, Hex } from 'viem';
import { SOLVENCY_REGISTRY_ABI, SOLVENCY_REGISTRY_BYTECODE } from './generated/solvency-registry.js';
import type { Chainside } from './chain.js';
import { AnchorRpcError } from './errors.js';
import type { SolvencyKey } from './solvency-key.js';
import { mined, refusal, walletOf } from './transact.js';
import type { TxResult } from './transact.js';
import { compileVerifier } from './verifier-contract.js';

/** The two deployments. */
export interface AnchorDeployment {
  operator: Address;
  verifier: TxResult & { contractAddress: Address };
  registry: TxResult & { contractAddress: Address };
}

/** Deploys `bytecode` (constructor `args`) from the operator's account and waits for it. */
export async function deployContract(
  side: Chainside,
  abi: Abi,
  bytecode: Hex,
  args: readonly unknown[],
  what: string,
): Promise<TxResult & { contractAddress: Address }> {
  const { wallet, account } = walletOf(side);
  let hash: Hex;
  try {
    hash = await wallet.deployContract({ abi, bytecode, args, account, chain: side.chain });
  } catch (e) {
    throw refusal(`deploying ${what}`, e, abi);
  }
  const r = await mined(side, hash, `deploying ${what}`);
  if (!r.contractAddress)
    throw new AnchorRpcError(`deploying ${what}: the receipt names no contract address`);
  return { ...r, contractAddress: r.contractAddress };
}

/** Deploys the solvency verifier of `key` and a registry that uses it. */
export async function deployAnchor(side: Chainside, key: SolvencyKey): Promise<AnchorDeployment> {
  const { account } = walletOf(side);
  const compiled = compileVerifier(key.vkey, 'solvency');
  const verifier = await deployContract(side, compiled.abi, compiled.bytecode, [], 'the solvency verifier');
  const registry = await deployContract(
    side,
    SOLVENCY_REGISTRY_ABI,
    SOLVENCY_REGISTRY_BYTECODE,
    [verifier.contractAddress, `0x${key.vkeyHash}`],
    'the registry',
  );
  return { operator: account.address, verifier, registry };
}
