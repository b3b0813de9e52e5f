// The progress line of a queued run: proofs done, proofs per second, live workers and the ETA, computed
// from an injected clock (progress.ts is the only place that reads the real one).
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/terminal/progress.js';

function sink(): { lines: string[]; write(s: string): void } {
  const lines: string[] = [];
  return { lines, write: (s: string) => void lines.push(s) };
}

describe('the progress line', () => {
  it('shows the rate, a detail and the ETA when asked for', () => {
    let t = 0;
    const out = sink();
    const p = createProgress(out, () => t);
    p.update({ phase: 'proving USD', done: 0, total: 10, rateUnit: 'proofs', detail: '2 workers' });
    t = 4000;
    p.update({ phase: 'proving USD', done: 8, total: 10, rateUnit: 'proofs', detail: '3 workers' });
    expect(out.lines[0]).toMatch(/0\/10 {2}-- proofs\/s {2}2 workers {2}elapsed 0\.0s {2}eta --/);
    expect(out.lines[1]).toMatch(/8\/10 {2}2\.00 proofs\/s {2}3 workers {2}elapsed 4\.0s {2}eta 1\.0s/);
  });

  it('keeps the plain line without them, and escapes the detail', () => {
    const out = sink();
    const p = createProgress(out, () => 0);
    p.update({ phase: 'x', done: 0, total: 1 });
    expect(out.lines[0]).not.toMatch(/\/s/);
    p.update({ phase: 'y', done: 0, total: 1, detail: 'a\u001b[2Jb' });
    expect(out.lines[1]).not.toContain('\u001b');
  });
});
