// Progress display for long CLI work: a redrawn bar (done / total, elapsed, ETA) on a terminal, plain
// lines when the output is not a TTY (logs, CI). Wall-clock time is read here for display only; it never
// reaches a proof, a hash or a file. Phases and notes are escaped like every other line (safe-text.ts).
import { safeText } from './safe-text.js';

export interface ProgressEvent {
  phase: string;
  done: number;
  total: number;
  /** When set, the line shows the rate as `N.N {rateUnit}/s` (e.g. 'proofs'). */
  rateUnit?: string;
  /** Shown after the counts (e.g. '3 workers'). */
  detail?: string;
}

export interface ProgressSink {
  update(event: ProgressEvent): void;
  note(message: string): void;
  finish(): void;
}

interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export function createProgress(
  stream: Stream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressSink {
  const tty = Boolean(stream.isTTY);
  const phaseStart = new Map<string, number>();
  let lastLine = '';
  let lastPlainDecile = new Map<string, number>();
  let open = false;

  const render = (e: ProgressEvent): string => {
    const start = phaseStart.get(e.phase) ?? now();
    const elapsed = (now() - start) / 1000;
    const rate = e.done > 0 ? elapsed / e.done : NaN;
    const eta = e.done > 0 ? rate * (e.total - e.done) : NaN;
    const width = 24;
    const filled = e.total > 0 ? Math.round((e.done / e.total) * width) : 0;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const perSecond =
      e.done > 0 && elapsed > 0 ? (e.done / elapsed).toFixed(e.done / elapsed < 10 ? 2 : 1) : '--';
    const rateText = e.rateUnit !== undefined ? `  ${perSecond} ${safeText(e.rateUnit)}/s` : '';
    const detail = e.detail !== undefined ? `  ${safeText(e.detail)}` : '';
    return `${safeText(e.phase)} [${bar}] ${e.done}/${e.total}${rateText}${detail}  elapsed ${formatSeconds(elapsed)}  eta ${formatSeconds(eta)}`;
  };

  return {
    update(e) {
      if (!phaseStart.has(e.phase)) phaseStart.set(e.phase, now());
      const line = render(e);
      if (tty) {
        const cols = stream.columns ?? 100;
        stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(lastLine.length, cols - 1))}`);
        lastLine = line;
        open = true;
        if (e.done >= e.total) {
          stream.write('\n');
          open = false;
          lastLine = '';
        }
        return;
      }
      // Plain mode: the first event, every 10%, and the last one.
      const decile = e.total > 0 ? Math.floor((e.done * 10) / e.total) : 10;
      const previous = lastPlainDecile.get(e.phase);
      if (previous === undefined || decile > previous || e.done >= e.total) {
        if (previous !== decile || e.done >= e.total) stream.write(`${line}\n`);
        lastPlainDecile.set(e.phase, decile);
      }
    },
    note(message) {
      if (open) {
        stream.write('\n');
        open = false;
        lastLine = '';
      }
      for (const line of message.split('\n')) stream.write(`${safeText(line)}\n`);
    },
    finish() {
      if (open) stream.write('\n');
      open = false;
      lastPlainDecile = new Map();
    },
  };
}

/** Elapsed seconds since the call, for display only (the CLI and the demo report their wall time). */
export function stopwatch(now: () => number = () => performance.now()): () => number {
  const start = now();
  return () => (now() - start) / 1000;
}
