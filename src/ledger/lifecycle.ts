// A posted transaction's lifecycle: PENDING -> SETTLED | FAILED, SETTLED -> REVERSED (by a compensating
// transaction), each step an audit event; and the record of where a transaction stands.
import { HEX64_RE } from '../audit/tagged-hash.js';
import { InvalidArgumentError } from '../errors.js';
import { canonicalJson } from '../util/canonical-json.js';
import { formatInstant } from '../time.js';
import { TimeOrderError, TransactionStateError, UnknownTransactionError } from './errors.js';
import { insertPosted } from './posting.js';
import type { LedgerStore, TxInfo } from './store.js';
import { makeTransaction, verifiedTransaction } from './transaction.js';
import type { Transaction, TransactionRecord, TxStatus } from './types.js';
import type { WriteSession } from './write-session.js';

export function statusOf(info: TxInfo): TxStatus {
  if (info.reversal) return 'REVERSED';
  return info.outcome ? info.outcome.outcome : 'PENDING';
}

/** The lifecycle of stored transaction `id`; UnknownTransactionError if there is none. */
function txInfo(store: LedgerStore, id: string): TxInfo {
  if (typeof id !== 'string') throw new InvalidArgumentError('transaction id must be a string');
  // Ids are lowercase hex (SQLite's unhex() would also accept uppercase: both stores must agree).
  if (!HEX64_RE.test(id)) throw new UnknownTransactionError(id);
  const info = store.getTxInfo(id);
  if (!info) throw new UnknownTransactionError(id);
  return info;
}

/** Inside a write: PENDING -> SETTLED at `at` (not before initiation, not before the latest audit event). */
export function settleTransaction(session: WriteSession, id: string, at: number): void {
  const info = txInfo(session.store, id);
  const status = statusOf(info);
  if (status !== 'PENDING') {
    throw new TransactionStateError(
      status === 'SETTLED'
        ? `transaction ${id} is already settled (at ${formatInstant(info.outcome!.at)})`
        : `cannot settle transaction ${id}: it is ${status}`,
    );
  }
  if (at < info.initiatedAt) {
    throw new TimeOrderError(
      `settledAt ${formatInstant(at)} is before the transaction's initiation ${formatInstant(info.initiatedAt)}`,
    );
  }
  session.checkTime(at, 'settledAt');
  session.writer().insertOutcome(id, { outcome: 'SETTLED', at, reason: null });
  // Canonical: keys "at" < "txId"; `id` names a stored transaction, so it is 64 hex digits.
  session.append('TX_SETTLED', `{"at":${at},"txId":"${id}"}`, at);
}

/** Inside a write: PENDING -> FAILED at `t`. */
export function failTransaction(session: WriteSession, id: string, reason: string, t: number): void {
  const info = txInfo(session.store, id);
  const status = statusOf(info);
  if (status !== 'PENDING') throw new TransactionStateError(`cannot fail transaction ${id}: it is ${status}`);
  if (t < info.initiatedAt) {
    throw new TimeOrderError(
      `failedAt ${formatInstant(t)} is before the initiation ${formatInstant(info.initiatedAt)}`,
    );
  }
  session.checkTime(t, 'failedAt');
  session.writer().insertOutcome(id, { outcome: 'FAILED', at: t, reason });
  session.append('TX_FAILED', canonicalJson({ txId: id, at: t, reason }), t);
}

/**
 * Inside a write: SETTLED -> REVERSED. Posts and settles (at `t`) a compensating transaction with every
 * entry's side swapped, linked to the original, and returns it. The original stays settled.
 */
export function reverseTransaction(
  session: WriteSession,
  id: string,
  t: number,
  reason: string,
): Transaction {
  const store = session.store;
  const info = txInfo(store, id);
  const status = statusOf(info);
  if (status !== 'SETTLED') {
    throw new TransactionStateError(
      `cannot reverse transaction ${id}: it is ${status}${status === 'PENDING' ? ' (fail it instead)' : ''}`,
    );
  }
  if (info.reverses !== null) throw new TransactionStateError(`transaction ${id} is itself a reversal`);
  if (t < info.outcome!.at) {
    throw new TimeOrderError(
      `reversedAt ${formatInstant(t)} is before the settlement ${formatInstant(info.outcome!.at)}`,
    );
  }
  session.checkTime(t, 'reversedAt');
  const original = store.getTransaction(id)!;
  const comp = makeTransaction({
    purpose: 'REVERSAL',
    initiator: original.initiator,
    initiatedAt: t,
    entries: original.entries.map((e) => ({ ...e, side: e.side === 'DEBIT' ? 'CREDIT' : 'DEBIT' })),
    references: [],
    metadata: { reason },
    idempotencyKey: null,
    reverses: id,
  });
  const { bodyJson } = verifiedTransaction(comp);
  insertPosted(session, comp, bodyJson);
  session.writer().insertOutcome(comp.id, { outcome: 'SETTLED', at: t, reason: null });
  session.append('TX_SETTLED', canonicalJson({ txId: comp.id, at: t }), t);
  session.writer().insertReversal(id, { reversalTxId: comp.id, at: t, reason });
  session.append('TX_REVERSED', canonicalJson({ txId: id, reversalTxId: comp.id, at: t, reason }), t);
  return comp;
}

/** Where stored transaction `id` stands; undefined for an unknown (or non-hex) id. */
export function transactionRecord(store: LedgerStore, id: string): TransactionRecord | undefined {
  if (typeof id !== 'string' || !HEX64_RE.test(id)) return undefined;
  const info = store.getTxInfo(id);
  if (!info) return undefined;
  const o = info.outcome;
  return Object.freeze({
    transaction: store.getTransaction(id)!,
    status: statusOf(info),
    settledAt: o?.outcome === 'SETTLED' ? o.at : null,
    failedAt: o?.outcome === 'FAILED' ? o.at : null,
    failReason: o?.outcome === 'FAILED' ? o.reason : null,
    reversedAt: info.reversal?.at ?? null,
    reversalId: info.reversal?.reversalTxId ?? null,
    reversalReason: info.reversal?.reason ?? null,
  });
}
