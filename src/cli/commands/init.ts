// zkreserve init <ledger.db>: creates an empty SQLite ledger; refuses an existing file.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openSqliteLedger } from '../../storage/open-ledger.js';
import { CliUsageError } from '../errors.js';
import { out } from '../../terminal/output.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a new, empty SQLite ledger file (refuses an existing file)')
    .argument('<ledger.db>', 'path of the ledger file to create')
    .action((file: string) => {
      if (existsSync(file)) throw new CliUsageError(`${file} already exists: refusing to overwrite it`);
      openSqliteLedger(file).close();
      out(`created ledger ${file}`);
    });
}
