// How verify, verify-inclusion and verify-index show signatures: the digest checked, every signer seen
// (valid and pinned, valid but not pinned, invalid and why) and the threshold.
import type { SignaturesCheck, SignerSeen } from '../publication/check-signatures.js';
import type { PacketSignatureCheck } from '../publication/check-packet.js';

const STATUS: Record<SignerSeen['status'], string> = {
  'valid-pinned': 'valid, pinned',
  'valid-unpinned': 'valid, not pinned',
  invalid: 'INVALID',
};

/** One line per signer seen. */
export function signerLines(check: SignaturesCheck): string[] {
  return check.signers.map((s) => {
    const who = `${s.role} ${JSON.stringify(s.name)} key ${s.fingerprint}`;
    const claimed = s.claimed
      ? ` (the entry claims ${s.claimed.role} ${JSON.stringify(s.claimed.name)})`
      : '';
    const twice = s.entries > 1 ? ` (${s.entries} entries, counted once)` : '';
    const why =
      s.status === 'invalid'
        ? `: ${s.reason}`
        : s.status === 'valid-unpinned' && check.threshold !== null
          ? ': not in the pinned set, does not count'
          : '';
    return `    ${STATUS[s.status].padEnd(17)} ${who}${claimed}${twice}${why}`;
  });
}

/** The signatures block of a report: `what` is "bundle" or "index". */
export function signatureLines(
  check: SignaturesCheck | null,
  digest: string | null,
  problems: readonly string[],
  what: string,
): string[] {
  const lines = [`  ${what} digest`.padEnd(19) + (digest ?? 'not computed')];
  if (check === null) {
    lines.push(`  signatures       none checked${problems.length > 0 ? `: ${problems[0]}` : ''}`);
    return lines;
  }
  const n = check.signers.length;
  const head =
    check.threshold === null
      ? `${n} signer${n === 1 ? '' : 's'} (not pinned: pass --signers <file> --threshold k to require them)`
      : `${check.validPinned} valid by signers pinned in ${check.signersSource}, ${check.threshold} required: ` +
        (check.met ? 'threshold met' : 'THRESHOLD NOT MET');
  lines.push(`  signatures       ${head}`);
  lines.push(...signerLines(check));
  return lines;
}

/** The packet-signature lines of verify-inclusion. */
export function packetSignatureLines(p: PacketSignatureCheck, included: boolean): string[] {
  if (!p.signed) return ['  packet signature none (an unsigned packet is not evidence against anyone)'];
  if (!p.valid) {
    return [
      `  packet signature INVALID, key ${p.fingerprint}: ${p.reason}`,
      '  (the packet was changed after it was signed, or not signed by that key: it is not evidence)',
    ];
  }
  const by = [
    p.pinned ? `pinned as ${p.pinned.role} ${JSON.stringify(p.pinned.name)}` : 'not pinned',
    p.bundleOperator
      ? 'the key that signed this bundle as operator'
      : 'not a key that signed this bundle as operator',
  ].join('; ');
  const lines = [
    `  packet signature valid, key ${p.fingerprint} (claims ${JSON.stringify(p.claimedName)}; ${by})`,
    `  signed for      bundle digest ${p.bundleDigest}${p.matchesBundle === false ? " (NOT this bundle's digest)" : ''}`,
  ];
  if (p.attributable && (!included || p.matchesBundle === false)) {
    lines.push(
      '  TRANSFERABLE EVIDENCE: the operator signed this packet, and ' +
        (included
          ? 'the bundle you were given is not the one it was signed for.'
          : 'it is not included in the bundle it was signed for.'),
      "  Keep this packet, the bundle and its signatures.json: anyone can check the operator's signature and the",
      '  failing check (docs/reserves.md "Making a complaint stick").',
    );
  }
  return lines;
}
