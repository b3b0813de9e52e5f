// zkreserve export-verifier <bundle-dir> --out Verifier.sol: the Solidity Groth16 verifiers of a bundle's
// three circuits (rendered by src/zk/solidity.ts from snarkjs' own template).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readBundle } from '../../bundle-io/read.js';
import type { CircuitKind } from '../../protocol/families.js';
import { CIRCUIT_KINDS } from '../../protocol/families.js';
import { CONTRACT_NAMES, renderSolidityVerifier } from '../../zk/solidity.js';
import { CliUsageError } from '../errors.js';
import { out } from '../../terminal/output.js';

/** Output file of `kind`: `--out` itself for the solvency verifier, `<base>.<kind>.sol` beside it otherwise. */
export function verifierFile(outFile: string, kind: CircuitKind): string {
  if (kind === 'solvency') return outFile;
  const base = outFile.endsWith('.sol') ? outFile.slice(0, -4) : outFile;
  return `${base}.${kind}.sol`;
}

export function registerExportVerifier(program: Command): void {
  program
    .command('export-verifier')
    .description(
      "write Solidity Groth16 verifiers (snarkjs' template) for anchoring a bundle's root on a chain",
    )
    .argument('<bundle-dir>', 'bundle directory')
    .requiredOption(
      '--out <Verifier.sol>',
      'the solvency verifier; the chunk and aggregate verifiers go beside it',
    )
    .action(async (dir: string, opts: { out: string }) => {
      let bundle;
      try {
        bundle = await readBundle(dir, { partial: true });
      } catch (e) {
        throw new CliUsageError(`cannot read bundle ${dir}: ${(e as Error).message}`);
      }
      for (const kind of CIRCUIT_KINDS) {
        const vkey = bundle.vkeys[kind];
        if (vkey?.protocol !== 'groth16')
          throw new CliUsageError(`${dir}: the ${kind} verification key is not Groth16`);
        const file = verifierFile(opts.out, kind);
        writeFileSync(file, renderSolidityVerifier(vkey, CONTRACT_NAMES[kind]), 'utf8');
        out(
          `${kind.padEnd(9)} verifier: ${file} (contract ${CONTRACT_NAMES[kind]}, ${vkey.nPublic} public signals)`,
        );
      }
    });
}
