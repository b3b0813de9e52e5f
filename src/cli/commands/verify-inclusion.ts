// zkreserve verify-inclusion <packet.json> --bundle <dir> [--json]: is this user's balance in the proven total?
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readBundle, readPacket } from '../../bundle-io/read.js';
import { SOLVENCY_PROOF_ID } from '../../bundle/format.js';
import { verifyInclusion } from '../../verify/index.js';
import { CLAIMED_NOT_VERIFIED } from '../../bundle/summary.js';
import type { CircuitKind } from '../../protocol/families.js';
import { UNPINNED_KEYS_WARNING, pinnedVkeyHashes } from '../../verify/trusted-keys.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { readTrustedKeys } from './verify.js';
import { banner, err, formatMinor, out, printJson } from '../../terminal/output.js';
import {
  SIGNERS_OPTION,
  THRESHOLD_OPTION,
  bundlePublication,
  packetPublication,
  signerChoice,
} from '../publication-check.js';
import type { SignerOptions } from '../publication-check.js';
import { packetSignatureLines, signatureLines } from '../publication-lines.js';
import { EVIDENCE_OPTIONS, checkEvidence, printEvidence } from '../reserves-output.js';
import type { EvidenceOptions } from '../reserves-output.js';

type InclusionOptions = { bundle: string; trustedKeys?: string; json?: boolean } & EvidenceOptions &
  SignerOptions;

