// Shared fixtures for ledger tests.
import { Money, makeTransaction, openMemoryLedger, openSqliteLedger } from '../../src/index.js';
import type { Account, Ledger, Transaction } from '../../src/index.js';

export const T = (iso: string): number => Date.parse(`2026-01-01T${iso}Z`);
export const usd = (s: string): Money => Money.parse(s, 'USD');
export const eur = (s: string): Money => Money.parse(s, 'EUR');

export type Kind = 'memory' | 'sqlite';
export const KINDS: Kind[] = ['memory', 'sqlite'];

export function makeLedger(kind: Kind): Ledger {
  return kind === 'memory' ? openMemoryLedger() : openSqliteLedger(':memory:');
}

export interface World {
  ledger: Ledger;
  reserve: Account;
  alice: Account;
  bob: Account;
  fee: Account;
  clearing: Account;
  reserveEur: Account;
  aliceEur: Account;
  fxUsd: Account;
  fxEur: Account;
}

/** A ledger with USD and EUR accounts all opened at 00:00. */
export function world(kind: Kind): World {
  const ledger = makeLedger(kind);
  const at = { openedAt: T('00:00:00') };
  return {
    ledger,
    reserve: ledger.openAccount('RESERVE', 'USD', 'bank-usd', at),
    alice: ledger.openAccount('USER', 'USD', 'alice', at),
    bob: ledger.openAccount('USER', 'USD', 'bob', at),
    fee: ledger.openAccount('FEE', 'USD', 'fees', at),
    clearing: ledger.openAccount('CLEARING', 'USD', 'psp-usd', at),
    reserveEur: ledger.openAccount('RESERVE', 'EUR', 'bank-eur', at),
    aliceEur: ledger.openAccount('USER', 'EUR', 'alice', at),
    fxUsd: ledger.openAccount('FX_GAIN_LOSS', 'USD', 'fx', at),
    fxEur: ledger.openAccount('FX_GAIN_LOSS', 'EUR', 'fx', at),
  };
}

/** The fields of a two-entry USD transfer that the transaction-body serializer tests vary. */
export interface BodyFields {
  purpose: string;
  initiator: string;
  metadata: Record<string, string>;
  references: string[];
  idempotencyKey: string | null;
  amount: bigint;
}

/** A DEBIT/CREDIT pair between two fixed accounts, with the given body fields (serializer tests). */
export function twoEntryTransaction(f: BodyFields): Transaction {
  const acct = (c: string) => c.repeat(64);
  return makeTransaction({
    purpose: f.purpose,
    initiator: f.initiator,
    initiatedAt: 1_767_225_600_000,
    entries: [
      { account: acct('a'), currency: 'USD', side: 'DEBIT', amount: f.amount },
      { account: acct('b'), currency: 'USD', side: 'CREDIT', amount: f.amount },
    ],
    references: f.references,
    metadata: f.metadata,
    idempotencyKey: f.idempotencyKey,
    reverses: null,
  });
}
