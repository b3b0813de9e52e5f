// zkreserve anchor deploy | publish: the on-chain anchor (docs/anchoring.md). `deploy` puts a key set's
// solvency verifier and a SolvencyRegistry on a chain; `publish` sends a bundle's solvency proof, public
// signals and digest to the registry, which verifies the proof before recording the round. The actions live
// in anchor-actions.ts, imported when a subcommand runs.
import type { Command } from 'commander';
import type { DeployOptions, PublishOptions } from './anchor-actions.js';

export function registerAnchor(program: Command): void {
  const anchor = program
    .command('anchor')
    .description('the on-chain anchor: a registry contract that verifies and records each solvency round');
  anchor
    .command('deploy')
    .description(
      "deploy a key set's solvency verifier and a registry (the key file's address is its operator)",
    )
    .requiredOption('--rpc <url>', 'JSON-RPC endpoint of the chain')
    .requiredOption('--key-file <file>', "the operator's Ethereum private key (hex, mode 0600)")
    .requiredOption('--keys <dir>', 'the key set (zkreserve setup export, or keys/dev)')
    .option('--family <id>', 'the circuit family, when the key set holds several (e.g. b64-n8-k8)')
    .option('--insecure-dev-keys', 'allow the public, insecure development keys (tests and demos only)')
    .option('--json', 'machine-readable output')
    .action(async (opts: DeployOptions) => (await import('./anchor-actions.js')).deploy(opts));
  anchor
    .command('publish')
    .description('verify a bundle and publish its solvency proof, signals and digest to a registry')
    .argument('<bundle-dir>', 'bundle directory')
    .requiredOption('--rpc <url>', 'JSON-RPC endpoint of the chain')
    .requiredOption('--registry <address>', 'the SolvencyRegistry (from anchor deploy)')
    .requiredOption('--key-file <file>', "the operator's Ethereum private key (hex, mode 0600)")
    .option('--json', 'machine-readable output')
    .action(async (dir: string, opts: PublishOptions) =>
      (await import('./anchor-actions.js')).publish(dir, opts),
    );
}
