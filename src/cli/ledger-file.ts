// Opening the ledger file a command names: it must exist (openSqliteLedger would create a new one).
import { existsSync, statSync } from 'node:fs';
import type { Ledger } from '../ledger/ledger.js';
import { openSqliteLedger } from '../storage/open-ledger.js';
import { CliUsageError } from './errors.js';

export function openExistingLedger(file: string): Ledger {
  if (!existsSync(file))
    throw new CliUsageError(`no ledger file ${file} (create one with: zkreserve init ${file})`);
  if (!statSync(file).isFile()) throw new CliUsageError(`${file} is not a file`);
  return openSqliteLedger(file);
}

/** Runs `fn` with the ledger open, closing it afterwards. */
export async function withLedger<T>(file: string, fn: (ledger: Ledger) => T | Promise<T>): Promise<T> {
  const ledger = openExistingLedger(file);
  try {
    return await fn(ledger);
  } finally {
    ledger.close();
  }
}
