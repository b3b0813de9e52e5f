// zkreserve reserve <ledger.db> --at T [--currency X] [--json]: the required-reserve report; exit 1 on a deficit.
import type { Command } from 'commander';
import { getCurrency } from '../../money/currency.js';
import { formatInstant, parseInstant } from '../../time.js';
import { withLedger } from '../ledger-file.js';
import { CliExit, EXIT_FAILED } from '../errors.js';
import { formatMinor, out, printJson } from '../../terminal/output.js';

const FIGURES = ['userLiabilities', 'pendingObligations', 'required', 'reserves', 'surplus'] as const;

export function registerReserve(program: Command): void {
  program
    .command('reserve')
    .description(
      'required-reserve report at a time: liabilities, pending obligations, reserves, surplus or deficit',
    )
    .argument('<ledger.db>', 'an existing ledger')
    .requiredOption('--at <time>', 'ISO-8601 instant, e.g. 2025-06-30T00:00:00Z')
    .option('--currency <code>', 'only this currency')
    .option('--json', 'machine-readable output (amounts in major units and in minor units)')
    .action(async (file: string, opts: { at: string; currency?: string; json?: boolean }) => {
      const at = parseInstant(opts.at, '--at');
      if (opts.currency !== undefined) getCurrency(opts.currency);
      const reports = await withLedger(file, (l) => l.requiredReserves(at, opts.currency));
      const rows = reports.map((r) => {
        const d = getCurrency(r.currency).exponent;
        return {
          currency: r.currency,
          decimals: d,
          ...Object.fromEntries(FIGURES.map((f) => [f, formatMinor(r[f], d)])),
          solvent: r.solvent,
          minorUnits: Object.fromEntries(FIGURES.map((f) => [f, r[f].toString()])),
        };
      });
      const solvent = reports.every((r) => r.solvent);
      if (opts.json) {
        printJson({ at: formatInstant(at), solvent, currencies: rows });
      } else {
        out(`required reserves at ${formatInstant(at)}`);
        if (rows.length === 0) out('  (no accounts open at this time)');
        for (const r of reports) {
          const d = getCurrency(r.currency).exponent;
          const f = (v: bigint) => formatMinor(v, d).padStart(28);
          out('');
          out(`${r.currency}`);
          out(`  user liabilities     ${f(r.userLiabilities)}`);
          out(`  pending obligations  ${f(r.pendingObligations)}`);
          out(`  required             ${f(r.required)}`);
          out(`  reserves             ${f(r.reserves)}`);
          out(
            `  ${r.solvent ? 'surplus ' : 'DEFICIT '}             ${f(r.surplus < 0n ? -r.surplus : r.surplus)}`,
          );
          out(`  ${r.solvent ? 'solvent' : 'INSOLVENT: reserves do not cover what is owed to users'}`);
        }
      }
      if (!solvent) throw new CliExit(EXIT_FAILED);
    });
}
