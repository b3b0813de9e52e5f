// zkreserve reserves challenge|add|verify: the round's challenge, adding reserve evidence to a bundle, and
// checking it (docs/reserves.md).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readBundle } from '../../bundle-io/read.js';
import { writeReservesEvidence } from '../../bundle-io/write.js';
import { withLock } from '../../fs/lock.js';
import { getCurrency } from '../../money/currency.js';
import { addEvidence } from '../../reserves/add-evidence.js';
import { challengeForManifest, reservesChallenge } from '../../reserves/challenge.js';
import { formatInstant, parseInstant } from '../../time.js';
import { out, outLines, printJson } from '../../terminal/output.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { withLedger } from '../ledger-file.js';
import { coverageLine, evidenceReport, printEvidence, readCustodians } from '../reserves-output.js';

const isBundle = (p: string) => existsSync(path.join(p, 'manifest.json'));

async function challengeFrom(
  source: string,
  opts: { at?: string; currency?: string; operator: string },
): Promise<{
  challenge: string;
  currency: string;
  snapshotTime: string;
  auditHead: { sequence: number; hash: string };
}> {
  if (isBundle(source)) {
    const { manifest } = await readBundle(source, { partial: true });
    if (opts.currency !== undefined && opts.currency !== manifest.currency) {
      throw new CliUsageError(`the bundle is for ${manifest.currency}, not --currency ${opts.currency}`);
    }
    if (opts.at !== undefined && parseInstant(opts.at, '--at') !== parseInstant(manifest.snapshotTime)) {
      throw new CliUsageError(`the bundle's snapshot time is ${manifest.snapshotTime}, not --at ${opts.at}`);
    }
    const { sequence, hash } = manifest.auditHead;
    const challenge = challengeForManifest(manifest, opts.operator);
    return {
      challenge,
      currency: manifest.currency,
      snapshotTime: manifest.snapshotTime,
      auditHead: { sequence, hash },
    };
  }
  if (!existsSync(source) || !statSync(source).isFile())
    throw new CliUsageError(`${source} is neither a bundle directory nor a ledger file`);
  if (opts.at === undefined || opts.currency === undefined)
    throw new CliUsageError('from a ledger, --at and --currency are required');
  const at = parseInstant(opts.at, '--at');
  const currency = opts.currency;
  getCurrency(currency);
  const head = await withLedger(source, (l) => l.snapshot(at).auditHead);
  const auditHead = { sequence: head.sequence, hash: head.hash };
  const snapshotTime = formatInstant(at);
  return {
    challenge: reservesChallenge({ operator: opts.operator, currency, snapshotTime, auditHead }),
    currency,
    snapshotTime,
    auditHead,
  };
}

function registerChallenge(reserves: Command): void {
  reserves
    .command('challenge')
    .description("print the round's challenge that every reserve signature signs (known once T has passed)")
    .argument(
      '<bundle-or-ledger>',
      'a bundle directory (its manifest) or a ledger file (its audit head at T)',
    )
    .option('--at <time>', 'snapshot time T (ISO-8601); required with a ledger')
    .option('--currency <code>', 'the currency; required with a ledger')
    .requiredOption(
      '--operator <name>',
      'the operator name the challenge binds (1..64 printable ASCII characters)',
    )
    .option('--json', 'machine-readable output')
    .action(
      async (source: string, opts: { at?: string; currency?: string; operator: string; json?: boolean }) => {
        const c = await challengeFrom(source, opts);
        if (opts.json) printJson({ operator: opts.operator, ...c });
        // The exact challenge bytes (printable ASCII lines, so escaping changes nothing), then one newline
        // (not part of the challenge).
        else outLines(c.challenge);
      },
    );
}

function registerAdd(reserves: Command): void {
  reserves
    .command('add')
    .description(
      'check evidence items and append them to a bundle (refused, nothing written, if any item fails)',
    )
    .argument('<bundle-dir>', 'the bundle')
    .argument('<evidence.json>', 'an evidence file (docs/reserves.md) with the items to add')
    .option('--custodians <file>', 'pinned custodian keys, to check statements as verified')
    .action(async (dir: string, file: string, opts: { custodians?: string }) => {
      if (!isBundle(dir)) throw new CliUsageError(`${dir} is not a bundle (no manifest.json)`);
      let addition: unknown;
      try {
        addition = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new CliUsageError(`cannot read evidence file ${file}: ${(e as Error).message}`);
      }
      const custodians = readCustodians(opts.custodians);
      await withLock(path.join(dir, 'reserves', '.add.lock'), async () => {
        const bundle = await readBundle(dir, { partial: true });
        const { evidence, report } = await addEvidence(bundle, addition, { custodians });
        await writeReservesEvidence(dir, evidence);
        const added =
          evidence.items.length -
          ((bundle.reserves as { items?: unknown[] } | undefined)?.items?.length ?? 0);
        out(
          `added ${added} item(s) to ${path.join(dir, 'reserves', 'evidence.json')} (now ${evidence.items.length})`,
        );
        printEvidence(report, out);
      });
    });
}

function registerVerifyEvidence(reserves: Command): void {
  reserves
    .command('verify')
    .description(
      "check a bundle's reserve evidence: each item, and the evidenced total against the proven reserves",
    )
    .argument('<bundle-dir>', 'the bundle')
    .option('--custodians <file>', 'pinned custodian keys: an unpinned custodian is not counted')
    .option('--rpc <url>', 'an EVM JSON-RPC node: confirm balances, blocks and EIP-1271 wallets online')
    .option('--json', 'machine-readable result')
    .action(async (dir: string, opts: { custodians?: string; rpc?: string; json?: boolean }) => {
      if (!isBundle(dir)) throw new CliUsageError(`${dir} is not a bundle (no manifest.json)`);
      const report = await evidenceReport(await readBundle(dir, { partial: true }), opts);
      if (opts.json) printJson({ bundle: dir, ...report });
      else {
        out(
          report.ok
            ? `RESERVES EVIDENCED: ${coverageLine(report)}`
            : `RESERVES NOT EVIDENCED: ${coverageLine(report)}`,
        );
        printEvidence(report, out);
      }
      if (!report.ok) throw new CliExit(EXIT_FAILED);
    });
}

export function registerReserves(program: Command): void {
  const reserves = program
    .command('reserves')
    .description("reserve evidence: the round's challenge, adding signed evidence to a bundle, checking it");
  registerChallenge(reserves);
  registerAdd(reserves);
  registerVerifyEvidence(reserves);
}
