// zkreserve import <ledger.db> <file.csv|file.jsonl> [--at T]: the operator's own export, all or nothing.
import type { Command } from 'commander';
import { DEFAULT_OPENING_TIME, importFile } from '../../import/index.js';
import { formatInstant, parseInstant } from '../../time.js';
import { withLedger } from '../ledger-file.js';
import { out, printJson } from '../../terminal/output.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import a balance CSV (external_ref,owner_type,currency,balance) or a JSON-lines transaction history ' +
        '(docs/import-formats.md); all or nothing, re-importing the same file is a no-op',
    )
    .argument('<ledger.db>', 'an existing ledger (zkreserve init)')
    .argument('<file>', 'a .csv balance file or a .jsonl transaction file')
    .option('--at <time>', `ISO-8601 time of the CSV opening balances (default ${DEFAULT_OPENING_TIME})`)
    .option('--json', 'print the summary as JSON')
    .action(async (ledgerFile: string, file: string, opts: { at?: string; json?: boolean }) => {
      const at = opts.at === undefined ? undefined : parseInstant(opts.at, '--at');
      const summary = await withLedger(ledgerFile, (ledger) =>
        importFile(ledger, file, at === undefined ? {} : { at }),
      );
      if (opts.json) return printJson(summary);
      out(
        `imported ${file} (${summary.format}): ${summary.rows} rows, ${summary.accountsOpened} accounts opened, ` +
          `${summary.transactionsPosted} transactions posted, ${summary.lifecycleChanges} settle/fail/reverse, ` +
          `${summary.unchanged} already present`,
      );
      if (summary.format === 'balances-csv') {
        out(`opening balances dated ${formatInstant(at ?? parseInstant(DEFAULT_OPENING_TIME))}`);
      }
    });
}
