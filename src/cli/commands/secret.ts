// zkreserve secret new <file>: a fresh 32-byte operator secret, hex, mode 0600; never overwrites.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliUsageError } from '../errors.js';
import { out } from '../../terminal/output.js';

export function registerSecret(program: Command): void {
  const secret = program.command('secret').description('the operator secret that derives every salt');
  secret
    .command('new')
    .description('write a fresh random 32-byte secret (hex) to a new file with mode 0600')
    .argument('<file>', 'file to create (refuses to overwrite)')
    .action((file: string) => {
      try {
        writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new CliUsageError(`${file} already exists: refusing to overwrite a secret`);
        }
        throw new CliUsageError(`cannot write ${file}: ${(e as Error).message}`);
      }
      out(`wrote a new operator secret to ${file} (mode 0600). Keep it private and backed up:`);
      out('every salt of every proof is derived from it.');
    });
}

/** Reads a secret file: hex, at least 32 bytes. */
export function readSecretFile(file: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new CliUsageError(`cannot read secret file ${file}: ${(e as Error).message}`);
  }
  if (!/^([0-9a-fA-F]{2}){32,}$/.test(text)) {
    throw new CliUsageError(
      `secret file ${file} must hold at least 32 bytes as hex (zkreserve secret new <file>)`,
    );
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}
