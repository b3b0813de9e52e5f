// Ledger data model. Money is always bigint minor units; times are integer Unix ms.
import type { AuditHead } from '../audit/event.js';

export const OWNER_TYPES = [
  'USER',
  'PLATFORM',
  'RESERVE',
  'FEE',
  'FX_GAIN_LOSS',
  'REGULATORY',
  'CLEARING',
] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

/** RESERVE and CLEARING are debit-normal (balance = debits - credits); every other type is credit-normal. */
export const DEBIT_NORMAL: ReadonlySet<OwnerType> = new Set<OwnerType>(['RESERVE', 'CLEARING']);

export function isDebitNormal(ownerType: OwnerType): boolean {
  return DEBIT_NORMAL.has(ownerType);
}

export interface Account {
  /** SHA-256 hex of H("zkreserve/1/account", ownerType, currency, externalRef). */
  readonly id: string;
  readonly ownerType: OwnerType;
  readonly currency: string;
  readonly externalRef: string;
  readonly openedAt: number;
}

export type EntrySide = 'DEBIT' | 'CREDIT';

export interface Entry {
  readonly account: string;
  readonly currency: string;
  readonly side: EntrySide;
  /** Strictly positive minor units, < 2^128. */
  readonly amount: bigint;
}

export interface Transaction {
  /** SHA-256 hex of H("zkreserve/1/transaction", canonical JSON of every other field). */
  readonly id: string;
  readonly purpose: string;
  readonly initiator: string;
  readonly initiatedAt: number;
  readonly entries: readonly Entry[];
  readonly references: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly idempotencyKey: string | null;
  /** For a compensating transaction made by `ledger.reverse`: the id of the reversed transaction. */
  readonly reverses: string | null;
}

export type TxStatus = 'PENDING' | 'SETTLED' | 'FAILED' | 'REVERSED';

export interface TransactionRecord {
  readonly transaction: Transaction;
  readonly status: TxStatus;
  readonly settledAt: number | null;
  readonly failedAt: number | null;
  readonly failReason: string | null;
  readonly reversedAt: number | null;
  readonly reversalId: string | null;
  readonly reversalReason: string | null;
}

export interface AccountSnapshot {
  readonly id: string;
  readonly ownerType: OwnerType;
  readonly currency: string;
  readonly externalRef: string;
  /** Settled balance on the account's normal side. */
  readonly settled: bigint;
  /** Sum of credit entries of transactions pending at T (initiated <= T, neither settled nor failed by T). */
  readonly pendingCredits: bigint;
  /** Sum of debit entries of transactions pending at T. */
  readonly pendingDebits: bigint;
  /** USER: max(0, settled) + pendingCredits; 0n for every other owner type. */
  readonly liability: bigint;
}

export interface LedgerSnapshot {
  readonly at: number;
  /** Every account opened at or before `at`, sorted by id (ascending hex). */
  readonly accounts: AccountSnapshot[];
  readonly auditHead: AuditHead;
}

export interface ReserveReport {
  readonly currency: string;
  /** Sum over USER accounts of max(0, settled). */
  readonly userLiabilities: bigint;
  /** Sum over USER accounts of pending credits (deposits in flight). */
  readonly pendingObligations: bigint;
  /** userLiabilities + pendingObligations (= sum of USER liabilities). */
  readonly required: bigint;
  /** Sum of settled balances of RESERVE accounts. */
  readonly reserves: bigint;
  /** reserves - required; negative means a deficit. */
  readonly surplus: bigint;
  readonly solvent: boolean;
}
