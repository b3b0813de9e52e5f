// zkreserve setup beacon --dir <ceremony-dir> <hex> <iterations>: the final public random beacon.
import type { Command } from 'commander';
import { setupBeacon } from '../../../setup/ceremony/index.js';
import { out } from '../../../terminal/output.js';
import { positiveInt } from '../../options.js';
import { notes } from './common.js';

export function registerSetupBeacon(setup: Command): void {
  setup
    .command('beacon')
    .description('apply the final public random beacon (closes the ceremony)')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory')
    .argument('<hex>', 'beacon value fixed in advance, e.g. a future block hash (hex)')
    .argument('<iterations>', 'the beacon is hashed 2^iterations times (10..63)')
    .action(async (hex: string, iterations: string, opts: { dir: string }) => {
      const r = await setupBeacon(opts.dir, {
        beaconHex: hex,
        iterationsExp: positiveInt(iterations, 'iterations'),
        onProgress: notes(),
      });
      out(`beacon applied as step #${r.index}; the ceremony is finalized`);
      for (const [name, hash] of Object.entries(r.contributions)) out(`  ${name}: ${hash}`);
    });
}
