// The operator's importer: balance CSV or JSON-lines history into a ledger, all-or-nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Ledger } from '../ledger/ledger.js';
import type { Instant } from '../time.js';
import { importBalances, parseBalanceCsv } from './balances.js';
import { ImportError } from './errors.js';
import { importJsonl, parseJsonl } from './jsonl.js';
import type { ImportSummary } from './summary.js';

export {
  DEFAULT_OPENING_TIME,
  OPENING_BALANCE_REF,
  BALANCE_COLUMNS,
  importBalances,
  parseBalanceCsv,
} from './balances.js';
export type { BalanceRow, ImportBalancesOptions } from './balances.js';
export { importJsonl, parseJsonl } from './jsonl.js';
export type { JsonlOp } from './jsonl.js';
export { parseCsv } from './csv.js';
export { ImportError, ImportRuleError } from './errors.js';
export type { ImportSummary } from './summary.js';

export type ImportFormat = 'csv' | 'jsonl';

/** The format of `file` by its extension (.csv, or .jsonl / .ndjson). */
export function formatOf(file: string): ImportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new ImportError(
    0,
    `unknown import format ${JSON.stringify(ext)}: expected .csv (balances) or .jsonl (transactions)`,
    file,
  );
}

/** Imports text in `format` into `ledger` (one batch: all or nothing). */
export function importText(
  ledger: Ledger,
  text: string,
  format: ImportFormat,
  options: { at?: Instant; source?: string } = {},
): ImportSummary {
  const source = options.source ?? 'input';
  if (format === 'csv') {
    const rows = parseBalanceCsv(text, source, ledger);
    return importBalances(ledger, rows, { source, ...(options.at !== undefined ? { at: options.at } : {}) });
  }
  if (options.at !== undefined) {
    throw new ImportError(
      0,
      'a time for opening balances applies to the balance CSV only: JSON lines carry their own times',
      source,
    );
  }
  return importJsonl(ledger, parseJsonl(text, source, ledger.currencies), { source });
}

/** Reads `file` (UTF-8) and imports it by its extension. */
export function importFile(ledger: Ledger, file: string, options: { at?: Instant } = {}): ImportSummary {
  const format = formatOf(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ImportError(0, `cannot read: ${(e as Error).message}`, file);
  }
  return importText(ledger, text, format, { ...options, source: file });
}
