// The audit chain: every write linked and hashed as documented, verified, replayed; the head at T.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_TAG,
  GENESIS_HASH,
  computeEventHash,
  eventHashInput,
  openMemoryLedger,
  openSqliteLedger,
  verifyAuditChain,
} from '../../src/index.js';
import type { AuditEvent } from '../../src/index.js';
import { KINDS, T, populate } from './helpers.js';

describe('audit chain', () => {
  it.each(KINDS)('links every write and verifies (%s)', (kind) => {
    const l = kind === 'memory' ? openMemoryLedger() : openSqliteLedger(':memory:');
    expect(l.head).toEqual({ sequence: 0, hash: GENESIS_HASH, at: 0 });
    expect(l.verifyChain()).toEqual({ ok: true, length: 0, head: l.head });
    populate(l);
    const events = [...l.auditEvents()];
    expect(events.map((e) => e.type)).toEqual([
      'ACCOUNT_OPENED',
      'ACCOUNT_OPENED',
      'ACCOUNT_OPENED',
      'TX_POSTED',
      'TX_POSTED',
      'TX_SETTLED',
      'TX_SETTLED',
      'TX_POSTED',
      'TX_FAILED',
      'TX_POSTED',
      'TX_SETTLED',
      'TX_REVERSED',
    ]);
    let prev = GENESIS_HASH;
    for (const e of events) {
      expect(e.prevHash).toBe(prev);
      const input = eventHashInput(e.sequence, e.type, e.payload, e.at, e.prevHash);
      expect(createHash('sha256').update(input).digest('hex')).toBe(e.hash);
      prev = e.hash;
    }
    expect(l.verifyChain()).toEqual({ ok: true, length: 12, head: l.head });
    expect(l.head.hash).toBe(prev);
    expect(l.replayBalances()).toMatchObject({
      ok: true,
      events: 12,
      accounts: 3,
      transactions: 4,
      mismatches: [],
    });
  });

  it.each(KINDS)('gives the head of the prefix at T (%s)', (kind) => {
    const l = kind === 'memory' ? openMemoryLedger() : openSqliteLedger(':memory:');
    populate(l);
    const events = [...l.auditEvents()];
    expect(l.auditHeadAt(T('00:00:00'))).toMatchObject({ sequence: 3, hash: events[2]!.hash });
    expect(l.auditHeadAt(T('01:59:59')).sequence).toBe(5);
    expect(l.auditHeadAt(T('02:00:00')).sequence).toBe(7);
    expect(l.auditHeadAt(T('23:00:00'))).toEqual(l.head);
    expect(l.auditHeadAt(T('00:00:00') - 1)).toEqual({ sequence: 0, hash: GENESIS_HASH, at: 0 });
  });

  it('hashes exactly the documented layout', () => {
    const prev = 'ab'.repeat(32);
    const input = eventHashInput(7, 'TX_SETTLED', '{"a":1}', 1000, prev);
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, AUDIT_EVENT_TAG.length]),
      Buffer.from(AUDIT_EVENT_TAG),
      Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7]),
      Buffer.from([0, 0, 0, 10]),
      Buffer.from('TX_SETTLED'),
      Buffer.from([0, 0, 0, 7]),
      Buffer.from('{"a":1}'),
      Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]),
      Buffer.from([0, 0, 0, 32]),
      Buffer.from(prev, 'hex'),
    ]);
    expect(input.equals(expected)).toBe(true);
    expect(computeEventHash(7, 'TX_SETTLED', '{"a":1}', 1000, prev)).toBe(
      createHash('sha256').update(expected).digest('hex'),
    );
    expect(computeEventHash(7, 'TX_SETTLED', '{"a":1}', 1001, prev)).not.toBe(
      computeEventHash(7, 'TX_SETTLED', '{"a":1}', 1000, prev),
    );
  });

  it('detects edits in a plain event list', () => {
    const l = openMemoryLedger();
    populate(l);
    const events = [...l.auditEvents()];
    const edit = (i: number, patch: Partial<AuditEvent>) =>
      events.map((e, j) => (j === i ? { ...e, ...patch } : e));
    expect(verifyAuditChain(events)).toMatchObject({ ok: true, length: 12 });
    expect(verifyAuditChain(edit(3, { type: 'TX_SETTLED' }))).toMatchObject({ ok: false, sequence: 4 });
    expect(verifyAuditChain(edit(3, { type: 'BOGUS' as never }))).toMatchObject({
      ok: false,
      sequence: 4,
      reason: /unknown event type/,
    });
    expect(verifyAuditChain(edit(3, { payload: events[3]!.payload + ' ' }))).toMatchObject({
      sequence: 4,
      reason: /canonical/,
    });
    expect(verifyAuditChain(edit(3, { at: events[2]!.at - 1 }))).toMatchObject({
      sequence: 4,
      reason: /earlier/,
    });
    expect(verifyAuditChain(events.slice(0, 11), l.head)).toMatchObject({
      ok: false,
      sequence: 12,
      reason: /missing/,
    });
  });
});
