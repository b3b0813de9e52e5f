// Runs once before the test files: compiles the dev-family circuits and makes (or checks the cache of) the
// insecure dev ceremony, so parallel test files find warm artifacts instead of racing to build them.
// On a fresh machine this takes a few minutes (a 2^12 powers of tau, six circuits, six zkeys).
import { ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { B100_N8_K8, B64_N8_K8 } from '../src/protocol/families.js';
import { terminateCurves } from '../src/zk/snarkjs.js';

export default async function setup(): Promise<void> {
  const started = performance.now();
  const seen = new Set<string>();
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
  await terminateCurves();
  console.log(`[dev keys] ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
