// Runs once before the test files: compiles the dev-family circuits and makes (or checks the cache of) the
// insecure dev ceremony, so parallel test files find warm artifacts instead of racing to build them. Side by
// side with it, in a child process (test/support/make-test-ptaus.ts), the random 2^12 test ptau of the ceremony
// tests (cached per machine): the dev keys keep about 1.4 of the 2 cores busy, and the ptau fills the rest
// instead of holding up a test file. On a fresh machine this takes about 4 minutes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { B100_N8_K8, B64_N8_K8 } from '../src/protocol/families.js';
import { terminateCurves } from '../src/zk/snarkjs.js';

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
  try {
    for (const family of [B64_N8_K8, B100_N8_K8]) {
      await ensureDevKeys(family, {
        onProgress: (e) => {
          // Stage lines only: snarkjs' own log (challenge-hash dumps) is noise here.
          if (/^\s/.test(e.message) || /hash:?\s*$/i.test(e.message)) return;
          const line = `[dev keys] ${e.message}`;
          if (!seen.has(line)) console.log(line);
          seen.add(line);
        },
      });
    }
    console.log(`[dev keys] ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    ptaus.stop();
    throw e;
  } finally {
    await terminateCurves();
  }
  await ptaus.done;
}
