// Signed packets (what the signature covers, the parser reading them back, tampering) and the snapshot index
// (one time, one bundle per currency, its digest and signatures), and the signer key file format.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePacket } from '../../src/bundle/packet.js';
import { PacketFormatError } from '../../src/bundle/errors.js';
import { checkPacketSignature } from '../../src/publication/check-packet.js';
import { checkSignatures } from '../../src/publication/check-signatures.js';
import { PacketSignatureError, SignerKeyError, SnapshotIndexError } from '../../src/publication/errors.js';
import {
  bundleSignatureMessage,
  indexSignatureMessage,
  packetSignatureMessage,
} from '../../src/publication/messages.js';
import { signBundleDigest, signIndexDigest, signPacket } from '../../src/publication/sign.js';
import { parseSignerKey, signerKeyText } from '../../src/publication/signer-key.js';
import { buildIndex, indexDigest, indexText, parseIndex } from '../../src/publication/snapshot-index.js';
import { auditor, operator, pinned, stranger, syntheticPacket } from './support.js';

const DIGEST = '5a'.repeat(32);

describe('signed packets', () => {
  it('the signed bytes are the canonical JSON of {bundleDigest, packet (its §8 fields), tag}, as documented', async () => {
    const text = new TextDecoder().decode(
      packetSignatureMessage({ ...syntheticPacket(), extra: 'x' } as never, DIGEST),
    );
    expect(text).toBe(
      `{"bundleDigest":"${DIGEST}","packet":{"accountId":"${'ab'.repeat(32)}","balance":"10050","chunk":0,` +
        `"currency":"USD","externalRef":"alice","leaf":3,"protocol":"zkreserve/2","root":"31","salt":"77",` +
        `"siblings":[["1"],["2"],["3"]],"snapshotTime":"2026-06-30T00:00:00.000Z","snapshotTimeMs":"1782777600000",` +
        `"sumCommit":"32"},"tag":"zkreserve/2/packet-signature"}`,
    );
    const doc = await readFile(path.resolve('docs/reserves.md'), 'utf8');
    expect(doc).toContain('`zkreserve/2/bundle-signature\\n<bundle digest>`');
    expect(doc).toContain('`zkreserve/2/index-signature\\n<index digest>`');
    expect(doc).toContain('"tag":"zkreserve/2/packet-signature"}');
  });

  it('round-trips through the packet parser; unsigned packets still parse without a signature', () => {
    const signed = signPacket(syntheticPacket(), DIGEST, operator);
    const back = parsePacket(JSON.stringify(signed));
    expect(back.signature).toEqual(signed.signature);
    expect(parsePacket(JSON.stringify(syntheticPacket())).signature).toBeUndefined();
    const check = checkPacketSignature(back, { bundleDigest: DIGEST, signers: pinned(operator) });
    expect(check).toMatchObject({ signed: true, valid: true, matchesBundle: true, attributable: true });
  });

  it('a malformed signature object is a format error naming the field', () => {
    const signed = signPacket(syntheticPacket(), DIGEST, operator) as unknown as Record<string, unknown>;
    const bad = { ...signed, signature: { ...(signed.signature as object), publicKey: 7 } };
    expect(() => parsePacket(JSON.stringify(bad))).toThrow(PacketFormatError);
    expect(() => parsePacket(JSON.stringify(bad))).toThrow(/signature.publicKey must be a string/);
    expect(() => parsePacket(JSON.stringify({ ...signed, signature: 'x' }))).toThrow(
      /signature must be an object/,
    );
  });

  // Every §8 field is covered: changing any one breaks the signature (attack: a user inflating their own
  // signed balance, or an operator's packet edited after signing, to fake evidence).
  const edits: [string, Record<string, unknown>][] = [
    ['balance', { balance: '10051' }],
    ['externalRef', { externalRef: 'mallory' }],
    ['salt', { salt: '78' }],
    ['leaf', { leaf: 4 }],
    ['siblings', { siblings: [['1'], ['2'], ['4']] }],
    ['root', { root: '30' }],
    ['snapshotTime', { snapshotTime: '2026-06-30T00:00:00.001Z' }],
  ];
  for (const [field, edit] of edits) {
    it(`changing ${field} after signing: the signature is invalid, and not attributable`, () => {
      const signed = signPacket(syntheticPacket(), DIGEST, operator);
      const check = checkPacketSignature(parsePacket(JSON.stringify({ ...signed, ...edit })), {
        bundleDigest: DIGEST,
        signers: pinned(operator),
      });
      expect(check.valid).toBe(false);
      expect(check.reason).toMatch(/does not verify/);
      expect(check.attributable).toBe(false);
    });
  }

  it('the bundle digest is signed: a packet re-pointed at another bundle fails; one of another bundle shows', () => {
    const signed = signPacket(syntheticPacket(), DIGEST, operator);
    const moved = { ...signed, signature: { ...signed.signature!, bundleDigest: '6b'.repeat(32) } };
    expect(checkPacketSignature(moved, { bundleDigest: '6b'.repeat(32) }).valid).toBe(false);
    const other = checkPacketSignature(signed, { bundleDigest: '6b'.repeat(32), signers: pinned(operator) });
    expect(other).toMatchObject({ valid: true, matchesBundle: false, attributable: true });
  });

  it('a valid signature by an unpinned key that did not sign the bundle is not attributable to the operator', () => {
    const signed = signPacket(syntheticPacket(), DIGEST, stranger);
    const check = checkPacketSignature(signed, { bundleDigest: DIGEST, signers: pinned(operator) });
    expect(check).toMatchObject({ valid: true, pinned: null, bundleOperator: false, attributable: false });
  });

  it("the bundle's own valid operator signature makes the packet attributable to that key, unpinned", () => {
    const signed = signPacket(syntheticPacket(), DIGEST, operator);
    const asOperator = checkSignatures([signBundleDigest(DIGEST, operator)], DIGEST, bundleSignatureMessage);
    expect(
      checkPacketSignature(signed, { bundleDigest: DIGEST, bundleSignatures: asOperator }),
    ).toMatchObject({
      bundleOperator: true,
      attributable: true,
    });
    // The same key over another digest (the bundle changed): not the bundle's operator signature.
    const stale = checkSignatures(
      [signBundleDigest('6b'.repeat(32), operator)],
      DIGEST,
      bundleSignatureMessage,
    );
    expect(checkPacketSignature(signed, { bundleDigest: DIGEST, bundleSignatures: stale }).attributable).toBe(
      false,
    );
  });

  it('only an operator key signs packets', () => {
    expect(() => signPacket(syntheticPacket(), DIGEST, auditor)).toThrow(PacketSignatureError);
  });
});

