// What the setup subcommands share: their progress notes on stderr and repeatable options.
import type { ProgressFn } from '../../../setup/progress.js';
import { createProgress } from '../../../terminal/progress.js';

/** Progress events as `[stage] message` notes on stderr. */
export function notes(): ProgressFn {
  const progress = createProgress(process.stderr);
  return (e) => progress.note(`[${e.stage}] ${e.message}`);
}

/** Commander's collector for a repeatable option. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
