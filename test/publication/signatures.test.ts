// Bundle signatures over the digest: sign and co-sign, the threshold, pinning, duplicates, and tampering of
// every part the digest covers (manifest, a public signal, a verification key, the reserve evidence).
import { describe, expect, it } from 'vitest';
import { bundleDigest } from '../../src/bundle/digest.js';
import type { BundleData } from '../../src/bundle/format.js';
import { checkSignatures } from '../../src/publication/check-signatures.js';
import { fingerprint } from '../../src/publication/ed25519.js';
import { SignatureFileError, SignerSetError } from '../../src/publication/errors.js';
import { bundleSignatureMessage, indexSignatureMessage } from '../../src/publication/messages.js';
import { signBundleDigest, signIndexDigest } from '../../src/publication/sign.js';
import {
  emptySignatureFile,
  parseSignatureFile,
  signatureFileText,
  withSignature,
} from '../../src/publication/signature-file.js';
import { parseSignerSet } from '../../src/publication/signer-set.js';
import { verifyPublication } from '../../src/verify/verify-publication.js';
import { auditor, auditor2, operator, pinned, stranger, syntheticBundle } from './support.js';
import type { SignerKey } from '../../src/publication/signer-key.js';

/** The signatures.json text of `keys` each signing `bundle`'s digest. */
function signaturesOf(bundle: BundleData, ...keys: SignerKey[]): string {
  const file = emptySignatureFile();
  for (const k of keys)
    file.signatures = withSignature(file.signatures, signBundleDigest(bundleDigest(bundle), k));
  return signatureFileText(file);
}

