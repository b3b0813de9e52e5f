// Shared fixtures for ledger tests.
import {
  Money,
  TransactionBuilder,
  makeTransaction,
  openMemoryLedger,
  openSqliteLedger,
} from '../../src/index.js';
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

/** A small history: 3 accounts, deposits, a settle, a failure, a reversal (12 events). */
export function populate(l: Ledger): { ids: string[] } {
  const at = { openedAt: T('00:00:00') };
  const reserve = l.openAccount('RESERVE', 'USD', 'bank', at);
  const alice = l.openAccount('USER', 'USD', 'alice', at);
  const bob = l.openAccount('USER', 'USD', 'bob', at);
  const dep = (to: typeof alice, amount: string, time: string) =>
    l.post(
      new TransactionBuilder('deposit', 'ops', { initiatedAt: T(time) })
        .transfer(reserve, to, usd(amount))
        .build(),
    );
  const a = dep(alice, '100.00', '01:00:00');
  const b = dep(bob, '50.00', '01:00:00');
  l.settle(a.id, T('02:00:00'));
  l.settle(b.id, T('02:00:00'));
  const c = dep(alice, '7.00', '03:00:00');
  l.fail(c.id, 'bounced', T('04:00:00'));
  l.reverse(b.id, T('05:00:00'), 'chargeback');
  return { ids: [a.id, b.id, c.id] };
}

/** ACME (4 decimals) registered, a reserve and a user in it, one settled deposit of 12.3456 ACME. */
export function acmeLedger(l: Ledger): { depositId: string } {
  l.registerCurrency('ACME', 4, { at: T('00:00:00') });
  const reserve = l.openAccount('RESERVE', 'ACME', 'vault', { openedAt: T('00:00:00') });
  const alice = l.openAccount('USER', 'ACME', 'alice', { openedAt: T('00:00:00') });
  const tx = l.post(
    new TransactionBuilder('deposit', 'ops', { initiatedAt: T('01:00:00') })
      .transfer(reserve, alice, Money.parse('12.3456', 'ACME', l.currencies))
      .build(),
  );
  l.settle(tx.id, T('02:00:00'));
  return { depositId: tx.id };
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
