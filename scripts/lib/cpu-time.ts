// CPU time for benchmarks: this process (all its threads) plus its finished child processes (rapidsnark),
// from /proc/self/stat (Linux). On a shared machine CPU seconds measure the work better than wall time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | undefined;

function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/** CPU seconds used so far: { self: this process's threads, children: waited-for child processes }. */
export function cpuSeconds(): { self: number; children: number; total: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const t = clockTicks();
  const self = (Number(f[11]) + Number(f[12])) / t;
  const children = (Number(f[13]) + Number(f[14])) / t;
  return { self, children, total: self + children };
}
