// zkreserve setup init --dir <ceremony-dir> --ptau <file>: start a ceremony.
import type { Command } from 'commander';
import { FAMILIES, familyById, ptauPowerFor } from '../../../protocol/families.js';
import { setupInit } from '../../../setup/ceremony/index.js';
import { out } from '../../../terminal/output.js';
import { collect, notes } from './common.js';

export function registerSetupInit(setup: Command): void {
  setup
    .command('init')
    .description('start a ceremony: compile the circuits, check the ptau size, create the initial zkeys')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory (must not hold one)')
    .requiredOption('--ptau <file>', 'powers-of-tau file')
    .option(
      '--family <id>',
      `circuit family (repeatable; default the production families; known: ${FAMILIES.map((f) => f.id).join(', ')})`,
      collect,
    )
    .option('--allow-unlisted', 'accept a ptau that is not on the published list')
    .action(async (opts: { dir: string; ptau: string; family?: string[]; allowUnlisted?: boolean }) => {
      const ids = opts.family ?? FAMILIES.filter((f) => ptauPowerFor(f) === 16).map((f) => f.id);
      const families = ids.map((id) => familyById(id));
      const state = await setupInit(opts.dir, {
        families,
        ptauFile: opts.ptau,
        allowUnlistedPtau: opts.allowUnlisted === true,
        onProgress: notes(),
      });
      out(`ceremony initialised in ${opts.dir} with ptau 2^${state.ptau.power} (${state.ptau.origin})`);
      for (const c of state.circuits) {
        out(
          `  ${c.name.padEnd(24)} ${String(c.constraints).padStart(7)} constraints, needs ptau 2^${c.requiredPower}`,
        );
      }
      out('next: each contributor runs `zkreserve setup contribute --dir <dir> --name <who>`');
    });
}
