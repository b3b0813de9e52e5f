// Makes (or finds cached) the random 2^12 test ptau of test/setup/helpers.ts ensureTestPtau. Run by
// test/global-setup.ts as a low-priority child process, so on a fresh machine the file is made on the core the
// dev keys leave idle (their ptau is one long single-threaded snarkjs step) instead of inside a ceremony test.
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { ensureTestPtau } from '../setup/helpers.js';

const file = await ensureTestPtau();
await terminateCurves();
console.log(file);
