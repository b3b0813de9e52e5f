#!/usr/bin/env node
// The checks `npm test` runs before vitest, side by side: typecheck (Node and browser), eslint and prettier
// --check. Each is single-threaded; side by side on 2 cores they take about the time of the longest. dist/
// (which the CLI tests spawn) is not rebuilt here: `npm install` builds it ("prepare"), and vitest's first
// global setup, test/package/build-dist.ts, rebuilds it when any source is newer (`build` is still a task to
// name here). Each task's output is printed in one block when it ends; the exit status is 1 when any failed,
// and the last line names the ones that did.
//   node scripts/checks.mjs [task...]     (default: all but build; a task is an npm script name)
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const TASKS = ['build', 'typecheck', 'lint', 'format:check'];
const DEFAULT_TASKS = ['typecheck', 'lint', 'format:check'];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((t) => !TASKS.includes(t));
if (unknown.length > 0) {
  process.stderr.write(`checks: unknown task(s) ${unknown.join(', ')} (tasks: ${TASKS.join(', ')})\n`);
  process.exit(2);
}
const tasks = wanted.length > 0 ? wanted : DEFAULT_TASKS;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm run <task>`, resolving to its exit code, output and seconds. */
function run(task) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', task], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const done = (code, why) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'ok' : `FAILED (${why})`;
      process.stdout.write(
        `== ${task}: ${status} in ${seconds} s\n${output}${output && !output.endsWith('\n') ? '\n' : ''}`,
      );
      resolve(code === 0);
    };
    child.on('error', (e) => done(1, e.message));
    child.on('close', (code, signal) => done(code ?? 1, signal ? `signal ${signal}` : `exit ${code}`));
  });
}

process.stdout.write(`checks: ${tasks.join(', ')}, side by side\n`);
const results = await Promise.all(tasks.map(run));
const failed = tasks.filter((_, i) => !results[i]);
if (failed.length > 0) {
  process.stderr.write(`checks: ${failed.join(', ')} failed\n`);
  process.exit(1);
}
process.stdout.write('checks: all passed\n');
