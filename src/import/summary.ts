// What an import did.
export interface ImportSummary {
  format: 'balances-csv' | 'transactions-jsonl';
  /** Data rows / lines read. */
  rows: number;
  accountsOpened: number;
  transactionsPosted: number;
  /** settle / fail / reverse applied. */
  lifecycleChanges: number;
  /** Rows already in the ledger exactly as the file says (a re-import). */
  unchanged: number;
}
