// Balance, liability and required-reserve arithmetic: account snapshots from the store's sums, reserve reports
// from snapshots.
import type { AccountAggregate } from './store.js';
import type { AccountSnapshot, ReserveReport } from './types.js';
import { isDebitNormal } from './types.js';

/** A USER's liability at T: max(0, settled) + pending credits. Negative balances count as 0 and never offset others. */
export function userLiability(settled: bigint, pendingCredits: bigint): bigint {
  return (settled > 0n ? settled : 0n) + pendingCredits;
}

/** An account's balances at T from its entry sums at T: settled on its normal side, pending, liability. */
export function accountSnapshot(a: AccountAggregate): AccountSnapshot {
  const { id, ownerType, currency, externalRef } = a.account;
  const settled = isDebitNormal(ownerType)
    ? a.settledDebits - a.settledCredits
    : a.settledCredits - a.settledDebits;
  return {
    id,
    ownerType,
    currency,
    externalRef,
    settled,
    pendingCredits: a.pendingCredits,
    pendingDebits: a.pendingDebits,
    liability: ownerType === 'USER' ? userLiability(settled, a.pendingCredits) : 0n,
  };
}

/** Per-currency required reserves from a snapshot's accounts, for the given currencies (sorted). */
export function reserveReports(
  accounts: readonly AccountSnapshot[],
  currencies: readonly string[],
): ReserveReport[] {
  const acc = new Map<string, { liabilities: bigint; pending: bigint; reserves: bigint }>();
  for (const c of currencies) acc.set(c, { liabilities: 0n, pending: 0n, reserves: 0n });
  for (const a of accounts) {
    const r = acc.get(a.currency);
    if (!r) continue;
    if (a.ownerType === 'USER') {
      r.liabilities += a.settled > 0n ? a.settled : 0n;
      r.pending += a.pendingCredits;
    } else if (a.ownerType === 'RESERVE') {
      r.reserves += a.settled;
    }
  }
  return [...acc.keys()].sort().map((currency) => {
    const r = acc.get(currency)!;
    const required = r.liabilities + r.pending;
    const surplus = r.reserves - required;
    return Object.freeze({
      currency,
      userLiabilities: r.liabilities,
      pendingObligations: r.pending,
      required,
      reserves: r.reserves,
      surplus,
      solvent: surplus >= 0n,
    });
  });
}
