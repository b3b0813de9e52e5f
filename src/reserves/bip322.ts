// Offline check of a BIP-322 "simple" signature (a witness stack) for P2WPKH and P2TR (key path) addresses.
// Builds BIP-322's virtual to_spend and to_sign transactions with @scure/btc-signer and checks the witness
// with its BIP-143 / BIP-341 sighashes and @noble/curves' ECDSA / Schnorr. Browser-safe.
import { schnorr, secp256k1 } from '@noble/curves/secp256k1';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { base64 } from '@scure/base';
import { Address, OutScript, RawWitness, Transaction, p2wpkh } from '@scure/btc-signer';
import { bitcoinNetwork } from './bip137.js';
import type { SignatureVerdict } from './evm.js';

/** BIP-322's message hash: the tagged hash `BIP0322-signed-message` of the message's UTF-8 bytes. */
export function bip322MessageHash(message: string): Uint8Array {
  return schnorr.utils.taggedHash('BIP0322-signed-message', utf8ToBytes(message));
}

const SIGHASH_DEFAULT = 0x00;
const SIGHASH_ALL = 0x01;

/** BIP-322's to_sign transaction for `scriptPubKey` and `message` (spending the virtual to_spend). */
export function bip322ToSign(scriptPubKey: Uint8Array, message: string): Transaction {
  const toSpend = new Transaction({
    version: 0,
    allowUnknownInputs: true,
    allowUnknownOutputs: true,
    disableScriptCheck: true,
  });
  // The output first: btc-signer refuses outputs after a final scriptSig.
  toSpend.addOutput({ script: scriptPubKey, amount: 0n });
  toSpend.addInput({
    txid: new Uint8Array(32),
    index: 0xffffffff,
    sequence: 0,
    // OP_0 PUSH32 message_hash
    finalScriptSig: concatBytes(Uint8Array.of(0x00, 0x20), bip322MessageHash(message)),
  });
  const toSign = new Transaction({ version: 0, allowUnknownOutputs: true });
  toSign.addInput({
    txid: toSpend.id,
    index: 0,
    sequence: 0,
    witnessUtxo: { script: scriptPubKey, amount: 0n },
  });
  toSign.addOutput({ script: Uint8Array.of(0x6a), amount: 0n }); // OP_RETURN
  return toSign;
}

function verifyWpkh(tx: Transaction, hash: Uint8Array, witness: Uint8Array[]): SignatureVerdict {
  if (witness.length !== 2)
    return { ok: false, reason: 'P2WPKH BIP-322 witness must be [signature, public key]' };
  const [sig, pub] = witness as [Uint8Array, Uint8Array];
  if (pub.length !== 33)
    return { ok: false, reason: 'P2WPKH BIP-322 public key must be 33 bytes (compressed)' };
  const own = p2wpkh(pub);
  if (!own.hash || own.hash.length !== 20 || !hashesEqual(own.hash, hash)) {
    return { ok: false, reason: "BIP-322 witness public key is not the address's key" };
  }
  if (sig.length < 9 || sig[sig.length - 1] !== SIGHASH_ALL) {
    return { ok: false, reason: 'P2WPKH BIP-322 signature must be DER with SIGHASH_ALL' };
  }
  const scriptCode = OutScript.encode({ type: 'pkh', hash: own.hash });
  const digest = tx.preimageWitnessV0(0, scriptCode, SIGHASH_ALL, 0n);
  const der = secp256k1.Signature.fromDER(sig.slice(0, -1));
  return secp256k1.verify(der.toCompactRawBytes(), digest, pub)
    ? { ok: true }
    : { ok: false, reason: 'BIP-322 signature is not valid over this message' };
}

function verifyTr(
  tx: Transaction,
  script: Uint8Array,
  key: Uint8Array,
  witness: Uint8Array[],
): SignatureVerdict {
  if (witness.length !== 1)
    return { ok: false, reason: 'P2TR BIP-322 witness must be one key-path signature' };
  const sig = witness[0]!;
  let hashType = SIGHASH_DEFAULT;
  if (sig.length === 65) hashType = sig[64]!;
  else if (sig.length !== 64) return { ok: false, reason: 'P2TR BIP-322 signature must be 64 or 65 bytes' };
  if (hashType !== SIGHASH_DEFAULT && hashType !== SIGHASH_ALL) {
    return { ok: false, reason: 'P2TR BIP-322 signature must use SIGHASH_DEFAULT or SIGHASH_ALL' };
  }
  const digest = tx.preimageWitnessV1(0, [script], hashType, [0n]);
  return schnorr.verify(sig.slice(0, 64), digest, key)
    ? { ok: true }
    : { ok: false, reason: 'BIP-322 signature is not valid over this message' };
}

function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Verifies a BIP-322 simple signature (base64 witness stack) over `message` by a P2WPKH or P2TR address. */
export function verifyBip322(
  message: string,
  address: string,
  signature: string,
  network: 'mainnet' | 'testnet' = 'mainnet',
): SignatureVerdict {
  let decoded;
  try {
    decoded = Address(bitcoinNetwork(network)).decode(address);
  } catch (e) {
    return { ok: false, reason: `not a ${network} address: ${(e as Error).message}` };
  }
  let witness: Uint8Array[];
  try {
    witness = RawWitness.decode(base64.decode(signature));
  } catch {
    return { ok: false, reason: 'BIP-322 signature is not a base64 witness stack' };
  }
  try {
    const script = OutScript.encode(decoded);
    const tx = bip322ToSign(script, message);
    if (decoded.type === 'wpkh') return verifyWpkh(tx, decoded.hash, witness);
    if (decoded.type === 'tr') return verifyTr(tx, script, decoded.pubkey, witness);
  } catch (e) {
    return { ok: false, reason: `malformed BIP-322 signature: ${(e as Error).message}` };
  }
  return {
    ok: false,
    reason: `BIP-322 simple is supported for P2WPKH and P2TR addresses, not ${decoded.type}`,
  };
}
