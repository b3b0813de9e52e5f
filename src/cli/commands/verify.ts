// zkreserve verify <bundle-dir> [--json] [--trusted-keys keys-manifest.json]: every check of protocol.md §9.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BundleReadError } from '../../bundle/errors.js';
import { readBundle } from '../../bundle-io/read.js';
import type { BundleData, BundleManifest } from '../../bundle/format.js';
import { verifyBundle } from '../../verify/index.js';
import type { BundleReport } from '../../verify/index.js';
import type { CircuitKind } from '../../protocol/families.js';
import { TrustedKeysError } from '../../verify/errors.js';
import { UNPINNED_KEYS_WARNING, parseTrustedKeys, pinnedVkeyHashes } from '../../verify/trusted-keys.js';
import { CLAIMED_NOT_VERIFIED } from '../../bundle/summary.js';
import type { TrustedKeys } from '../../verify/trusted-keys.js';
import { createProgress } from '../../terminal/progress.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { banner, err, formatMinor, out, printJson } from '../../terminal/output.js';
import { addAnchorCheck, anchorJson, anchorLines } from './verify-anchored.js';
import type { AnchoredOptions } from './verify-anchored.js';
import { SIGNERS_OPTION, THRESHOLD_OPTION, bundlePublication, signerChoice } from '../publication-check.js';
import type { SignerOptions } from '../publication-check.js';
import { signatureLines } from '../publication-lines.js';
import { EVIDENCE_OPTIONS, checkEvidence, printEvidence } from '../reserves-output.js';
import type { EvidenceOptions } from '../reserves-output.js';

