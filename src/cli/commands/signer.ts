// zkreserve signer new <file> [--name N] [--role operator|auditor] | signer show <file>: Ed25519 signer keys
// for the signed publication (docs/reserves.md).
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { fingerprint } from '../../publication/ed25519.js';
import { isSignerRole } from '../../publication/signature-entry.js';
import { signerKeyFromSeed } from '../../publication/signer-key.js';
import type { SignerKey } from '../../publication/signer-key.js';
import { signerSetLine } from '../../publication/signer-set.js';
import { CliUsageError } from '../errors.js';
import { readSignerKeyFile, writeSignerKeyFile } from '../signer-files.js';
import { out } from '../../terminal/output.js';

function printPublic(key: SignerKey): void {
  out(`public key   ${key.publicKey}`);
  out(`fingerprint  ${fingerprint(key.publicKey)}`);
  out('signer line (paste into the "signers" list of a signer set that verifiers pin with --signers):');
  out(signerSetLine(key));
}

export function registerSigner(program: Command): void {
  const signer = program.command('signer').description('Ed25519 keys that sign bundles, packets and indexes');
  signer
    .command('new')
    .description('write a fresh Ed25519 signer key to a new file with mode 0600')
    .argument('<file>', 'file to create (refuses to overwrite)')
    .option('--name <name>', 'the name verifiers know this signer by', 'operator')
    .option('--role <role>', 'operator (signs bundles and packets) or auditor (co-signs bundles)', 'operator')
    .action((file: string, opts: { name: string; role: string }) => {
      if (!isSignerRole(opts.role)) {
        throw new CliUsageError(`--role must be operator or auditor, got ${JSON.stringify(opts.role)}`);
      }
      if (opts.name.trim() === '') throw new CliUsageError('--name may not be empty');
      const key = signerKeyFromSeed(randomBytes(32).toString('hex'), opts.name, opts.role);
      writeSignerKeyFile(file, key);
      out(`wrote a new ${key.role} signer key "${key.name}" to ${file} (mode 0600). Keep it private.`);
      printPublic(key);
    });
  signer
    .command('show')
    .description("print a signer key's public key, fingerprint and signer-set line")
    .argument('<file>', 'a signer key file')
    .action((file: string) => {
      const key = readSignerKeyFile(file);
      out(`${key.role} "${key.name}"`);
      printPublic(key);
    });
}
