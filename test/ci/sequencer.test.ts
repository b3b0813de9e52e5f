// The longest-first schedule (test/support/sequencer.ts): measured files slowest first, then the rest by size.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longestFirst, mergeDurations, readDurations } from '../support/sequencer.js';

describe('longest-first test sequencer', () => {
  it('puts the measured files first, slowest first, then unmeasured files largest first', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'zkreserve-seq-'));
    const file = (name: string, bytes: number) => {
      writeFileSync(path.join(root, name), 'x'.repeat(bytes));
      return path.join(root, name);
    };
    const files = [file('small.ts', 10), file('fast.ts', 5), file('big.ts', 1000), file('slow.ts', 1)];
    const table = new Map([
      ['fast.ts', 3],
      ['slow.ts', 450],
    ]);
    const order = longestFirst(files, root, (f) => f, table).map((f) => path.basename(f));
    expect(order).toEqual(['slow.ts', 'fast.ts', 'big.ts', 'small.ts']);
  });

  it('the committed table starts with the production prover file and names only existing files', () => {
    const table = readDurations();
    const [first] = [...table].sort(([, a], [, b]) => b - a);
    expect(first?.[0]).toBe('test/prover/production.test.ts');
    for (const name of table.keys()) expect(name).toMatch(/^test\/.+\.test\.ts$/);
  });

  it('merging keeps unmeasured entries and overwrites measured ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zkreserve-seq-'));
    const f = path.join(dir, 'durations.json');
    writeFileSync(f, JSON.stringify({ comment: 'c', seconds: { 'a.test.ts': 5, 'b.test.ts': 7 } }));
    mergeDurations(new Map([['a.test.ts', 9.04]]), f);
    expect([...readDurations(f)]).toEqual([
      ['a.test.ts', 9],
      ['b.test.ts', 7],
    ]);
  });
});
