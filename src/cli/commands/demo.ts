// zkreserve demo [--out dir]: the end-to-end demo (src/demo/run.ts). A failed check exits 1.
import type { Command } from 'commander';
import { DemoFailedError } from '../../demo/errors.js';
import { runDemo } from '../../demo/run.js';
import { CliExit, EXIT_FAILED } from '../errors.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'build a sample ledger, prove USD and ETH solvency with the INSECURE dev keys, verify with zkreserve and snarkjs',
    )
    .option('--out <dir>', 'output directory (replaced)', 'demo-output')
    .action(async (opts: { out: string }) => {
      try {
        await runDemo({ outDir: opts.out });
      } catch (e) {
        if (e instanceof DemoFailedError) throw new CliExit(EXIT_FAILED, e.message);
        throw e;
      }
    });
}
