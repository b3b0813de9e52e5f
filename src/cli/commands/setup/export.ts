// zkreserve setup export --dir <ceremony-dir> --out <keys-dir>: the final keys, for prove --keys.
import type { Command } from 'commander';
import { setupExport } from '../../../setup/ceremony/index.js';
import { out } from '../../../terminal/output.js';
import { CliUsageError } from '../../errors.js';
import { notes } from './common.js';

export function registerSetupExport(setup: Command): void {
  setup
    .command('export')
    .description('export the final keys (zkey, vkey, wasm, r1cs, manifest.json with the transcript)')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory')
    .requiredOption('--out <keys-dir>', 'output directory, for zkreserve prove --keys')
    .option('--allow-unfinalized', 'export before the beacon (not for production)')
    .option('--reverify', 'verify the ceremony again even if setup verify passed and nothing changed since')
    .action(async (opts: { dir: string; out: string; allowUnfinalized?: boolean; reverify?: boolean }) => {
      if (opts.out === opts.dir) throw new CliUsageError('--out must differ from --dir');
      const m = await setupExport(opts.dir, opts.out, {
        allowUnfinalized: opts.allowUnfinalized === true,
        reverify: opts.reverify === true,
        onProgress: notes(),
      });
      out(
        `exported ${Object.keys(m.circuits).length} circuits to ${opts.out} (${m.transcript.length} transcript steps)`,
      );
      out(`publish ${opts.out}/manifest.json: verifiers pin it with zkreserve verify --trusted-keys`);
    });
}
