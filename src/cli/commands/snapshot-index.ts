// zkreserve index <bundle>... --out <index.json> --key <file>: the signed snapshot index of one snapshot time
// (every currency's bundle digest); zkreserve verify-index <index.json> [--signers f --threshold k]
// [--bundles dir]: its signatures and every listed bundle's current digest (docs/reserves.md).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ZkReserveError } from '../../errors.js';
import { bundleDigest } from '../../bundle/digest.js';
import { readBundle } from '../../bundle-io/read.js';
import { writeFileAtomic } from '../../fs/atomic.js';
import { checkSignatures, thresholdProblem } from '../../publication/check-signatures.js';
import { fingerprint } from '../../publication/ed25519.js';
import { SnapshotIndexError } from '../../publication/errors.js';
import { indexSignatureMessage } from '../../publication/messages.js';
import { signIndexDigest } from '../../publication/sign.js';
import { withSignature } from '../../publication/signature-file.js';
import {
  buildIndex,
  indexDigest,
  indexPathProblem,
  indexText,
  parseIndex,
} from '../../publication/snapshot-index.js';
import type { IndexEntry, SnapshotIndex } from '../../publication/snapshot-index.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { SIGNERS_OPTION, THRESHOLD_OPTION, signerChoice } from '../publication-check.js';
import type { SignerOptions } from '../publication-check.js';
import { signatureLines } from '../publication-lines.js';
import { readSignerKeyFile } from '../signer-files.js';
import { out, printJson } from '../../terminal/output.js';

/** The bundle at `dir` as an index entry, its path relative to the index's directory. */
async function entryOf(dir: string, indexDir: string): Promise<IndexEntry & { snapshotTimeMs: string }> {
  if (!existsSync(path.join(dir, 'manifest.json')))
    throw new CliUsageError(`${dir} is not a bundle (no manifest.json)`);
  const bundle = await readBundle(dir);
  const rel = path.relative(indexDir, path.resolve(dir)).split(path.sep).join('/');
  const problem = indexPathProblem(rel);
  if (problem !== null)
    throw new SnapshotIndexError(`${dir}: ${problem}; put the index in a folder above the bundles`);
  const m = bundle.manifest;
  return {
    currency: m.currency,
    snapshotTime: m.snapshotTime,
    snapshotTimeMs: m.snapshotTimeMs,
    digest: bundleDigest(bundle),
    path: rel,
  };
}

async function writeIndex(bundles: readonly string[], outFile: string, keyFile: string): Promise<void> {
  const key = readSignerKeyFile(keyFile);
  const indexDir = path.dirname(path.resolve(outFile));
  const index = buildIndex(await Promise.all(bundles.map((b) => entryOf(b, indexDir))));
  const digest = indexDigest(index);
  // Re-running over the same bundles keeps the co-signatures already there; other ones signed another digest.
  let kept: unknown[] = [];
  if (existsSync(outFile)) {
    const before = parseIndex(await readFile(outFile, 'utf8'), outFile);
    if (indexDigest(before) === digest) kept = before.signatures;
    else
      out(`${outFile} listed other bundles: its earlier signatures are dropped (they signed another digest)`);
  }
  index.signatures = withSignature(kept, signIndexDigest(digest, key));
  await writeFileAtomic(outFile, indexText(index));
  out(`wrote snapshot index ${outFile} for ${index.snapshotTime} (${index.bundles.length} bundles)`);
  for (const b of index.bundles) out(`  ${b.currency.padEnd(6)} ${b.digest}  ${b.path}`);
  out(`  index digest ${digest}`);
  out(
    `  signed as ${key.role} "${key.name}" (key ${fingerprint(key.publicKey)}); co-sign: zkreserve sign ${outFile} --key <file>`,
  );
}

