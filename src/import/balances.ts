// The balance CSV importer: one row per account with its opening balance, posted as a settled transaction
// against a per-currency opening-balance account (CLEARING "opening-balance"), so double entry holds.
// docs/import-formats.md describes the format.
import { accountId, assertExternalRef } from '../ledger/account.js';
import type { Ledger } from '../ledger/ledger.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import type { OwnerType } from '../ledger/types.js';
import { OWNER_TYPES, isDebitNormal } from '../ledger/types.js';
import { formatAmount, parseAmount } from '../money/amount.js';
import { defaultCurrencies } from '../money/currency.js';
import { Money } from '../money/money.js';
import type { Instant } from '../time.js';
import { formatInstant, parseInstant } from '../time.js';
import { parseCsv } from './csv.js';
import { ImportError, ImportRuleError, atLine } from './errors.js';
import type { ImportSummary } from './summary.js';

/** Opening balances are dated here unless the operator passes a time (never the wall clock). */
export const DEFAULT_OPENING_TIME = '2000-01-01T00:00:00.000Z';
/** External ref of the per-currency CLEARING account that opening balances are booked against. */
export const OPENING_BALANCE_REF = 'opening-balance';
export const BALANCE_COLUMNS = ['external_ref', 'owner_type', 'currency', 'balance'] as const;

export interface BalanceRow {
  line: number;
  externalRef: string;
  ownerType: OwnerType;
  currency: string;
  /** Signed minor units on the account's normal side. */
  balance: bigint;
}

const OWNER_SET = new Set<string>(OWNER_TYPES);

/** Parses and validates the whole file; throws ImportError at the first bad line. Nothing touches a ledger. */
export function parseBalanceCsv(text: string, source = 'input', ledger?: Ledger): BalanceRow[] {
  const records = parseCsv(text, source);
  const header = records[0];
  if (!header)
    throw new ImportError(
      0,
      'empty file: expected the header external_ref,owner_type,currency,balance',
      source,
    );
  const index = new Map<string, number>();
  header.fields.forEach((name, i) => {
    if (!(BALANCE_COLUMNS as readonly string[]).includes(name)) {
      throw new ImportError(
        header.line,
        `unknown column ${JSON.stringify(name)}: the header must be ${BALANCE_COLUMNS.join(',')}`,
        source,
      );
    }
    if (index.has(name)) throw new ImportError(header.line, `column ${name} appears twice`, source);
    index.set(name, i);
  });
  for (const c of BALANCE_COLUMNS) {
    if (!index.has(c)) throw new ImportError(header.line, `missing column ${c}`, source);
  }
  const currencies = ledger?.currencies ?? defaultCurrencies;
  const seen = new Map<string, number>();
  const rows: BalanceRow[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== header.fields.length) {
      throw new ImportError(
        r.line,
        `expected ${header.fields.length} fields, found ${r.fields.length}`,
        source,
      );
    }
    const get = (c: (typeof BALANCE_COLUMNS)[number]): string => r.fields[index.get(c)!]!;
    rows.push(
      atLine(r.line, source, () => {
        const externalRef = get('external_ref');
        const ownerType = get('owner_type');
        const currency = get('currency');
        if (externalRef.length === 0) throw new ImportRuleError('external_ref is empty');
        assertExternalRef(externalRef);
        if (!OWNER_SET.has(ownerType)) {
          throw new ImportRuleError(
            `unknown owner_type ${JSON.stringify(ownerType)}: expected one of ${OWNER_TYPES.join(', ')}`,
          );
        }
        if (ownerType === 'CLEARING' && externalRef === OPENING_BALANCE_REF) {
          throw new ImportRuleError(
            `CLEARING ${OPENING_BALANCE_REF} is the importer's own opening-balance account`,
          );
        }
        if (!/^[A-Z0-9]{1,31}$/.test(currency) || !currencies.has(currency)) {
          throw new ImportRuleError(`unknown currency ${JSON.stringify(currency)}`);
        }
        const balance = parseAmount(get('balance'), currency, currencies, { strict: true });
        const id = accountId(ownerType as OwnerType, currency, externalRef);
        const first = seen.get(id);
        if (first !== undefined) {
          throw new ImportRuleError(
            `duplicate row: ${ownerType} ${JSON.stringify(externalRef)} ${currency} is already on line ${first}`,
          );
        }
        seen.set(id, r.line);
        return { line: r.line, externalRef, ownerType: ownerType as OwnerType, currency, balance };
      }),
    );
  }
  return rows;
}

