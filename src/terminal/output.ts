// Terminal output shared by the CLI and the demo: lines on stdout/stderr, JSON with bigints, amounts in
// minor units as decimals, and the banner no one can miss (the insecure-dev-keys warning).
import { formatMinorUnits } from '../money/amount.js';

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function err(line = ''): void {
  process.stderr.write(`${line}\n`);
}

/** JSON with bigints as decimal strings, two-space indented. */
export function printJson(value: unknown): void {
  out(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
}

/** Minor units (bigint or decimal string) as a decimal with `decimals` fraction digits. */
export function formatMinor(value: bigint | string, decimals: number): string {
  return formatMinorUnits(typeof value === 'bigint' ? value : BigInt(value), decimals);
}

/** A banner that no one can miss, for the insecure-dev-keys warning. */
export function banner(lines: readonly string[], write: (line: string) => void = err): void {
  const width = 78;
  const bar = '!'.repeat(width);
  write(bar);
  for (const text of lines) {
    const words = text.split(/\s+/);
    let line = '';
    for (const w of words) {
      if (line.length + w.length + 1 > width - 6) {
        write(`!! ${line.padEnd(width - 6)} !!`);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) write(`!! ${line.padEnd(width - 6)} !!`);
  }
  write(bar);
}
