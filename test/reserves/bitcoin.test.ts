// Bitcoin signed messages. BIP-137: signatures made by a second implementation (bitcoinjs-message `sign`)
// verify in zkreserve, and zkreserve's verdicts equal bitcoinjs-message `verify` on the same inputs,
// tampered ones included. BIP-322 simple: the official test vectors (P2WPKH and P2TR), and signatures made
// by @scure/btc-signer's own signing over the virtual transactions.
import { bytesToHex } from '@noble/hashes/utils';
import { schnorr } from '@noble/curves/secp256k1';
import { secp256k1 } from '@noble/curves/secp256k1';
import { base64 } from '@scure/base';
import { OutScript, RawWitness, p2pkh, p2sh, p2tr, p2wpkh } from '@scure/btc-signer';
import bitcoinMessage from 'bitcoinjs-message';
import { describe, expect, it } from 'vitest';
import { bip322ToSign, verifyBip322 } from '../../src/reserves/bip322.js';
import { verifyBip137 } from '../../src/reserves/bip137.js';
import { verifyReservesEvidence } from '../../src/reserves/verify-evidence.js';
import type { BitcoinItem } from '../../src/reserves/evidence.js';
import { at, challengeOf, evidenceFor, round, testKey } from './support.js';

const btc = round('BTC', 8, 150_000_000n);
const lastRound = round('BTC', 8, 150_000_000n, 68);
const CHALLENGE = challengeOf(btc);

/** The address of each BIP-137 type for a key, and the bitcoinjs-message options that sign for it. */
function addresses(key: Uint8Array) {
  const pub = secp256k1.getPublicKey(key, true);
  return [
    {
      type: 'p2pkh (uncompressed)',
      address: p2pkh(secp256k1.getPublicKey(key, false)).address!,
      compressed: false,
      opts: {},
    },
    { type: 'p2pkh', address: p2pkh(pub).address!, compressed: true, opts: {} },
    {
      type: 'p2sh-p2wpkh',
      address: p2sh(p2wpkh(pub)).address!,
      compressed: true,
      opts: { segwitType: 'p2sh(p2wpkh)' },
    },
    { type: 'p2wpkh', address: p2wpkh(pub).address!, compressed: true, opts: { segwitType: 'p2wpkh' } },
  ] as const;
}

function sign137(message: string, key: Uint8Array, compressed: boolean, opts: object): string {
  return bitcoinMessage.sign(message, Buffer.from(key), compressed, opts).toString('base64');
}

/** bitcoinjs-message's verdict; it throws on malformed input, which is a "no". */
function theirs(message: string, address: string, signature: string): boolean {
  try {
    return bitcoinMessage.verify(message, address, signature);
  } catch {
    return false;
  }
}

function flip(sig: string, byte: number): string {
  const b = base64.decode(sig);
  b[byte] = b[byte]! ^ 1;
  return base64.encode(b);
}

describe('BIP-137 against bitcoinjs-message', () => {
  const key = testKey('btc-1');
  const other = testKey('btc-2');
  for (const a of addresses(key)) {
    it(`${a.type}: a bitcoinjs-message signature verifies, and every verdict matches bitcoinjs-message`, () => {
      const sig = sign137(CHALLENGE, key, a.compressed, a.opts);
      const otherAddress = addresses(other).find((x) => x.type === a.type)!.address;
      const cases: Array<[string, string, string, string]> = [
        ['good', CHALLENGE, a.address, sig],
        ["last round's challenge", challengeOf(lastRound), a.address, sig],
        ['another address', CHALLENGE, otherAddress, sig],
        ['tampered r', CHALLENGE, a.address, flip(sig, 5)],
        ['tampered s', CHALLENGE, a.address, flip(sig, 40)],
        ['signed by another key', CHALLENGE, a.address, sign137(CHALLENGE, other, a.compressed, a.opts)],
      ];
      for (const [name, message, address, signature] of cases) {
        const ours = verifyBip137(message, address, signature);
        expect(ours.ok, name).toBe(theirs(message, address, signature));
        expect(ours.ok, name).toBe(name === 'good');
      }
    });
  }
  it('refuses a header byte that names another address type than the address', () => {
    const [, p2pkhA, , wpkh] = addresses(key);
    // Signed as P2PKH (header 31..34) but claimed for the key's P2WPKH address: strict, like bitcoinjs-message.
    const sig = sign137(CHALLENGE, key, true, {});
    expect(verifyBip137(CHALLENGE, wpkh.address, sig).ok).toBe(false);
    expect(theirs(CHALLENGE, wpkh.address, sig)).toBe(false);
    expect(verifyBip137(CHALLENGE, p2pkhA.address, sig).ok).toBe(true);
    expect(verifyBip137(CHALLENGE, p2pkhA.address, 'AAAA')).toMatchObject({ ok: false, reason: /65 bytes/ });
  });
});

// The BIP-322 test vectors (bips/bip-0322.mediawiki, "Test vectors").
const V_ADDRESS = 'bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l';
const V_EMPTY =
  'AkcwRAIgM2gBAQqvZX15ZiysmKmQpDrG83avLIT492QBzLnQIxYCIBaTpOaD20qRlEylyxFSeEA2ba9YOixpX8z46TSDtS40ASECx/EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=';
const V_HELLO =
  'AkcwRAIgZRfIY3p7/DoVTty6YZbWS71bc5Vct9p9Fia83eRmw2QCICK/ENGfwLtptFluMGs2KsqoNSk89pO7F29zJLUx9a/sASECx/EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=';
