// Ed25519 cross-checked with a second implementation: node:crypto (OpenSSL) verifies zkreserve's signatures,
// zkreserve verifies node:crypto's, and both reach the same verdict on tampered messages, signatures and keys.
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleSignatureMessage, packetSignatureMessage } from '../../src/publication/messages.js';
import { fingerprint, signBytes, signatureProblem } from '../../src/publication/ed25519.js';
import { bytesToHex, sha256 } from '../../src/crypto/sha256.js';
import { auditor, operator, syntheticPacket } from './support.js';

// The DER prefixes of RFC 8410: a raw 32-byte Ed25519 key as SPKI (public) and PKCS#8 (private).
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const nodePublic = (hex: string) =>
  createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
const nodePrivate = (hex: string) =>
  createPrivateKey({ key: Buffer.concat([PKCS8, Buffer.from(hex, 'hex')]), format: 'der', type: 'pkcs8' });

const flip = (hex: string, at: number): string =>
  hex.slice(0, at) + (parseInt(hex[at]!, 16) ^ 1).toString(16) + hex.slice(at + 1);

describe('Ed25519 against node:crypto', () => {
  const messages = [
    bundleSignatureMessage('5a'.repeat(32)),
    packetSignatureMessage(syntheticPacket(), '5a'.repeat(32)),
    new Uint8Array(0),
  ];

  it('the same key gives the same public key and the same (deterministic) signature', () => {
    const pub = nodePublic(operator.publicKey).export({ format: 'der', type: 'spki' });
    const derived = createPublicKey(nodePrivate(operator.privateKey)).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(derived).equals(Buffer.from(pub))).toBe(true);
    for (const m of messages) {
      const ours = signBytes(m, operator.privateKey);
      expect(nodeSign(null, m, nodePrivate(operator.privateKey)).toString('hex')).toBe(ours);
    }
  });

  it('verdicts agree on good and tampered signatures, messages and keys', () => {
    for (const m of messages) {
      const sig = signBytes(m, operator.privateKey);
      const tamperedMessage = new Uint8Array([...m, 0x0a]);
      const cases: [Uint8Array, string, string][] = [
        [m, operator.publicKey, sig],
        [tamperedMessage, operator.publicKey, sig],
        [m, auditor.publicKey, sig],
        [m, operator.publicKey, flip(sig, 0)],
        [m, operator.publicKey, flip(sig, 70)],
        [m, operator.publicKey, flip(sig, 127)],
      ];
      const verdicts = cases.map(([msg, pub, s]) => {
        const ours = signatureProblem(msg, pub, s) === null;
        const theirs = nodeVerify(null, msg, nodePublic(pub), Buffer.from(s, 'hex'));
        expect(ours).toBe(theirs);
        return ours;
      });
      expect(verdicts).toEqual([true, false, false, false, false, false]);
    }
  });

  it("zkreserve accepts node:crypto's signatures", () => {
    for (const m of messages) {
      const sig = nodeSign(null, m, nodePrivate(auditor.privateKey)).toString('hex');
      expect(signatureProblem(m, auditor.publicKey, sig)).toBeNull();
    }
  });

  it('a non-canonical S (S + L) is refused, as OpenSSL refuses it (RFC 8032 strict)', () => {
    const m = messages[0]!;
    const sig = signBytes(m, operator.privateKey);
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const s = BigInt('0x' + Buffer.from(sig.slice(64), 'hex').reverse().toString('hex'));
    const big = (s + L).toString(16).padStart(64, '0');
    const malleated = sig.slice(0, 64) + Buffer.from(big, 'hex').reverse().toString('hex');
    expect(signatureProblem(m, operator.publicKey, malleated)).not.toBeNull();
    expect(nodeVerify(null, m, nodePublic(operator.publicKey), Buffer.from(malleated, 'hex'))).toBe(false);
  });

  it('the fingerprint is the first 16 hex of SHA-256 of the raw key, in groups of four', () => {
    const hex = bytesToHex(sha256(Buffer.from(operator.publicKey, 'hex'))).slice(0, 16);
    expect(fingerprint(operator.publicKey)).toBe(hex.match(/.{4}/g)!.join(' '));
    expect(fingerprint('nope')).toBe('(malformed key)');
  });
});
