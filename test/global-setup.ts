// Runs once before the test files: compiles the dev-family circuits and makes (or checks the cache of) the
// insecure dev ceremony, so parallel test files find warm artifacts instead of racing to build them. Side by
// side with it, the two random test ptaus of the ceremony tests (test/setup/helpers.ts ensureTestPtau: 2^10 and
// 2^12, cached per machine): the dev keys keep about 1.4 of the 2 cores busy, and the ptaus fill the rest
// instead of holding up a test file each. On a fresh machine this takes about 4 minutes.
import { ensureDevKeys } from '../src/setup/dev-ceremony.js';
import { B100_N8_K8, B64_N8_K8 } from '../src/protocol/families.js';
import { terminateCurves } from '../src/zk/snarkjs.js';
import { ensureTestPtau } from './setup/helpers.js';

export default async function setup(): Promise<void> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const ptaus = (async () => {
    for (const power of [10, 12] as const) {
      const file = await ensureTestPtau(power);
      console.log(`[test ptau] 2^${power} ready in ${seconds()} s: ${file}`);
    }
  })();
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
    console.log(`[dev keys] ready in ${seconds()} s`);
  } finally {
    await ptaus;
    await terminateCurves();
  }
}
