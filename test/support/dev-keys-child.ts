// Makes (or checks the cache of) one dev family's keys in its own process: test/global-setup.ts runs one
// family here and the other in its own process, because snarkjs' zkey new runs mostly on the main thread and two
// in one process barely overlap. Stage lines go to stdout; a failure exits 1 with the error on stderr.
import { ensureDevKeys } from '../../src/setup/dev-ceremony.js';
import { familyById } from '../../src/protocol/families.js';
import { setCompileConcurrency } from '../../src/setup/parallel.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';

const family = familyById(process.argv[2] ?? '');
const seen = new Set<string>();
setCompileConcurrency(1); // the parent compiles one at a time too: two compiles and the dev ptau on 2 cores
try {
  await ensureDevKeys(family, {
    onProgress: (e) => {
      // Stage lines only: snarkjs' own log (challenge-hash dumps) is noise here.
      if (/^\s/.test(e.message) || /hash:?\s*$/i.test(e.message)) return;
      const line = `[dev keys] ${e.message}`;
      if (!seen.has(line)) console.log(line);
      seen.add(line);
    },
  });
} finally {
  await terminateCurves();
}
