// zkreserve secret new <file>: a fresh 32-byte operator secret, hex, mode 0600; never overwrites.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliUsageError, InsecureSecretError } from '../errors.js';
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

/**
 * The fewest distinct byte values a secret may hold. 32 random bytes hold 30 distinct values on average, and
 * fewer than 16 with a probability far below 2^-60; a secret with fewer was not drawn at random (all bytes
 * equal, a short pattern repeated). This catches no-entropy secrets, not every weak one: a secret typed by
 * hand or derived from a password may pass; use `zkreserve secret new`.
 */
export const MIN_DISTINCT_SECRET_BYTES = 16;

/**
 * Reads a secret file: hex, at least 32 bytes, readable by its owner only (as ssh requires of private keys:
 * no permission bit for group or others, mode & 0o077 == 0; not checked on Windows, which has no such bits),
 * and at least MIN_DISTINCT_SECRET_BYTES distinct byte values.
 */
export function readSecretFile(file: string): Uint8Array {
  let text: string;
  let mode: number;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new CliUsageError(`cannot read secret file ${file}: ${(e as Error).message}`);
  }
  if (!/^([0-9a-fA-F]{2}){32,}$/.test(text)) {
    throw new CliUsageError(
      `secret file ${file} must hold at least 32 bytes as hex (zkreserve secret new <file>)`,
    );
  }
  assertOwnerOnly(file, mode, 'secret file', 'the operator secret must be private');
  const bytes = new Uint8Array(Buffer.from(text, 'hex'));
  const distinct = new Set(bytes).size;
  if (distinct < MIN_DISTINCT_SECRET_BYTES) {
    throw new InsecureSecretError(
      `secret file ${file} has no entropy: its ${bytes.length} bytes take only ${distinct} distinct ` +
        `value${distinct === 1 ? '' : 's'} (at least ${MIN_DISTINCT_SECRET_BYTES} expected of random bytes); ` +
        'make a new one with: zkreserve secret new <file>',
    );
  }
  return bytes;
}

/**
 * The owner-only rule of secret files (readSecretFile, the anchor's Ethereum key file): no permission bit for
 * group or others (mode & 0o077 == 0), as ssh requires of private keys; not checked on Windows. Throws
 * InsecureSecretError naming `label`, the file, its mode and `why`.
 */
export function assertOwnerOnly(file: string, mode: number, label: string, why: string): void {
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new InsecureSecretError(
      `${label} ${file} is accessible by group or others (mode 0${(mode & 0o777).toString(8)}): ` +
        `${why}; run: chmod 600 ${file}`,
    );
  }
}