const V_TR_ADDRESS = 'bc1ppv609nr0vr25u07u95waq5lucwfm6tde4nydujnu8npg4q75mr5sxq8lt3';
const V_TR_HELLO =
  'AUHd69PrJQEv+oKTfZ8l+WROBHuy9HKrbFCJu7U1iK2iiEy1vMU5EfMtjc+VSHM7aU0SDbak5IUZRVno2P5mjSafAQ==';

describe('BIP-322 simple', () => {
  it('the virtual to_spend transaction ids of the vectors', () => {
    const script = OutScript.encode(OutScript.decode(p2wpkh(secp256k1.getPublicKey(testKey('x'))).script));
    expect(script.length).toBe(22);
    // to_sign's input spends to_spend: its txid is the vector's to_spend id.
    const vectorScript = OutScript.encode({
      type: 'wpkh',
      hash: Uint8Array.from(Buffer.from('2b05d564e6a7a33c087f16e0f730d1440123799d', 'hex')),
    });
    const txid = (m: string) => bytesToHex(bip322ToSign(vectorScript, m).getInput(0).txid!);
    expect(txid('')).toBe('c5680aa69bb8d860bf82d4e9cd3504b55dde018de765a91bb566283c545a99a7');
    expect(txid('Hello World')).toBe('b79d196740ad5217771c1098fc4a4b51e0535c32236c71f1ea4d61a2d603352b');
  });
  it('the official vectors verify, and nothing else does', () => {
    expect(verifyBip322('', V_ADDRESS, V_EMPTY)).toEqual({ ok: true });
    expect(verifyBip322('Hello World', V_ADDRESS, V_HELLO)).toEqual({ ok: true });
    expect(verifyBip322('Hello World', V_TR_ADDRESS, V_TR_HELLO)).toEqual({ ok: true });
    expect(verifyBip322('Hello World', V_ADDRESS, V_EMPTY).ok).toBe(false); // swapped vectors
    expect(verifyBip322('', V_ADDRESS, V_HELLO).ok).toBe(false);
    expect(verifyBip322('Hello World!', V_TR_ADDRESS, V_TR_HELLO).ok).toBe(false);
    expect(verifyBip322('Hello World', V_TR_ADDRESS, flip(V_TR_HELLO, 10)).ok).toBe(false);
    expect(verifyBip322('Hello World', V_ADDRESS, flip(V_HELLO, 20)).ok).toBe(false);
    const someoneElse = p2wpkh(secp256k1.getPublicKey(testKey('x'))).address!;
    expect(verifyBip322('Hello World', someoneElse, V_HELLO)).toMatchObject({
      ok: false,
      reason: /not the address's key/,
    });
    expect(
      verifyBip322('Hello World', p2pkh(secp256k1.getPublicKey(testKey('x'))).address!, V_HELLO).ok,
    ).toBe(false);
  });
});

/** A BIP-322 signature made by @scure/btc-signer signing the to_sign transaction (a wallet's path). */
function sign322(message: string, key: Uint8Array, taproot: boolean): { address: string; signature: string } {
  const pay = taproot ? p2tr(schnorr.getPublicKey(key)) : p2wpkh(secp256k1.getPublicKey(key));
  const tx = bip322ToSign(pay.script, message);
  if (taproot) tx.updateInput(0, { tapInternalKey: schnorr.getPublicKey(key) });
  tx.signIdx(key, 0);
  tx.finalizeIdx(0);
  return {
    address: pay.address!,
    signature: base64.encode(RawWitness.encode(tx.getInput(0).finalScriptWitness!)),
  };
}

describe('bitcoin items in evidence', () => {
  it('counts good BIP-137 and BIP-322 items and refuses bad ones', async () => {
    const item = (
      address: string,
      format: 'bip137' | 'bip322',
      signature: string,
      f: Partial<BitcoinItem> = {},
    ): BitcoinItem => ({
      kind: 'bitcoin',
      address,
      balance: '50000000',
      height: 900_000,
      blockHash: '00'.repeat(32),
      blockTime: at(-300),
      format,
      signature,
      ...f,
    });
    const key = testKey('btc-3');
    const wpkh = addresses(key)[3];
    const tr = sign322(CHALLENGE, testKey('btc-4'), true);
    const wk = sign322(CHALLENGE, testKey('btc-5'), false);
    const old = sign322(challengeOf(lastRound), testKey('btc-6'), false);
    const items = [
      item(wpkh.address, 'bip137', sign137(CHALLENGE, key, true, wpkh.opts)),
      item(tr.address, 'bip322', tr.signature),
      item(wk.address.toUpperCase(), 'bip322', wk.signature), // the same address in upper case: listed twice
      item(wk.address, 'bip322', wk.signature),
      item(old.address, 'bip322', old.signature), // last round's challenge
      item(addresses(testKey('btc-7'))[1].address, 'bip137', sign137(CHALLENGE, key, true, {})), // another key
      item(tr.address + 'x', 'bip322', tr.signature, { blockTime: at(7200) }),
    ];
    const r = await verifyReservesEvidence({ ...btc, reserves: evidenceFor(btc, items) });
    expect(r.items.map((i) => i.status)).toEqual([
      'verified',
      'verified',
      'verified',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
    expect(r.items[3]!.reason).toMatch(/listed twice/);
    expect(r.items[6]!.reason).toMatch(/outside the declared window/);
    expect(r).toMatchObject({ evidenced: '150000000', covered: true, ok: false });
  });
});
