// The demo's reserve evidence: for an ETH and a USD round, the INSECURE demo keys sign this round's
// challenge, the evidence verifies offline (the custodian pinned by the demo's own file) and covers the
// reserves; without the pin, the custodian statement is not counted.
import { describe, expect, it } from 'vitest';
import { DEMO_CUSTODIAN, demoCustodiansFile, demoEvidence } from '../../src/demo/reserves.js';
import { parseCustodians } from '../../src/reserves/custodian.js';
import { verifyReservesEvidence } from '../../src/reserves/verify-evidence.js';
import { round } from './support.js';

describe('demo reserve evidence', () => {
  const pinned = parseCustodians(JSON.stringify(demoCustodiansFile()));
  it('ETH: a demo EVM signature over the round covers the reserves', async () => {
    const r = round('ETH', 18, 5_500_000_000_000_111_105n);
    const report = await verifyReservesEvidence(
      { ...r, reserves: await demoEvidence(r) },
      { custodians: pinned },
    );
    expect(report).toMatchObject({ ok: true, covered: true, evidenced: '5500000000000111105' });
    expect(report.items[0]).toMatchObject({ kind: 'evm', status: 'verified' });
  });
  it('USD: the demo custodian counts only when pinned; another round does not verify', async () => {
    const r = round('USD', 2, 82_370n);
    const evidence = await demoEvidence(r);
    expect((await verifyReservesEvidence({ ...r, reserves: evidence }, { custodians: pinned })).ok).toBe(
      true,
    );
    const unpinned = await verifyReservesEvidence({ ...r, reserves: evidence });
    expect(unpinned.items[0]).toMatchObject({ status: 'unverified' });
    expect([...pinned.keys()]).toEqual([DEMO_CUSTODIAN]);
    // The same evidence in the next round (another audit head): refused.
    const next = round('USD', 2, 82_370n, 70);
    const replay = await verifyReservesEvidence({ ...next, reserves: evidence }, { custodians: pinned });
    expect(replay.ok).toBe(false);
    expect(replay.problems[0]).toMatch(/not this round's/);
    expect(replay.items[0]!.status).toBe('failed');
  });
});