describe('bundle signatures', () => {
  it('the signed bytes are the tag, a newline and the digest, exactly', () => {
    const digest = 'ab'.repeat(32);
    expect(new TextDecoder().decode(bundleSignatureMessage(digest))).toBe(
      `zkreserve/2/bundle-signature\n${digest}`,
    );
  });

  it('operator signs, an auditor co-signs the same digest: threshold 2 of the pinned set is met', () => {
    const bundle = syntheticBundle();
    const r = verifyPublication(bundle, signaturesOf(bundle, operator, auditor), {
      signers: pinned(operator, auditor),
      threshold: 2,
    });
    expect(r.ok).toBe(true);
    expect(r.digest).toBe(bundleDigest(bundle));
    expect(r.check!.validPinned).toBe(2);
    expect(r.check!.signers.map((s) => [s.status, s.role, s.name, s.fingerprint])).toEqual([
      ['valid-pinned', 'operator', 'Example Ltd', fingerprint(operator.publicKey)],
      ['valid-pinned', 'auditor', 'Audit LLP', fingerprint(auditor.publicKey)],
    ]);
  });

  it('a threshold of 0 (met by no signature at all) or not an integer is refused', () => {
    const bundle = syntheticBundle();
    for (const threshold of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        verifyPublication(bundle, signaturesOf(bundle), { signers: pinned(operator), threshold }),
      ).toThrow(SignerSetError);
    }
  });

  it('threshold not met: 1 valid pinned signature where 2 are required', () => {
    const bundle = syntheticBundle();
    const r = verifyPublication(bundle, signaturesOf(bundle, operator), {
      signers: pinned(operator, auditor),
      threshold: 2,
    });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/1 valid signature by signers pinned in signers.json .* 2 required/);
  });

  it("an unpinned signer's valid signature is shown and does not count", () => {
    const bundle = syntheticBundle();
    const r = verifyPublication(bundle, signaturesOf(bundle, operator, stranger), {
      signers: pinned(operator, auditor),
      threshold: 2,
    });
    expect(r.ok).toBe(false);
    expect(r.check!.signers.map((s) => s.status)).toEqual(['valid-pinned', 'valid-unpinned']);
    expect(r.check!.validPinned).toBe(1);
  });

  it('the same key twice counts once (attack: pad the threshold with copies of one signature)', () => {
    const bundle = syntheticBundle();
    const one = signBundleDigest(bundleDigest(bundle), operator);
    const copy = { ...one, name: 'Audit LLP', role: 'auditor' };
    const text = JSON.stringify({
      protocol: 'zkreserve/2',
      kind: 'bundle-signatures',
      signatures: [one, copy],
    });
    const r = verifyPublication(bundle, text, { signers: pinned(operator, auditor), threshold: 2 });
    expect(r.ok).toBe(false);
    expect(r.check!.signers).toHaveLength(1);
    expect(r.check!.signers[0]!.entries).toBe(2);
    expect(r.check!.validPinned).toBe(1);
  });

  it('re-signing replaces the signer entry; other entries stay', () => {
    const bundle = syntheticBundle();
    let entries = withSignature([], signBundleDigest('00'.repeat(32), operator));
    entries = withSignature(entries, signBundleDigest(bundleDigest(bundle), auditor));
    entries = withSignature(entries, signBundleDigest(bundleDigest(bundle), operator));
    expect(entries.map((e) => (e as { publicKey: string }).publicKey)).toEqual([
      operator.publicKey,
      auditor.publicKey,
    ]);
    const check = checkSignatures(entries, bundleDigest(bundle), bundleSignatureMessage);
    expect(check.signers.every((s) => s.status === 'valid-unpinned')).toBe(true);
  });

  it('the pinned name and role are shown, not the entry claim (attack: a key claiming to be the auditor)', () => {
    const bundle = syntheticBundle();
    const entry = {
      ...signBundleDigest(bundleDigest(bundle), operator),
      name: 'Big Four Auditor',
      role: 'auditor',
    };
    const check = checkSignatures([entry], bundleDigest(bundle), bundleSignatureMessage, {
      signers: pinned(operator),
    });
    expect(check.signers[0]).toMatchObject({
      status: 'valid-pinned',
      name: 'Example Ltd',
      role: 'operator',
      claimed: { name: 'Big Four Auditor', role: 'auditor' },
    });
  });

  const tamperings: [string, (b: BundleData) => void][] = [
    ['the manifest (reserves)', (b) => void (b.manifest.reserves = '999999999')],
    ['a public signal', (b) => void (b.proofs['L0-000000']!.publicSignals[1] = '13')],
    ['a verification key', (b) => void ((b.vkeys.solvency as unknown as { nPublic: number }).nPublic = 9)],
    ['the reserve evidence', (b) => void (b.reserves as { items: unknown[] }).items.push({ amount: '1' })],
    ['the evidence, removed', (b) => void delete b.reserves],
  ];
  for (const [what, tamper] of tamperings) {
    it(`tampering with ${what} after signing breaks every signature`, () => {
      const bundle = syntheticBundle({ items: [{ amount: '200000' }] });
      const text = signaturesOf(bundle, operator, auditor);
      tamper(bundle);
      const r = verifyPublication(bundle, text, { signers: pinned(operator, auditor), threshold: 1 });
      expect(r.ok).toBe(false);
      expect(r.check!.signers.map((s) => s.status)).toEqual(['invalid', 'invalid']);
      expect(r.check!.signers[0]!.reason).toMatch(/not the current .*the data changed after it was signed/);
    });
  }

  it('a signature moved from one bundle to another does not verify (stated digest rewritten)', () => {
    const a = syntheticBundle();
    const b = syntheticBundle();
    b.manifest.reserves = '1';
    const entry = { ...signBundleDigest(bundleDigest(a), operator), digest: bundleDigest(b) };
    const check = checkSignatures([entry], bundleDigest(b), bundleSignatureMessage, {
      signers: pinned(operator),
    });
    expect(check.signers[0]!.status).toBe('invalid');
    expect(check.signers[0]!.reason).toMatch(/does not verify/);
    expect(check.met).toBe(false);
  });

  it('an index signature is not a bundle signature (domain separation)', () => {
    const bundle = syntheticBundle();
    const digest = bundleDigest(bundle);
    const entry = signIndexDigest(digest, operator);
    expect(checkSignatures([entry], digest, bundleSignatureMessage).signers[0]!.status).toBe('invalid');
    expect(checkSignatures([entry], digest, indexSignatureMessage).signers[0]!.status).toBe('valid-unpinned');
  });

  it('malformed entries are invalid signers with a reason, and do not hide the good ones', () => {
    const bundle = syntheticBundle();
    const good = signBundleDigest(bundleDigest(bundle), operator);
    const entries = [
      42,
      { ...good, publicKey: auditor.publicKey.toUpperCase() },
      { ...good, publicKey: auditor2.publicKey, algorithm: 'rsa' },
      { ...good, publicKey: stranger.publicKey, signature: good.signature.slice(2) },
      good,
    ];
    const check = checkSignatures(entries, bundleDigest(bundle), bundleSignatureMessage, {
      signers: pinned(operator),
    });
    expect(check.signers.map((s) => s.reason)).toEqual([
      'the entry is not an object',
      'the public key is not 64 lowercase hex digits',
      'algorithm must be ed25519, got "rsa"',
      'the signature is not 128 lowercase hex digits',
      '',
    ]);
    expect(check.met).toBe(true);
  });

  it('an unsigned bundle fails when signers are pinned and is only noted when not', () => {
    const bundle = syntheticBundle();
    expect(verifyPublication(bundle, null, { signers: pinned(operator) }).ok).toBe(false);
    const r = verifyPublication(bundle, null, {});
    expect(r.ok).toBe(true);
    expect(r.problems[0]).toMatch(/no signatures.json/);
  });

  it('a partial bundle has no digest: signatures are not checked, and pinned ones fail', () => {
    const bundle = syntheticBundle();
    const text = signaturesOf(bundle, operator);
    delete bundle.proofs['L1-000000'];
    const r = verifyPublication(bundle, text, { signers: pinned(operator) });
    expect(r.ok).toBe(false);
    expect(r.digest).toBeNull();
    expect(r.problems[0]).toMatch(/proof L1-000000 is missing/);
  });

  it('a signatures file of the wrong kind is refused by name', () => {
    expect(() => parseSignatureFile('{"protocol":"zkreserve/2","kind":"signers","signatures":[]}')).toThrow(
      SignatureFileError,
    );
    expect(() => parseSignatureFile('not json')).toThrow(/not valid JSON/);
  });
});

describe('signer sets', () => {
  const set = (signers: unknown) => JSON.stringify({ protocol: 'zkreserve/2', kind: 'signers', signers });
  const ok = { name: 'A', role: 'operator', publicKey: operator.publicKey };
  it('refuses a bad role, a bad key, a key listed twice, an empty set', () => {
    expect(() => parseSignerSet(set([{ ...ok, role: 'custodian' }]), 's')).toThrow(
      /role must be operator or auditor/,
    );
    expect(() => parseSignerSet(set([{ ...ok, publicKey: 'abc' }]), 's')).toThrow(/64 lowercase hex/);
    expect(() => parseSignerSet(set([ok, { ...ok, name: 'B' }]), 's')).toThrow(/listed twice/);
    expect(() => parseSignerSet(set([]), 's')).toThrow(SignerSetError);
    expect(() => parseSignerSet('{"kind":"signers"}', 's')).toThrow(/not a zkreserve signer set/);
  });
});
