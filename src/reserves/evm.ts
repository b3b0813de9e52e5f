// Offline check of an EVM item's EIP-191 `personal_sign` signature over the challenge (viem: hashMessage
// and secp256k1 recovery). A contract wallet (EIP-1271) is checked only online (src/reserves-online).
// Browser-safe.
import type { EvmItem } from './evidence.js';

/** A signature check's outcome. */
export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/** Does `item.signature` recover to `item.address` over `challenge` (EIP-191 personal_sign)? */
export async function verifyEvmSignature(item: EvmItem, challenge: string): Promise<SignatureVerdict> {
  const sig = item.signature as `0x${string}`;
  if (sig.length !== 2 + 130) return { ok: false, reason: 'EIP-191 signature must be 65 bytes' };
  // viem is loaded on first use: it takes about a second to load, and most bundles have no EVM item.
  const { getAddress, recoverMessageAddress } = await import('viem');
  let signer: string;
  try {
    signer = await recoverMessageAddress({ message: challenge, signature: sig });
  } catch (e) {
    return { ok: false, reason: `malformed EIP-191 signature: ${(e as Error).message.split('\n')[0]}` };
  }
  if (getAddress(signer) !== getAddress(item.address)) {
    return {
      ok: false,
      reason: `signature over this round's challenge is not by ${item.address} (it recovers to ${signer}: another key, or another message)`,
    };
  }
  return { ok: true };
}
