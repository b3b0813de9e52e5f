// zkreserve setup contribute --dir <ceremony-dir> --name <who>: add one contribution to every circuit.
import path from 'node:path';
import type { Command } from 'commander';
import { setupContribute } from '../../../setup/ceremony/index.js';
import { out } from '../../../terminal/output.js';
import { notes } from './common.js';

export function registerSetupContribute(setup: Command): void {
  setup
    .command('contribute')
    .description('add your random contribution to every circuit (keep nothing: the randomness is discarded)')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory')
    .requiredOption('--name <who>', 'your public name, recorded in the transcript')
    .option('--entropy <text>', 'extra entropy to mix in (OS randomness is always used)')
    .action(async (opts: { dir: string; name: string; entropy?: string }) => {
      const r = await setupContribute(opts.dir, {
        name: opts.name,
        ...(opts.entropy !== undefined ? { entropy: opts.entropy } : {}),
        onProgress: notes(),
      });
      const receipt = path.join(opts.dir, 'receipts', `${String(r.index).padStart(4, '0')}.json`);
      out(`contribution #${r.index} by ${r.name} recorded; publish these hashes:`);
      for (const [name, hash] of Object.entries(r.contributions)) out(`  ${name}: ${hash}`);
      out(`receipt: ${receipt}`);
      out(
        'publish the receipt on a channel you control; anyone checks it with ' +
          '`zkreserve setup verify --dir <dir> --receipt <receipt.json>`',
      );
    });
}
