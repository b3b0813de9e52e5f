// Rows of the SQLite ledger file and their conversion to the ledger's types; amounts as four 32-bit limbs.
import type { AuditEvent, AuditEventType } from '../audit/event.js';
import type { StoredCurrency, TxInfo } from '../ledger/store.js';
import type { Account, OwnerType } from '../ledger/types.js';

export interface AccountRow {
  no: number;
  id: string;
  owner_type: string;
  currency: string;
  external_ref: string;
  opened_at: number;
}

export interface EventRow {
  seq: number;
  type: string;
  at: number;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface CurrencyRow {
  code: string;
  exponent: number;
  registered_at: number;
}

/** A transaction with its outcome and reversal (the `txInfo` statement). */
export interface TxInfoRow {
  no: number;
  initiated_at: number;
  reverses: string | null;
  outcome: 'SETTLED' | 'FAILED' | null;
  o_at: number | null;
  o_reason: string | null;
  r_at: number | null;
  r_reason: string | null;
  r_id: string | null;
}

export function toCurrency(r: CurrencyRow): StoredCurrency {
  return Object.freeze({ code: r.code, exponent: r.exponent, registeredAt: r.registered_at });
}

export function toAccount(r: AccountRow): Account {
  return Object.freeze({
    id: r.id,
    ownerType: r.owner_type as OwnerType,
    currency: r.currency,
    externalRef: r.external_ref,
    openedAt: r.opened_at,
  });
}

export function toEvent(r: EventRow): AuditEvent {
  return Object.freeze({
    sequence: r.seq,
    type: r.type as AuditEventType,
    at: r.at,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  });
}

export function toTxInfo(r: TxInfoRow): TxInfo {
  return {
    initiatedAt: r.initiated_at,
    reverses: r.reverses,
    outcome: r.outcome === null ? null : { outcome: r.outcome, at: r.o_at!, reason: r.o_reason },
    reversal: r.r_at === null ? null : { reversalTxId: r.r_id!, at: r.r_at, reason: r.r_reason! },
  };
}

const MASK32 = 0xffffffffn;

/** amount = a0 + a1*2^32 + a2*2^64 + a3*2^96, each limb in [0, 2^32): SQL SUM() of limbs stays exact in 64 bits. */
export function amountLimbs(amount: bigint): [number, number, number, number] {
  return [
    Number(amount & MASK32),
    Number((amount >> 32n) & MASK32),
    Number((amount >> 64n) & MASK32),
    Number((amount >> 96n) & MASK32),
  ];
}

/** The amount that summed limbs stand for (each sum may exceed 2^32). */
export function limbsAmount(sum: readonly bigint[]): bigint {
  return sum[0]! + (sum[1]! << 32n) + (sum[2]! << 64n) + (sum[3]! << 96n);
}
