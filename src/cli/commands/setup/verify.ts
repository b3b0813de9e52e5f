// zkreserve setup verify (--dir <ceremony-dir> | --keys <keys-dir> --ptau <file>): anyone re-checks a setup.
import type { Command } from 'commander';
import {
  readReceipt,
  setupVerify,
  verifyKeyExport,
  type ContributionReceipt,
  type VerifyReport,
} from '../../../setup/ceremony/index.js';
import { out } from '../../../terminal/output.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../../errors.js';
import { collect, notes } from './common.js';

interface SetupVerifyOptions {
  dir?: string;
  keys?: string;
  ptau?: string;
  receipt?: string[];
  circuit?: string[];
}

export function registerSetupVerify(setup: Command): void {
  setup
    .command('verify')
    .description(
      'verify a ceremony (--dir) or a key export (--keys): ptau, every contribution, the final keys, and the ' +
        "contributors' published receipts",
    )
    .option('--dir <ceremony-dir>', 'ceremony directory')
    .option(
      '--keys <keys-dir>',
      'a key export (setup export): checked against --dir, or on its own with --ptau',
    )
    .option(
      '--ptau <file>',
      "phase-1 file to check against (default: the ceremony's copy; required with --keys alone)",
    )
    .option('--receipt <file>', 'a receipt a contributor published (repeatable, in chain order)', collect)
    .option('--circuit <name>', 'verify only this circuit (repeatable; default: all)', collect)
    .action(async (opts: SetupVerifyOptions) => {
      if (opts.dir === undefined && opts.keys === undefined)
        throw new CliUsageError('give --dir <ceremony-dir> or --keys <keys-dir> (or both)');
      if (opts.dir === undefined && opts.ptau === undefined)
        throw new CliUsageError(
          '--keys without --dir needs --ptau <file>: the phase-1 file the keys were made from',
        );
      const receipts: ContributionReceipt[] = [];
      for (const file of opts.receipt ?? []) receipts.push(await readReceipt(file));
      const r = await runVerify(opts, receipts);
      const what = opts.dir !== undefined ? 'ceremony' : `key export ${opts.keys!}`;
      printReport(r);
      if (r.ok)
        out(`${what} verifies${receipts.length > 0 ? ` (with ${receipts.length} published receipts)` : ''}`);
      else throw new CliExit(EXIT_FAILED, `${what} does NOT verify: ${r.reasons.join('; ')}`);
    });
}

/** setupVerify with --dir (and --keys, --ptau when given), else verifyKeyExport of --keys with --ptau. */
function runVerify(opts: SetupVerifyOptions, receipts: ContributionReceipt[]): Promise<VerifyReport> {
  const common = {
    onProgress: notes(),
    ...(receipts.length > 0 ? { receipts } : {}),
    ...(opts.circuit ? { circuits: opts.circuit } : {}),
  };
  return opts.dir !== undefined
    ? setupVerify(opts.dir, {
        ...common,
        ...(opts.keys !== undefined ? { keysDir: opts.keys } : {}),
        ...(opts.ptau !== undefined ? { ptauFile: opts.ptau } : {}),
      })
    : verifyKeyExport(opts.keys!, { ...common, ptauFile: opts.ptau! });
}

function printReport(r: VerifyReport): void {
  out(`ptau 2^${r.ptau.power} (${r.ptau.origin}): ${r.ptau.ok ? 'ok' : 'BAD'}`);
  for (const c of r.circuits) out(`  ${c.name}: ${c.ok ? 'ok' : `BAD: ${c.reasons.join('; ')}`}`);
  for (const t of r.transcript) out(`  #${t.index} ${t.type} by ${t.name}`);
  for (const x of r.receipts) {
    out(`  receipt #${x.index} ${x.name}: ${x.ok ? 'matches the chain' : `BAD: ${x.reasons.join('; ')}`}`);
  }
  for (const w of r.warnings) out(`warning: ${w}`);
}
