// Offline check of a BIP-137 signed message (the "Bitcoin Signed Message" format of Bitcoin Core and most
// wallets) for P2PKH, P2SH-P2WPKH and P2WPKH addresses. All curve and hash work is @noble/curves,
// @noble/hashes and @scure/btc-signer; this file only follows BIP-137's layout. Browser-safe.
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha256';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { base64 } from '@scure/base';
import { CompactSize, NETWORK, TEST_NETWORK, p2pkh, p2sh, p2wpkh } from '@scure/btc-signer';
import type { SignatureVerdict } from './evm.js';

/** BIP-137's message prefix (with its length byte 0x18 in front). */
const PREFIX = utf8ToBytes('Bitcoin Signed Message:\n');

/** The message hash BIP-137 signs: SHA-256d of varint-prefixed prefix and message. */
export function bitcoinMessageHash(message: string): Uint8Array {
  const m = utf8ToBytes(message);
  const data = concatBytes(
    CompactSize.encode(BigInt(PREFIX.length)),
    PREFIX,
    CompactSize.encode(BigInt(m.length)),
    m,
  );
  return sha256(sha256(data));
}

/** The Bitcoin network's address parameters. */
export function bitcoinNetwork(network: 'mainnet' | 'testnet' = 'mainnet'): typeof NETWORK {
  return network === 'testnet' ? TEST_NETWORK : NETWORK;
}

/** Bech32 addresses compare case-insensitively; base58 ones exactly. */
export function sameBitcoinAddress(a: string, b: string): boolean {
  const bech = (s: string) => /^(bc|tb|bcrt)1/i.test(s);
  return bech(a) && bech(b) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The address type a BIP-137 header byte (27..42) names, and the recovery id. */
function header(
  h: number,
): { type: 'p2pkh-u' | 'p2pkh' | 'p2sh-p2wpkh' | 'p2wpkh'; recovery: number } | null {
  if (h >= 27 && h <= 30) return { type: 'p2pkh-u', recovery: h - 27 };
  if (h >= 31 && h <= 34) return { type: 'p2pkh', recovery: h - 31 };
  if (h >= 35 && h <= 38) return { type: 'p2sh-p2wpkh', recovery: h - 35 };
  if (h >= 39 && h <= 42) return { type: 'p2wpkh', recovery: h - 39 };
  return null;
}

/**
 * Verifies a BIP-137 signature (base64, 65 bytes) over `message` by `address`: recovers the public key and
 * derives the address of the type the header byte names (strict: the header must match the address type).
 */
export function verifyBip137(
  message: string,
  address: string,
  signature: string,
  network: 'mainnet' | 'testnet' = 'mainnet',
): SignatureVerdict {
  let sig: Uint8Array;
  try {
    sig = base64.decode(signature);
  } catch {
    return { ok: false, reason: 'BIP-137 signature is not base64' };
  }
  if (sig.length !== 65) return { ok: false, reason: 'BIP-137 signature must be 65 bytes' };
  const h = header(sig[0]!);
  if (!h) return { ok: false, reason: `BIP-137 header byte ${sig[0]} is not 27..42` };
  let derived: string;
  try {
    const point = secp256k1.Signature.fromCompact(sig.slice(1))
      .addRecoveryBit(h.recovery)
      .recoverPublicKey(bitcoinMessageHash(message));
    const net = bitcoinNetwork(network);
    const pub = point.toRawBytes(h.type !== 'p2pkh-u');
    if (h.type === 'p2pkh-u' || h.type === 'p2pkh') derived = p2pkh(pub, net).address!;
    else if (h.type === 'p2sh-p2wpkh') derived = p2sh(p2wpkh(pub, net), net).address!;
    else derived = p2wpkh(pub, net).address!;
  } catch (e) {
    return { ok: false, reason: `malformed BIP-137 signature: ${(e as Error).message}` };
  }
  if (!sameBitcoinAddress(derived, address)) {
    return {
      ok: false,
      reason: `BIP-137 signature over this round's challenge is not by ${address} (it recovers to ${derived}: another key, another address type, or another message)`,
    };
  }
  return { ok: true };
}