/** A trusted key manifest file (setup export / keys/dev manifest.json); a bad one is a usage error. */
export function readTrustedKeys(file: string): TrustedKeys {
  try {
    return parseTrustedKeys(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (e instanceof TrustedKeysError) throw new CliUsageError(e.message);
    throw new CliUsageError(`cannot read trusted key manifest ${file}: ${(e as Error).message}`);
  }
}

/** One step of the ceremony transcript a bundle's manifest states (keys.transcript). */
interface TranscriptStep {
  index: number;
  name: string;
  type: string;
}

/** The transcript the bundle's manifest states (a claim: it is bound to the keys only by --trusted-keys). */
function statedTranscript(manifest: BundleManifest | null): TranscriptStep[] {
  const t = manifest?.keys?.transcript;
  if (!Array.isArray(t)) return [];
  return t.filter(
    (x: unknown): x is TranscriptStep =>
      !!x &&
      typeof (x as TranscriptStep).name === 'string' &&
      typeof (x as TranscriptStep).type === 'string' &&
      typeof (x as TranscriptStep).index === 'number',
  );
}

/** The verdict: always the first line of the text report, so nothing printed before it can fake one. */
export function printVerdict(report: BundleReport, write: (l: string) => void = out): void {
  if (report.ok) {
    write('RESULT: VALID: the liabilities committed in the tree total at most the reserves shown below');
  } else {
    write(`RESULT: INVALID (${report.errors.length} problem${report.errors.length === 1 ? '' : 's'})`);
  }
}

/** What the bundle states, and the problems found, after the verdict. */
export function printDetails(
  dir: string,
  report: BundleReport,
  write: (l: string) => void = out,
  transcript: readonly TranscriptStep[] = [],
): void {
  const s = report.summary;
  write(`bundle ${dir}`);
  if (s) {
    const amount = (v: string) => `${formatMinor(v, s.decimals)} ${s.currency}`;
    write(`  currency         ${s.currency} (${s.decimals} decimals)`);
    write(
      `  circuit family   ${s.family} ${s.keysPinned ? '(pinned by the trusted keys)' : `${CLAIMED_NOT_VERIFIED}: keys not pinned`}`,
    );
    write(`  circuits         ${s.circuitNames.join(', ')} ${CLAIMED_NOT_VERIFIED}`);
    write(`  snapshot time    ${s.snapshotTime}`);
    write(
      `  users committed  at most ${s.paddedUsers} (${s.chunks} chunks; an upper bound, not the exact count)`,
    );
    write(`  users policy     ${s.usersPolicy} ${CLAIMED_NOT_VERIFIED}`);
    write(`  total            ${s.total === null ? 'not published' : amount(s.total)}`);
    write(`  reserves         ${amount(s.reserves)}`);
    write(`  audit head       ${s.auditHead.hash}`);
    write(`  audit sequence   #${s.auditHead.sequence} ${CLAIMED_NOT_VERIFIED}`);
    write(`  ceremony         ${s.ceremony}${s.insecure ? ' (INSECURE: public dev keys)' : ''}`);
    if (transcript.length > 0) write(`  transcript       ${CLAIMED_NOT_VERIFIED}`);
    for (const t of transcript) {
      write(`    #${t.index} ${t.type} by ${JSON.stringify(t.name)}`);
    }
    write(`  proofs           ${report.proofsVerified} Groth16 proofs checked`);
  }
  if (!report.ok) {
    for (const e of report.errors.slice(0, 20)) write(`  - ${e}`);
    if (report.errors.length > 20) write(`  ... and ${report.errors.length - 20} more`);
  }
}

export async function loadAndVerify(
  dir: string,
  trustedKeys: string | undefined,
  onProgress?: (p: { done: number; total: number }) => void,
): Promise<{ report: BundleReport; manifest: BundleManifest | null; bundle?: BundleData }> {
  if (!existsSync(path.join(dir, 'manifest.json')))
    throw new CliUsageError(`${dir} is not a bundle (no manifest.json)`);
  let bundle;
  try {
    bundle = await readBundle(dir);
  } catch (e) {
    if (e instanceof BundleReadError) {
      return {
        report: { ok: false, errors: [e.message], warnings: [], summary: null, proofsVerified: 0 },
        manifest: null,
      };
    }
    throw e;
  }
  let trusted: Record<CircuitKind, string> | undefined;
  if (trustedKeys !== undefined) {
    const pinned = pinnedVkeyHashes(readTrustedKeys(trustedKeys), {
      id: String(bundle.manifest?.family?.id),
    });
    if (!pinned.ok)
      return {
        report: { ok: false, errors: [pinned.error], warnings: [], summary: null, proofsVerified: 0 },
        manifest: bundle.manifest,
        bundle,
      };
    trusted = pinned.hashes;
  }
  const report = await verifyBundle(bundle, {
    ...(trusted ? { trustedVkeyHashes: trusted } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { report, manifest: bundle.manifest, bundle };
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify a bundle: every Groth16 proof, every link of the tree and every claim of the manifest',
    )
    .argument('<bundle-dir>', 'bundle directory')
    .option(
      '--trusted-keys <file>',
      "a key manifest.json you trust (a ceremony's published export): pins the verification keys",
    )
    .option('--json', 'machine-readable result')
    .option('--anchored', "also check the chain's record of this round (needs --rpc and --registry)")
    .option(
      '--rpc <url>',
      'an EVM JSON-RPC node: checks the EVM reserve evidence online, and the record with --anchored',
    )
    .option('--registry <address>', 'the SolvencyRegistry (with --anchored)')
    .option(...SIGNERS_OPTION)
    .option(...THRESHOLD_OPTION)
    .option(...EVIDENCE_OPTIONS.custodians)
    .option(...EVIDENCE_OPTIONS.require)
    .action(
      async (
        dir: string,
        opts: { trustedKeys?: string; json?: boolean } & AnchoredOptions & SignerOptions & EvidenceOptions,
      ) => {
        const signers = signerChoice(opts);
        const progress = createProgress(process.stderr);
        const verified = await loadAndVerify(dir, opts.trustedKeys, (p) =>
          progress.update({ phase: 'verifying proofs', ...p }),
        );
        progress.finish();
        const { manifest } = verified;
        // The signed publication (--signers, --threshold): a threshold not met makes the bundle fail.
        const publication = verified.bundle ? await bundlePublication(dir, verified.bundle, signers) : null;
        const report =
          publication && !publication.ok
            ? { ...verified.report, ok: false, errors: [...verified.report.errors, ...publication.problems] }
            : verified.report;
        const evidence = verified.bundle ? await checkEvidence(verified.bundle, report, opts) : null;
        const anchored = await addAnchorCheck(dir, report, opts);
        const insecure = report.insecureDevKeys === true || report.summary?.insecure === true;
        const warnings = [...report.warnings];
        if (insecure && warnings.length === 0)
          warnings.push('INSECURE DEVELOPMENT KEYS: anyone can forge these proofs.');
        const loud = opts.trustedKeys === undefined ? [...warnings, UNPINNED_KEYS_WARNING] : warnings;
        if (opts.json) {
          printJson({
            bundle: dir,
            ...report,
            reservesEvidence: evidence,
            ...(publication ? { publication } : {}),
            ...(anchored ? { anchor: anchorJson(anchored) } : {}),
          });
          if (loud.length > 0) banner(loud, err);
        } else {
          printVerdict(report, out);
          if (loud.length > 0) banner(loud, out);
          printDetails(dir, report, out, statedTranscript(manifest));
          if (evidence) printEvidence(evidence, out);
          if (publication) {
            for (const l of signatureLines(
              publication.check,
              publication.digest,
              publication.problems,
              'bundle',
            ))
              out(l);
          }
          if (anchored) anchorLines(anchored).forEach((l) => out(l));
          if (warnings.length > 0) {
            out(
              'WARNING: INSECURE DEVELOPMENT KEYS: anyone can forge these proofs. This is NOT evidence of solvency.',
            );
          }
          if (opts.trustedKeys === undefined) {
            out(`WARNING: ${UNPINNED_KEYS_WARNING} (pin them with --trusted-keys <manifest.json>)`);
          }
        }
        if (!report.ok) throw new CliExit(EXIT_FAILED);
      },
    );
}
