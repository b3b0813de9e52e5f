// Deliberately regenerate the committed insecure dev keys (keys/dev/*.vkey.json and keys/dev/manifest.json)
// after a circuit change. Review the diff before committing: the dev keys are deterministic, so any change
// here means the circuits (or snarkjs) changed.
//
//   npx tsx scripts/update-dev-keys.ts [family-id ...]      (default: every dev family)
import { ensureDevKeys, writeCommittedDevKeys } from '../src/setup/dev-ceremony.js';
import { FAMILIES, familyById, familySize } from '../src/protocol/families.js';
import { terminateCurves } from '../src/zk/snarkjs.js';

async function main(): Promise<void> {
  const ids = process.argv.slice(2);
  const families = ids.length > 0 ? ids.map(familyById) : FAMILIES.filter((f) => familySize(f) === 'dev');
  const keySets = [];
  for (const family of families) {
    if (familySize(family) !== 'dev')
      throw new Error(`${family.id} is not a dev family (its circuits need 2^16)`);
    const t0 = performance.now();
    keySets.push(
      await ensureDevKeys(family, {
        checkCommitted: false,
        onProgress: (e) => {
          if (!/^(Reading|Writing|Applying|Circuit|Contribution|\s)/.test(e.message)) {
            console.log(
              `[${((performance.now() - t0) / 1000).toFixed(1)}s] ${e.stage}: ${e.message.split('\n')[0]}`,
            );
          }
        },
      }),
    );
  }
  for (const file of await writeCommittedDevKeys(keySets)) console.log(`wrote ${file}`);
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => terminateCurves());