export function registerVerifyInclusion(program: Command): void {
  program
    .command('verify-inclusion')
    .description("check that a user's inclusion packet is counted in a bundle's proven total")
    .argument('<packet.json>', "the user's private packet")
    .requiredOption(
      '--bundle <bundle-dir>',
      'the bundle the packet belongs to (only the proofs on its path are needed)',
    )
    .option(
      '--trusted-keys <file>',
      "a key manifest.json you trust (a ceremony's published export): pins the verification keys and the family",
    )
    .option('--json', 'machine-readable result')
    .option(...SIGNERS_OPTION)
    .option(...THRESHOLD_OPTION)
    .option(...EVIDENCE_OPTIONS.custodians)
    .option(...EVIDENCE_OPTIONS.rpc)
    .option(...EVIDENCE_OPTIONS.require)
    .action(async (file: string, opts: InclusionOptions) => {
      const signers = signerChoice(opts);
      if (!existsSync(file)) throw new CliUsageError(`no packet file ${file}`);
      if (!existsSync(path.join(opts.bundle, 'manifest.json'))) {
        throw new CliUsageError(`${opts.bundle} is not a bundle (no manifest.json)`);
      }
      const packet = await readPacket(file);
      const bundle = await readBundle(opts.bundle, { partial: true });
      const m = bundle.manifest;
      // Pinned keys fix the family: a bundle that claims a family the trusted keys do not pin is refused.
      let trusted: Record<CircuitKind, string> | undefined;
      let pinError: string | null = null;
      if (opts.trustedKeys !== undefined) {
        const pinned = pinnedVkeyHashes(readTrustedKeys(opts.trustedKeys), { id: String(m?.family?.id) });
        if (pinned.ok) trusted = pinned.hashes;
        else pinError = pinned.error;
      }
      const r0 =
        pinError === null
          ? await verifyInclusion(packet, bundle, trusted ? { trustedVkeyHashes: trusted } : {})
          : {
              ok: false,
              reason: pinError,
              balance: typeof packet.balance === 'string' ? packet.balance : '',
              figures: null,
              warnings: [],
              insecureDevKeys: false,
            };
      // The signed publication: the bundle's signatures (a pinned threshold must be met) and the packet's own
      // signature (one that does not verify fails the check: the packet changed after it was signed).
      const publication = await bundlePublication(opts.bundle, bundle, signers);
      const packetSig = packetPublication(packet, publication, signers);
      const signatureProblem =
        publication && !publication.ok
          ? publication.problems[0]!
          : packetSig.signed && !packetSig.valid
            ? `packet signature: ${packetSig.reason}`
            : null;
      const r = r0.ok && signatureProblem !== null ? { ...r0, ok: false, reason: signatureProblem } : r0;
      const evidence = await checkEvidence(bundle, r, opts);
      // Pinned: trusted keys given, and the bundle's keys matched them (then the family is the pinned one).
      const pinnedKeys = trusted !== undefined && r.figures?.keysPinned === true;
      const loud = opts.trustedKeys !== undefined ? r.warnings : [...r.warnings, UNPINNED_KEYS_WARNING];
      const decimals = typeof m.decimals === 'number' ? m.decimals : 0;
      const balance = /^[0-9]+$/.test(r.balance) ? formatMinor(r.balance, decimals) : r.balance;
      const solvency = bundle.proofs[SOLVENCY_PROOF_ID]?.publicSignals;
      const boundTo = {
        currency: m.currency,
        snapshotTime: m.snapshotTime,
        root: solvency?.[0] ?? null,
        sumCommit: solvency?.[1] ?? null,
        reserves: m.reserves,
        total: m.total,
        auditHead: { sequence: m.auditHead?.sequence, hash: m.auditHead?.hash },
        family: m.family?.id,
        keysPinned: pinnedKeys,
        /** Shown, but no proof binds them. */
        unverified: [...(pinnedKeys ? [] : ['family']), 'auditHead.sequence'],
      };
      if (opts.json) {
        printJson({
          ok: r.ok,
          included: r.ok,
          reason: r.reason,
          accountId: packet.accountId,
          externalRef: packet.externalRef,
          balance: r.balance,
          balanceFormatted: balance,
          boundTo,
          figures: r.figures,
          warnings: r.warnings,
          keysPinned: pinnedKeys,
          reservesEvidence: evidence,
          ...(packetSig.signed || publication
            ? {
                packetSignature: {
                  ...packetSig,
                  evidence: packetSig.attributable && (!r0.ok || packetSig.matchesBundle === false),
                },
              }
            : {}),
          ...(publication ? { publication } : {}),
        });
        if (loud.length > 0) banner(loud, err);
      } else {
        // The verdict first: nothing printed before it (a packet's strings included) can fake one.
        out(
          r.ok
            ? 'INCLUDED: this balance is counted in the total that the solvency proof shows is covered by reserves'
            : `NOT INCLUDED: ${r.reason}`,
        );
        if (loud.length > 0) banner(loud, out);
        out(`packet ${file}`);
        out(`  account        ${packet.externalRef} (${packet.accountId})`);
        out(`  balance        ${balance} ${m.currency}`);
        if (r.ok) {
          out(`  currency       ${m.currency}`);
          out(`  snapshot time  ${m.snapshotTime}`);
          out(`  reserves       ${formatMinor(m.reserves, decimals)} ${m.currency}`);
          out(
            `  total          ${m.total === null ? 'not published' : `${formatMinor(m.total, decimals)} ${m.currency}`}`,
          );
          out(`  audit head     ${boundTo.auditHead.hash}`);
          out(`  audit sequence #${boundTo.auditHead.sequence} ${CLAIMED_NOT_VERIFIED}`);
          out(
            `  family         ${boundTo.family} ${pinnedKeys ? `(pinned by ${opts.trustedKeys})` : `${CLAIMED_NOT_VERIFIED}: keys not pinned`}`,
          );
          out(`  root           ${boundTo.root}`);
          out(`  sum commitment ${boundTo.sumCommit}`);
          out(`  proofs checked ${r.figures?.proofs.join(', ')}`);
          out('Check that the account, the reference and the balance are yours at that time.');
        }
        printEvidence(evidence, out);
        if (packetSig.signed || publication) for (const l of packetSignatureLines(packetSig, r0.ok)) out(l);
        if (publication) {
          for (const l of signatureLines(
            publication.check,
            publication.digest,
            publication.problems,
            'bundle',
          ))
            out(l);
        }
        if (r.warnings.length > 0)
          out('WARNING: INSECURE DEVELOPMENT KEYS: this check proves nothing about real reserves.');
        if (opts.trustedKeys === undefined)
          out(`WARNING: ${UNPINNED_KEYS_WARNING} (pin them with --trusted-keys <manifest.json>)`);
      }
      if (!r.ok) throw new CliExit(EXIT_FAILED);
    });
}