export interface ImportBalancesOptions {
  /** When the opening balances are booked (default DEFAULT_OPENING_TIME). */
  at?: Instant;
  source?: string;
}

/**
 * Opens each row's account and books its balance as a settled opening-balance transaction at `at`, all in one
 * ledger batch. Re-importing the same rows is a no-op; a row whose account already exists with another
 * balance at `at` is refused with its line.
 */
export function importBalances(
  ledger: Ledger,
  rows: readonly BalanceRow[],
  options: ImportBalancesOptions = {},
): ImportSummary {
  const source = options.source ?? 'input';
  const at = parseInstant(options.at ?? DEFAULT_OPENING_TIME, 'opening-balance time');
  const summary: ImportSummary = {
    format: 'balances-csv',
    rows: rows.length,
    accountsOpened: 0,
    transactionsPosted: 0,
    lifecycleChanges: 0,
    unchanged: 0,
  };
  const fmt = (v: bigint, c: string) => formatAmount(v, c, ledger.currencies);
  ledger.batch(() => {
    const opening = new Map<string, string>();
    const openingAccount = (currency: string): string => {
      let id = opening.get(currency);
      if (id === undefined) {
        id = accountId('CLEARING', currency, OPENING_BALANCE_REF);
        if (!ledger.getAccount(id)) {
          ledger.openAccount('CLEARING', currency, OPENING_BALANCE_REF, { openedAt: at });
          summary.accountsOpened++;
        }
        opening.set(currency, id);
      }
      return id;
    };
    for (const row of rows) {
      atLine(row.line, source, () => {
        const id = accountId(row.ownerType, row.currency, row.externalRef);
        const label = `${row.ownerType} ${JSON.stringify(row.externalRef)} (${row.currency})`;
        if (ledger.getAccount(id)) {
          let held: bigint;
          try {
            held = ledger.balance(id, at).settled;
          } catch {
            throw new ImportRuleError(`${label} already exists but opens after ${formatInstant(at)}`);
          }
          if (held !== row.balance) {
            throw new ImportRuleError(
              `${label} already holds ${fmt(held, row.currency)} at ${formatInstant(at)}, this file says ` +
                `${fmt(row.balance, row.currency)}: an imported balance cannot be changed by re-importing (post a correcting transaction)`,
            );
          }
          summary.unchanged++;
          return;
        }
        const clearing = openingAccount(row.currency);
        ledger.openAccount(row.ownerType, row.currency, row.externalRef, { openedAt: at });
        summary.accountsOpened++;
        if (row.balance === 0n) return;
        const abs = Money.of(row.balance < 0n ? -row.balance : row.balance, row.currency, ledger.currencies);
        // transfer(from, to) debits `from` and credits `to`; the balance is on the account's normal side.
        const debitAccount = isDebitNormal(row.ownerType) === row.balance > 0n;
        const b = new TransactionBuilder('opening-balance', 'zkreserve import', { initiatedAt: at })
          .metadata('source', 'balances-csv')
          .idempotencyKey(`opening-balance/${id}`);
        if (debitAccount) b.transfer(id, clearing, abs);
        else b.transfer(clearing, id, abs);
        const tx = ledger.post(b.build());
        ledger.settle(tx.id, at);
        summary.transactionsPosted++;
      });
    }
  });
  return summary;
}
