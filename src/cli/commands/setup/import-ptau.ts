// zkreserve setup import-ptau <file>: check a powers-of-tau file and show which families it fits.
import type { Command } from 'commander';
import { FAMILIES, ptauPowerFor } from '../../../protocol/families.js';
import { importPtau } from '../../../setup/ptau.js';
import { out } from '../../../terminal/output.js';
import { notes } from './common.js';

export function registerSetupImportPtau(setup: Command): void {
  setup
    .command('import-ptau')
    .description(
      'check a powers-of-tau file against the published Hermez hashes and show which circuits it fits',
    )
    .argument('<file>', 'a powersOfTau28_hez_final_NN.ptau file')
    .option('--allow-unlisted', 'accept a file that is not on the published list (recorded as "unlisted")')
    .action(async (file: string, opts: { allowUnlisted?: boolean }) => {
      const r = await importPtau(file, { allowUnlisted: opts.allowUnlisted === true, onProgress: notes() });
      out(`ptau ${r.file}`);
      out(`  power         2^${r.power} (from a 2^${r.ceremonyPower} ceremony)`);
      out(`  origin        ${r.origin}${r.hermezFile ? ` (${r.hermezFile})` : ''}`);
      out(`  blake2b-512   ${r.blake2b}`);
      out(`  sha256        ${r.sha256}`);
      for (const f of FAMILIES) {
        const need = ptauPowerFor(f);
        out(`  family ${f.id.padEnd(14)} needs 2^${need}: ${need <= r.power ? 'fits' : 'too small'}`);
      }
    });
}