describe('snapshot index', () => {
  const entry = (currency: string, over: Record<string, string> = {}) => ({
    currency,
    snapshotTime: '2026-06-30T00:00:00.000Z',
    snapshotTimeMs: '1782777600000',
    digest: (currency === 'USD' ? '11' : '22').repeat(32),
    path: `bundle-${currency.toLowerCase()}`,
    ...over,
  });

  it('lists bundles by currency, signs its digest, parses back, and a changed digest breaks the signature', () => {
    const index = buildIndex([entry('USD'), entry('ETH')]);
    expect(index.bundles.map((b) => b.currency)).toEqual(['ETH', 'USD']);
    index.signatures = [signIndexDigest(indexDigest(index), operator)];
    const back = parseIndex(indexText(index), 'index.json');
    const ok = checkSignatures(back.signatures, indexDigest(back), indexSignatureMessage, {
      signers: pinned(operator),
    });
    expect(ok.met).toBe(true);
    back.bundles[1]!.digest = '33'.repeat(32);
    const bad = checkSignatures(back.signatures, indexDigest(back), indexSignatureMessage, {
      signers: pinned(operator),
    });
    expect(bad.met).toBe(false);
  });

  it('refuses bundles of different snapshot times, two bundles of one currency, paths that leave the folder', () => {
    expect(() =>
      buildIndex([entry('USD'), entry('ETH', { snapshotTime: 'x', snapshotTimeMs: '1' })]),
    ).toThrow(/different snapshot times/);
    expect(() => buildIndex([entry('USD'), entry('USD', { path: 'again' })])).toThrow(/two bundles of USD/);
    expect(() => buildIndex([entry('USD', { path: '../elsewhere' })])).toThrow(SnapshotIndexError);
    expect(() => buildIndex([entry('USD', { path: '/abs' })])).toThrow(/must be relative/);
    expect(() => buildIndex([])).toThrow(/at least one bundle/);
  });
});

describe('signer key file format', () => {
  it('round-trips, and refuses a public key that is not the private key', () => {
    expect(parseSignerKey(signerKeyText(operator), 'k')).toEqual(operator);
    const mixed = signerKeyText({ ...operator, publicKey: auditor.publicKey });
    expect(() => parseSignerKey(mixed, 'k')).toThrow(SignerKeyError);
    expect(() => parseSignerKey(mixed, 'k')).toThrow(/not the public key of its privateKey/);
    expect(() => parseSignerKey('{}', 'k')).toThrow(/not a zkreserve signer key/);
  });
});
