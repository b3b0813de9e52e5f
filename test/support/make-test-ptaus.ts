// Makes (or finds cached) the random test ptaus of the ceremony tests, 2^10 then 2^12 (test/setup/helpers.ts
// ensureTestPtau). Run by test/global-setup.ts in a child process beside the dev keys: in the same process,
// circom's compiles block the event loop that feeds snarkjs' threads, and the second core sits idle.
import { ensureTestPtau } from '../setup/helpers.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';

const started = performance.now();
try {
  for (const power of [10, 12] as const) {
    const file = await ensureTestPtau(power);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[test ptau] 2^${power} ready in ${seconds} s: ${file}`);
  }
} finally {
  await terminateCurves();
}
