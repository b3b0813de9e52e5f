// Runs once before the test files: compiles the dev-family circuits and makes (or checks the cache of) the
// insecure dev ceremony, so parallel test files find warm artifacts instead of racing to build them. Side by
// side with it, in a child process (test/support/make-test-ptaus.ts), the random 2^12 test ptau of the ceremony
// tests (cached per machine), so that it does not hold up a test file. Almost every step is single-threaded
// (circom, a small zkey new), so the steps that do not depend on each other run at the same time and keep both
// cores busy. On a fresh machine this takes about 4 minutes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDevKeys, ensureDevPtau } from '../src/setup/dev-ceremony.js';
import type { ProgressFn } from '../src/setup/progress.js';
import { B100_N8_K8, B64_N8_K8, CIRCUIT_KINDS } from '../src/protocol/families.js';
import { compileCircuit } from '../src/zk/compile.js';
import { terminateCurves } from '../src/zk/snarkjs.js';

const DEV_FAMILIES = [B64_N8_K8, B100_N8_K8];
const PTAU_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'make-test-ptaus.ts');

/** Starts make-test-ptaus.ts under tsx; `done` rejects naming its exit code or signal. */
function makeTestPtaus(): { done: Promise<void>; stop: () => void } {
  const child = spawn(process.execPath, ['--import', 'tsx', PTAU_SCRIPT], { stdio: 'inherit' });
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${PTAU_SCRIPT} failed (${signal ? `signal ${signal}` : `exit ${code}`})`)),
    );
  });
  return { done, stop: () => child.kill() };
}

export default async function setup(): Promise<void> {
  const started = performance.now();
  const ptaus = makeTestPtaus();
  ptaus.done.catch(() => undefined); // awaited below; not an unhandled rejection while the dev keys run
  const seen = new Set<string>();
  const onProgress: ProgressFn = (e) => {
    // Stage lines only: snarkjs' own log (hash dumps, "Reading ..." lines) is noise here.
    if (/^\s/.test(e.message) || /hash|^Reading /i.test(e.message)) return;
    const line = `[dev keys] ${e.message}`;
    if (!seen.has(line)) console.log(line);
    seen.add(line);
  };
  try {
    // The circuits compile (one circom process at a time) while the dev ptau is made; then the two families'
    // keys side by side: each of these small zkeys is one snarkjs task, on one core.
    const compileAll = async () => {
      for (const family of DEV_FAMILIES) {
        for (const kind of CIRCUIT_KINDS)
          await compileCircuit(family, kind, {
            onProgress: (message) => onProgress({ stage: 'compile', message }),
          });
      }
    };
    await Promise.all([ensureDevPtau({ onProgress }), compileAll()]);
    await Promise.all(DEV_FAMILIES.map((family) => ensureDevKeys(family, { onProgress })));
    console.log(`[dev keys] ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    ptaus.stop();
    throw e;
  } finally {
    await terminateCurves();
  }
  await ptaus.done;
}
