// statementFromLedger: the ledger adapter, on a memory and on a SQLite ledger.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/storage/open-ledger.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import type { LedgerSource } from '../../src/prover/statement-from-ledger.js';
import { T, makeLedger, tempDir } from './fixtures.js';

describe('statementFromLedger', () => {
  it('gives the same statement from a memory and a SQLite ledger', async () => {
    const mem = makeLedger(6);
    const dir = await tempDir('stmt');
    const sqlite = makeLedger(6, { ledger: openSqliteLedger(path.join(dir, 'ledger.db')) });
    const a = await statementFromLedger(mem.ledger, T, 'USD');
    const b = await statementFromLedger(sqlite.ledger, T, 'USD');
    sqlite.ledger.close();
    expect(b).toEqual(a);
    expect(a.decimals).toBe(2);
    expect(a.users).toHaveLength(6);
    // The overdrawn user counts 0, the pending deposit counts.
    expect(a.users.find((u) => u.accountId === mem.negativeUser)!.liability).toBe(0n);
    expect(a.users.find((u) => u.externalRef === 'user-1')!.liability).toBe(10_001n);
    const report = mem.ledger.requiredReserves(T, 'USD')[0]!;
    expect(a.reserves).toBe(report.reserves);
    expect(a.users.reduce((s, u) => s + u.liability, 0n)).toBe(report.required);
    expect(a.auditHead).toEqual({
      sequence: mem.ledger.snapshot(T).auditHead.sequence,
      hash: mem.ledger.snapshot(T).auditHead.hash,
    });
  });

  it('takes the state at T, not later', async () => {
    const { ledger } = makeLedger(4);
    const early = await statementFromLedger(ledger, Date.UTC(2025, 0, 1) + 1002, 'USD');
    expect(early.users.length).toBeLessThan(4);
  });

  it('refuses a ledger whose required reserves disagree with its user liabilities', async () => {
    const { ledger } = makeLedger(3);
    const lying: LedgerSource = {
      snapshot: (at) => ledger.snapshot(at),
      requiredReserves: (at, c) =>
        ledger.requiredReserves(at, c).map((r) => ({ ...r, required: r.required + 1n })),
    };
    await expect(statementFromLedger(lying, T, 'USD')).rejects.toThrow(/ledger inconsistency/);
  });
});
