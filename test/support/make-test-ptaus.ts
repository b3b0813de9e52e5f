// Makes (or finds cached) the random 2^12 test ptau of the ceremony tests (test/setup/helpers.ts
// ensureTestPtau). Run by test/global-setup.ts in a child process beside the dev keys: in the same process,
// circom's compiles block the event loop that feeds snarkjs' threads, and the second core sits idle.
import { ensureTestPtau } from '../setup/helpers.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';

const started = performance.now();
try {
  const file = await ensureTestPtau();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[test ptau] 2^12 ready in ${seconds} s: ${file}`);
} finally {
  await terminateCurves();
}
