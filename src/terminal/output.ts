// Terminal output shared by the CLI and the demo: lines on stdout/stderr, JSON with bigints, amounts in
// minor units as decimals, and the banner no one can miss (the insecure-dev-keys warning).
//
// Every line goes through safeText and every JSON document through jsonSafe (src/terminal/safe-text.ts):
// whatever a packet, a manifest or an error message holds, no control, C1 or bidi character reaches the
// terminal raw. One call prints one line: a newline inside `line` is shown as \u{a}, so an untrusted value
// cannot start a line of its own either; text of several lines is printed with outLines / errLines.
import { formatMinorUnits } from '../money/amount.js';
import { jsonSafe, safeText } from './safe-text.js';

/** Prints one line on stdout, escaped (safeText). */
export function out(line = ''): void {
  process.stdout.write(`${safeText(line)}\n`);
}

/** Prints one line on stderr, escaped (safeText). */
export function err(line = ''): void {
  process.stderr.write(`${safeText(line)}\n`);
}

/** Prints text the program itself wrote, one line per `\n`, each escaped. */
export function outLines(text: string): void {
  for (const line of text.split('\n')) out(line);
}

/** errLines: outLines on stderr. */
export function errLines(text: string): void {
  for (const line of text.split('\n')) err(line);
}

/** Text for a stream that commander writes to (help, usage errors): each line escaped, newlines kept. */
export function safeLines(text: string): string {
  return text.split('\n').map(safeText).join('\n');
}

/** JSON with bigints as decimal strings, two-space indented; control, C1 and bidi characters \u-escaped. */
export function printJson(value: unknown): void {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  process.stdout.write(`${jsonSafe(text)}\n`);
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
  for (const raw of lines) {
    const words = safeText(raw).split(/\s+/);
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
