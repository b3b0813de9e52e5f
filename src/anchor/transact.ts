// Sending one transaction (a deployment or a call) and waiting for its receipt: simulated first, so that a
// refusal comes back as the contract's own error (AnchorRevertError with its name), then sent and mined.
import { BaseError, ContractFunctionRevertedError, decodeErrorResult } from 'viem';
import type { Abi, Address, Hex, TransactionReceipt, WalletClient } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { Chainside } from './chain.js';
import { shortMessage } from './chain.js';
import { AnchorInputError, AnchorRevertError, AnchorRpcError } from './errors.js';

/** What a mined transaction cost and where it landed. */
export interface TxResult {
  hash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  /** The deployed contract, for a deployment. */
  contractAddress?: Address;
}

/**
 * The contract's custom error (name and arguments) inside a viem error, when there is one: viem's decoded
 * revert, or else the revert data of any error in the cause chain (ganache answers a reverted eth_call with
 * code -32000 and the data, which viem does not decode) decoded with `abi`.
 */
export function revertOf(e: unknown, abi: Abi): { name: string; args: readonly unknown[] } | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const inner = e.walk((x) => x instanceof ContractFunctionRevertedError);
  if (inner instanceof ContractFunctionRevertedError && inner.data?.errorName)
    return { name: inner.data.errorName, args: inner.data.args ?? [] };
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    const data = (c as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8}/.test(data)) {
      try {
        const d = decodeErrorResult({ abi, data: data as Hex });
        return { name: d.errorName, args: d.args ?? [] };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** AnchorRevertError for a refused call, with the contract's error and arguments in words. */
export function refusal(what: string, e: unknown, abi: Abi): AnchorRevertError {
  const r = revertOf(e, abi);
  if (r) {
    const args = r.args.map((a) => String(a)).join(', ');
    return new AnchorRevertError(`${what} reverted: ${r.name}(${args})`, r.name);
  }
  return new AnchorRevertError(`${what} failed: ${shortMessage(e)}`, undefined);
}

/** The wallet side of `side`, or AnchorInputError (a read-only connection cannot send). */
export function walletOf(side: Chainside): { wallet: WalletClient; account: PrivateKeyAccount } {
  if (!side.wallet || !side.account) throw new AnchorInputError('sending a transaction needs a key file');
  return { wallet: side.wallet, account: side.account };
}

/** Waits for `hash` and requires success (a reverted receipt is an AnchorRevertError). */
export async function mined(side: Chainside, hash: Hex, what: string): Promise<TxResult> {
  let receipt: TransactionReceipt;
  try {
    receipt = await side.public.waitForTransactionReceipt({ hash, timeout: 600_000 });
  } catch (e) {
    throw new AnchorRpcError(`${what}: no receipt for transaction ${hash}: ${shortMessage(e)}`);
  }
  if (receipt.status !== 'success')
    throw new AnchorRevertError(
      `${what} reverted in block ${receipt.blockNumber} (transaction ${hash})`,
      undefined,
    );
  return {
    hash,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    ...(receipt.contractAddress ? { contractAddress: receipt.contractAddress } : {}),
  };
}
