// zkreserve demo [--out dir]: the end-to-end demo (src/demo/run.ts).
import type { Command } from 'commander';
import { runDemo } from '../../demo/run.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'build a sample ledger, prove USD and ETH solvency with the INSECURE dev keys, verify with zkreserve and snarkjs',
    )
    .option('--out <dir>', 'output directory (replaced)', 'demo-output')
    .action(async (opts: { out: string }) => {
      await runDemo({ outDir: opts.out });
    });
}
