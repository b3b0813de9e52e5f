// zkreserve verify <bundle-dir> [--json] [--trusted-keys keys-manifest.json]: every check of protocol.md §9.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BundleReadError, readBundle } from '../../bundle-io/read.js';
import type { BundleManifest, CircuitKind } from '../../bundle/format.js';
import { verifyBundle } from '../../verify/index.js';
import type { BundleReport } from '../../verify/index.js';
import { CIRCUIT_KINDS } from '../../protocol/families.js';
import { createProgress } from '../../terminal/progress.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { banner, err, formatMinor, out, printJson } from '../../terminal/output.js';

/** vkey hashes of `family` from a key manifest (setup export / keys/dev manifest.json). */
function trustedHashes(file: string, family: string): Partial<Record<CircuitKind, string>> | string {
  let manifest: { circuits?: Record<string, { vkey?: string }> };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
  } catch (e) {
    throw new CliUsageError(`cannot read trusted key manifest ${file}: ${(e as Error).message}`);
  }
  if (!manifest || typeof manifest.circuits !== 'object')
    throw new CliUsageError(`${file} is not a zkreserve key manifest`);
  const hashes: Partial<Record<CircuitKind, string>> = {};
  for (const kind of CIRCUIT_KINDS) {
    const h = manifest.circuits[`${family}-${kind}`]?.vkey;
    if (typeof h !== 'string')
      return `the trusted keys ${file} have no ${family}-${kind} circuit: this bundle does not use them`;
    hashes[kind] = h;
  }
  return hashes;
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

export function printSummary(
  dir: string,
  report: BundleReport,
  write: (l: string) => void = out,
  transcript: readonly TranscriptStep[] = [],
): void {
  const s = report.summary;
  write(`bundle ${dir}`);
  if (s) {
    const amount = (v: string) => `${formatMinor(v, s.decimals)} ${s.currency}`;
    write(`  currency         ${s.currency} (${s.decimals} decimals, circuit family ${s.family})`);
    write(`  snapshot time    ${s.snapshotTime}`);
    write(
      `  users committed  at most ${s.paddedUsers} (${s.chunks} chunks; an upper bound, not the exact count)`,
    );
    write(`  total            ${s.total === null ? 'not published' : amount(s.total)}`);
    write(`  reserves         ${amount(s.reserves)}`);
    write(`  audit head       #${s.auditHead.sequence} ${s.auditHead.hash}`);
    write(`  ceremony         ${s.ceremony}${s.insecure ? ' (INSECURE: public dev keys)' : ''}`);
    for (const t of transcript) {
      write(`    #${t.index} ${t.type} by ${JSON.stringify(t.name)}`);
    }
    write(`  proofs           ${report.proofsVerified} Groth16 proofs checked`);
  }
  if (report.ok) {
    write('RESULT: VALID: the liabilities committed in the tree total at most the reserves above');
  } else {
    write(`RESULT: INVALID (${report.errors.length} problem${report.errors.length === 1 ? '' : 's'})`);
    for (const e of report.errors.slice(0, 20)) write(`  - ${e}`);
    if (report.errors.length > 20) write(`  ... and ${report.errors.length - 20} more`);
  }
}

export async function loadAndVerify(
  dir: string,
  trustedKeys: string | undefined,
  onProgress?: (p: { done: number; total: number }) => void,
): Promise<{ report: BundleReport; manifest: BundleManifest | null }> {
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
  let trusted: Partial<Record<CircuitKind, string>> | undefined;
  if (trustedKeys !== undefined) {
    const t = trustedHashes(trustedKeys, String(bundle.manifest?.family?.id));
    if (typeof t === 'string')
      return {
        report: { ok: false, errors: [t], warnings: [], summary: null, proofsVerified: 0 },
        manifest: bundle.manifest,
      };
    trusted = t;
  }
  const report = await verifyBundle(bundle, {
    ...(trusted ? { trustedVkeyHashes: trusted } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { report, manifest: bundle.manifest };
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
    .action(async (dir: string, opts: { trustedKeys?: string; json?: boolean }) => {
      const progress = createProgress(process.stderr);
      const { report, manifest } = await loadAndVerify(dir, opts.trustedKeys, (p) =>
        progress.update({ phase: 'verifying proofs', ...p }),
      );
      progress.finish();
      const insecure = report.insecureDevKeys === true || report.summary?.insecure === true;
      const warnings = [...report.warnings];
      if (insecure && warnings.length === 0)
        warnings.push('INSECURE DEVELOPMENT KEYS: anyone can forge these proofs.');
      if (opts.json) {
        printJson({ bundle: dir, ...report });
        if (warnings.length > 0) banner(warnings, err);
      } else {
        if (warnings.length > 0) banner(warnings, out);
        printSummary(dir, report, out, statedTranscript(manifest));
        if (warnings.length > 0) {
          out(
            'WARNING: INSECURE DEVELOPMENT KEYS: anyone can forge these proofs. This is NOT evidence of solvency.',
          );
        }
        if (opts.trustedKeys === undefined && report.ok && !insecure) {
          out(
            'note: the verification keys were taken from the bundle itself; pin them with --trusted-keys <manifest.json>',
          );
        }
      }
      if (!report.ok) throw new CliExit(EXIT_FAILED);
    });
}
