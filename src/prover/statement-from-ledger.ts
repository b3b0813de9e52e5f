// Adapter: a ledger snapshot at T -> the plain SolvencyStatement the tree and prover take.
import type { LedgerSnapshot, ReserveReport } from '../ledger/types.js';
import { getCurrency } from '../money/currency.js';
import type { SolvencyStatement } from '../tree/solvency-tree.js';
import { InvalidStatementError } from '../tree/errors.js';

/** The two ledger reads the adapter needs (sync or async). */
export interface LedgerSource {
  snapshot(at: number): LedgerSnapshot | Promise<LedgerSnapshot>;
  requiredReserves(at: number, currency?: string): ReserveReport[] | Promise<ReserveReport[]>;
}

/**
 * Users: every USER account of `currency` open at `at`, with its liability (max(0, settled) + pending
 * credits; a user who owes the platform counts 0). Reserves: the RESERVE accounts' settled total.
 */
export async function statementFromLedger(
  ledger: LedgerSource,
  at: number,
  currency: string,
): Promise<SolvencyStatement> {
  const decimals = getCurrency(currency).exponent;
  const snapshot = await ledger.snapshot(at);
  const reports = await ledger.requiredReserves(at, currency);
  const report = reports.find((r) => r.currency === currency);
  const users = snapshot.accounts
    .filter((a) => a.ownerType === 'USER' && a.currency === currency)
    .map((a) => ({ accountId: a.id, externalRef: a.externalRef, liability: a.liability }));
  const reserves = report?.reserves ?? 0n;
  const total = users.reduce((s, u) => s + u.liability, 0n);
  if (report && report.required !== total) {
    throw new InvalidStatementError(
      `ledger inconsistency: requiredReserves says ${report.required} but USER liabilities sum to ${total}`,
    );
  }
  return {
    currency,
    decimals,
    snapshotTime: snapshot.at,
    auditHead: { sequence: snapshot.auditHead.sequence, hash: snapshot.auditHead.hash },
    reserves,
    users,
  };
}
