// A ledger write and its audit event are one atomic storage transaction, in both store adapters.
import { describe, expect, it } from 'vitest';
import { MemoryStore, SqliteStore, TransactionBuilder, openLedger } from '../../src/index.js';
import type { AuditEvent, LedgerStore } from '../../src/index.js';
import { KINDS, T, usd } from '../ledger/helpers.js';

class FailingMemoryStore extends MemoryStore {
  failAppend = false;
  override appendEvent(e: AuditEvent): void {
    if (this.failAppend) throw new Error('injected failure');
    super.appendEvent(e);
  }
}

class FailingStore extends SqliteStore {
  failAppend = false;
  override appendEvent(e: AuditEvent): void {
    if (this.failAppend) throw new Error('injected failure between the table write and the audit append');
    super.appendEvent(e);
  }
}

describe('atomicity of a write and its audit event', () => {
  it('leaves neither the table row nor the event when the append fails', () => {
    const store = new FailingStore(':memory:');
    const l = openLedger(store);
    const count = (t: string) => store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    const reserve = l.openAccount('RESERVE', 'USD', 'bank', { openedAt: T('00:00:00') });
    const head = l.head;

    store.failAppend = true;
    expect(() => l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') })).toThrow(/injected/);
    expect(count('accounts')).toBe(1);
    expect(count('audit_events')).toBe(1);
    expect(l.head).toEqual(head);

    store.failAppend = false;
    const alice = l.openAccount('USER', 'USD', 'alice', { openedAt: T('00:00:00') });
    const tx = new TransactionBuilder('deposit', 'ops', { initiatedAt: T('01:00:00') })
      .transfer(reserve, alice, usd('1.00'))
      .build();
    store.failAppend = true;
    expect(() => l.post(tx)).toThrow(/injected/);
    expect([count('transactions'), count('entries'), count('audit_events')]).toEqual([0, 0, 2]);

    store.failAppend = false;
    l.post(tx);
    store.failAppend = true;
    expect(() => l.settle(tx.id, T('02:00:00'))).toThrow(/injected/);
    expect(count('tx_outcomes')).toBe(0);
    expect(l.getTransaction(tx.id)!.status).toBe('PENDING');

    store.failAppend = false;
    l.settle(tx.id, T('02:00:00'));
    store.failAppend = true;
    expect(() => l.reverse(tx.id, T('03:00:00'), 'x')).toThrow(/injected/);
    expect([count('transactions'), count('tx_reversals'), count('tx_outcomes')]).toEqual([1, 0, 1]);

    store.failAppend = false;
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 4 });
    expect(l.replayBalances().ok).toBe(true);
    expect(l.balance(alice.id, T('02:00:00')).settled).toBe(100n);
  });

  it.each(KINDS)('rolls a batch back as a whole when a caught write failed mid-way (%s)', (kind) => {
    const store = kind === 'sqlite' ? new FailingStore(':memory:') : new FailingMemoryStore();
    const l = openLedger(store);
    l.openAccount('USER', 'USD', 'first', { openedAt: 0 });
    const head = l.head;
    expect(() =>
      l.batch(() => {
        l.openAccount('USER', 'USD', 'a', { openedAt: 0 });
        store.failAppend = true;
        expect(() => l.openAccount('USER', 'USD', 'b', { openedAt: 0 })).toThrow(/injected/);
        store.failAppend = false;
        l.openAccount('USER', 'USD', 'c', { openedAt: 0 });
      }),
    ).toThrow(/batch rolled back.*injected/);
    expect(store.countAccounts()).toBe(1);
    expect(l.head).toEqual(head);
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 1 });
    // a write refused by a rule (nothing stored) can be caught and the batch goes on
    l.batch(() => {
      l.openAccount('USER', 'USD', 'a', { openedAt: 0 });
      expect(() => l.openAccount('USER', 'USD', 'a', { openedAt: 0 })).toThrow(/already open/);
      expect(() => l.openAccount('USER', 'USD', 'z', { openedAt: -1 })).toThrow(/out of range/);
      l.openAccount('USER', 'USD', 'c', { openedAt: 0 });
    });
    expect(store.countAccounts()).toBe(3);
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 3 });
    expect(l.replayBalances().ok).toBe(true);
  });

  it('memory store rolls back the same way', () => {
    class FailingMemory extends MemoryStore {
      fail = false;
      override appendEvent(e: AuditEvent): void {
        if (this.fail) throw new Error('injected');
        super.appendEvent(e);
      }
    }
    const store = new FailingMemory();
    const l = openLedger(store as LedgerStore);
    store.fail = true;
    expect(() => l.openAccount('USER', 'USD', 'alice', { openedAt: 0 })).toThrow(/injected/);
    expect(store.countAccounts()).toBe(0);
    store.fail = false;
    l.openAccount('USER', 'USD', 'alice', { openedAt: 0 });
    expect(l.verifyChain()).toMatchObject({ ok: true, length: 1 });
  });
});