/** Each listed bundle's digest now, against the index: a problem per bundle, or null when it matches. */
async function bundleProblems(
  index: SnapshotIndex,
  base: string,
): Promise<{ entry: IndexEntry; problem: string | null }[]> {
  const results: { entry: IndexEntry; problem: string | null }[] = [];
  for (const entry of index.bundles) {
    const dir = path.join(base, ...entry.path.split('/'));
    let problem: string | null = null;
    try {
      if (!existsSync(path.join(dir, 'manifest.json'))) throw new CliUsageError(`no bundle at ${dir}`);
      const bundle = await readBundle(dir);
      const digest = bundleDigest(bundle);
      if (bundle.manifest.currency !== entry.currency)
        problem = `it is a ${String(bundle.manifest.currency)} bundle, listed as ${entry.currency}`;
      else if (bundle.manifest.snapshotTime !== entry.snapshotTime)
        problem = `its snapshot time is ${String(bundle.manifest.snapshotTime)}`;
      else if (digest !== entry.digest)
        problem = `its digest is ${digest}, the index lists ${entry.digest}: the bundle is not the one signed`;
    } catch (e) {
      if (!(e instanceof ZkReserveError)) throw e;
      problem = e.message;
    }
    results.push({ entry, problem });
  }
  return results;
}

export function registerSnapshotIndex(program: Command): void {
  program
    .command('index')
    .description("write and sign the snapshot index: every currency's bundle digest at one snapshot time")
    .argument('<bundle-dir...>', 'the bundles of one snapshot time, one per currency')
    .requiredOption('--out <index.json>', 'the index file (bundle paths are relative to its folder)')
    .requiredOption('--key <file>', "the operator's signer key")
    .action(async (bundles: string[], opts: { out: string; key: string }) => {
      await writeIndex(bundles, opts.out, opts.key);
    });
  program
    .command('verify-index')
    .description("check a snapshot index's signatures and that every bundle it lists has the digest it lists")
    .argument('<index.json>', 'the snapshot index')
    .option('--bundles <dir>', "the folder the index's paths are relative to (default: the index's folder)")
    .option(...SIGNERS_OPTION)
    .option(...THRESHOLD_OPTION)
    .option('--json', 'machine-readable result')
    .action(async (file: string, opts: { bundles?: string; json?: boolean } & SignerOptions) => {
      const choice = signerChoice(opts);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new CliUsageError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const index = parseIndex(text, file);
      const digest = indexDigest(index);
      const check = checkSignatures(index.signatures, digest, indexSignatureMessage, choice);
      const bundles = await bundleProblems(index, opts.bundles ?? path.dirname(file));
      const problems = [
        ...(thresholdProblem(check, 'the index') === null ? [] : [thresholdProblem(check, 'the index')!]),
        ...bundles
          .filter((b) => b.problem !== null)
          .map((b) => `${b.entry.currency} (${b.entry.path}): ${b.problem}`),
      ];
      const ok = problems.length === 0;
      if (opts.json) {
        printJson({
          ok,
          index: file,
          snapshotTime: index.snapshotTime,
          digest,
          problems,
          signatures: check,
          bundles,
        });
      } else {
        out(
          ok
            ? `RESULT: VALID: the index and the ${bundles.length} bundles it lists match`
            : `RESULT: INVALID (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
        );
        out(`index ${file}`);
        out(`  snapshot time    ${index.snapshotTime}`);
        for (const l of signatureLines(check, digest, [], 'index')) out(l);
        out('  bundles');
        for (const b of bundles) {
          out(
            `    ${b.entry.currency.padEnd(6)} ${b.problem === null ? 'digest matches' : `MISMATCH: ${b.problem}`}  ${b.entry.path}`,
          );
        }
        for (const p of problems) out(`  - ${p}`);
        if (ok)
          out(
            'Each bundle still needs its own check: zkreserve verify <bundle> (the digest binds what was signed).',
          );
      }
      if (!ok) throw new CliExit(EXIT_FAILED);
    });
}
