// Runs once before the test files: compiles the dev-family circuits and makes (or checks the cache of) the
// insecure dev ceremony, so parallel test files find warm artifacts instead of racing to build them.
// On a fresh machine this takes a few minutes (a 2^12 powers of tau, six circuits, six zkeys); independent
// work runs side by side on the cores (see setup below).
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { devCacheDir, devKeyDirs, ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { B100_N8_K8, B64_N8_K8, circuitName } from '../src/protocol/families.js';
import { terminateCurves } from '../src/zk/snarkjs.js';
import { allSettledOrThrow, setCompileConcurrency } from '../src/setup/parallel.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs a test/support script with tsx in a child process (at `nice`, when permitted); stdout is passed
 * through when `echo`, else collected. Resolves with its last stdout line; rejects with its output tail.
 */
function runScript(script: string, args: string[], { nice = 0, echo = false } = {}): Promise<string> {
  const file = fileURLToPath(new URL(`./support/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (nice !== 0 && child.pid !== undefined) {
      try {
        setPriority(child.pid, nice);
      } catch {
        // not permitted: it just competes at normal priority
      }
    }
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (echo) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.trim().split('\n');
      if (code === 0) resolve(lines.at(-1) ?? '');
      else
        reject(
          new Error(
            `${script} ${args.join(' ')} failed (exit ${String(code)}):\n${lines.slice(-20).join('\n')}`,
          ),
        );
    });
  });
}

export default async function setup(): Promise<() => Promise<void>> {
  const started = performance.now();
  const seen = new Set<string>();
  const onProgress = (e: { message: string }) => {
    // Stage lines only: snarkjs' own log (challenge-hash dumps) is noise here.
    if (/^\s/.test(e.message) || /hash:?\s*$/i.test(e.message)) return;
    const line = `[dev keys] ${e.message}`;
    if (!seen.has(line)) console.log(line);
    seen.add(line);
  };
  // The dev ptau is one long single-threaded snarkjs run, and so is each zkey new. b64-n8-k8 (and the dev ptau)
  // run here and b100-n8-k8 in a child process: each compiles its circuits (circom2 child processes, one at a
  // time per process) while the ptau is made, then makes its own zkeys on its own core. The child waits on the
  // dev ptau's lock; the keys are the same bytes either way (ensureDevKeys compares them with the committed
  // keys/dev manifest). Meanwhile a niced child makes the random test ptau the ceremony tests need (a no-op
  // once cached) with the CPU left over. It may outlive this setup: a test that needs the file waits on its
  // lock (or makes it itself if the child failed); the teardown waits for the child.
  setCompileConcurrency(1); // one here, one in the child: with the dev ptau, three runnable on two cores
  // Once both are made (the usual case), no child is started: a warm run checks everything in about a second.
  const testPtauFile = path.join(devCacheDir(), 'zkreserve-test-random-12.ptau'); // test/setup/helpers.ts
  const testPtau = (
    existsSync(testPtauFile)
      ? Promise.resolve(testPtauFile)
      : runScript('make-test-ptau.ts', [], { nice: 10 })
  ).then(
    (file) => ({ file, error: undefined }),
    (error: unknown) => ({ file: undefined, error }),
  );
  const b100Made = existsSync(
    path.join(devKeyDirs().buildDir, `${circuitName(B100_N8_K8, 'chunk')}.stamp.json`),
  );
  try {
    await allSettledOrThrow([
      ensureDevKeys(B64_N8_K8, { onProgress }),
      b100Made
        ? ensureDevKeys(B100_N8_K8, { onProgress })
        : runScript('dev-keys-child.ts', [B100_N8_K8.id], { echo: true }),
    ]);
  } catch (e) {
    await testPtau;
    throw e;
  } finally {
    await terminateCurves();
  }
  console.log(`[dev keys] ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    const { file, error } = await testPtau;
    if (error)
      console.warn(`[dev keys] making the random test ptau in the background failed: ${String(error)}`);
    else console.log(`[dev keys] random test ptau: ${file}`);
  };
}
