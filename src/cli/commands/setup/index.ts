// zkreserve setup ...: thin wrappers over the trusted-setup ceremony (src/setup/ceremony/, ptau.ts), one
// file per subcommand.
import type { Command } from 'commander';
import { registerSetupBeacon } from './beacon.js';
import { registerSetupContribute } from './contribute.js';
import { registerSetupExport } from './export.js';
import { registerSetupImportPtau } from './import-ptau.js';
import { registerSetupInit } from './init.js';
import { registerSetupVerify } from './verify.js';

export function registerSetup(program: Command): void {
  const setup = program
    .command('setup')
    .description(
      'trusted-setup ceremony: import a powers-of-tau, collect contributions, apply a beacon, export keys',
    );
  registerSetupImportPtau(setup);
  registerSetupInit(setup);
  registerSetupContribute(setup);
  registerSetupBeacon(setup);
  registerSetupVerify(setup);
  registerSetupExport(setup);
}
