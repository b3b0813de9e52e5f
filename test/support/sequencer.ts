// Longest-first test file order for `vitest run` (vitest.config.ts `sequence.sequencer`). A fresh clone has no
// vitest results cache, so vitest's BaseSequencer orders files by size and a 7-minute file can start last,
// leaving one fork idle while the other finishes it. Here the files listed in test/support/durations.json
// (measured seconds per file) start slowest first, so the two forks pack close to evenly (the classic
// longest-processing-time rule); files not in the table follow, largest first. Sharding is BaseSequencer's.
// Refresh the table after a full run: see scripts/update-test-durations.ts.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The committed table: seconds per test file, keyed by its path relative to the repository root. */
export const DURATIONS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'durations.json');

/** Seconds per file (posix paths relative to the repository root) from test/support/durations.json. */
export function readDurations(file = DURATIONS_FILE): Map<string, number> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { seconds?: Record<string, unknown> };
  const table = new Map<string, number>();
  for (const [name, seconds] of Object.entries(parsed.seconds ?? {})) {
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) table.set(name, seconds);
  }
  return table;
}

/**
 * Merge measured seconds into the table file (entries for files not measured are kept; rounded to 0.1 s;
 * sorted slowest first so the file reads as the schedule). Returns the merged table.
 */
export function mergeDurations(measured: Map<string, number>, file = DURATIONS_FILE): Map<string, number> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { comment?: string };
  const table = readDurations(file);
  for (const [name, seconds] of measured) table.set(name, Math.round(seconds * 10) / 10);
  const sorted = [...table].sort(([a, x], [b, y]) => (y !== x ? y - x : a < b ? -1 : 1));
  const text = JSON.stringify({ comment: parsed.comment, seconds: Object.fromEntries(sorted) }, null, 2);
  writeFileSync(file, text + '\n');
  return table;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Order `files` (absolute module ids, `root` the repository root): listed files by measured seconds,
 * slowest first; then the others by size, largest first; ties by path, so the order is deterministic.
 */
export function longestFirst<T>(
  files: T[],
  root: string,
  idOf: (f: T) => string,
  table: Map<string, number>,
): T[] {
  const keyed = files.map((f) => {
    const rel = path.relative(root, idOf(f)).split(path.sep).join('/');
    const seconds = table.get(rel);
    return { f, rel, seconds, size: seconds === undefined ? fileSize(idOf(f)) : 0 };
  });
  keyed.sort((a, b) => {
    if (a.seconds !== undefined && b.seconds !== undefined && a.seconds !== b.seconds)
      return b.seconds - a.seconds;
    if (a.seconds !== undefined && b.seconds === undefined) return -1;
    if (a.seconds === undefined && b.seconds !== undefined) return 1;
    if (a.size !== b.size) return b.size - a.size;
    return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0;
  });
  return keyed.map((k) => k.f);
}

/** BaseSequencer with longest-first sorting from the committed durations table (projects kept apart). */
export default class DurationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const table = readDurations();
    // As BaseSequencer: sequence.groupOrder first, then projects one after another.
    const groups = new Map<string, { order: number; name: string; files: TestSpecification[] }>();
    for (const f of files) {
      const order = f.project.config.sequence.groupOrder;
      const key = `${order}\0${f.project.name}`;
      const group = groups.get(key) ?? { order, name: f.project.name, files: [] };
      group.files.push(f);
      groups.set(key, group);
    }
    const ordered = [...groups.values()].sort((a, b) =>
      a.order !== b.order ? a.order - b.order : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    return ordered.flatMap((g) => longestFirst(g.files, this.ctx.config.root, (f) => f.moduleId, table));
  }
}
