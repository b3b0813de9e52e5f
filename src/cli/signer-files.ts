// The signer key file on disk (mode 0600, never overwritten, refused when group or others may read it, like
// the operator secret), the pinned signer set a verifier passes with --signers, and a bundle's
// signatures.json. Formats: src/publication.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ZkReserveError } from '../errors.js';
import { SignerKeyError } from '../publication/errors.js';
import { parseSignerKey, signerKeyText } from '../publication/signer-key.js';
import type { SignerKey } from '../publication/signer-key.js';
import { parseSignerSet } from '../publication/signer-set.js';
import type { SignerSet } from '../publication/signer-set.js';
import { SIGNATURES_FILE } from '../publication/signature-file.js';
import { CliUsageError } from './errors.js';

/** Writes a new key file with mode 0600; refuses to overwrite anything. */
export function writeSignerKeyFile(file: string, key: SignerKey): void {
  try {
    writeFileSync(file, signerKeyText(key), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliUsageError(`${file} already exists: refusing to overwrite a signer key`);
    }
    throw new CliUsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/**
 * Reads a signer key file: readable by its owner only (mode & 0o077 == 0, as ssh requires of private keys;
 * not checked on Windows), and a well-formed key whose public key matches its private key.
 */
export function readSignerKeyFile(file: string): SignerKey {
  let text: string;
  let mode: number;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliUsageError(`cannot read signer key ${file}: ${(e as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SignerKeyError(
      `signer key ${file} is accessible by group or others (mode 0${(mode & 0o777).toString(8)}): a ` +
        `private key must be private; run: chmod 600 ${file}`,
    );
  }
  return parseSignerKey(text, file);
}

/** Reads a pinned signer set; a missing or bad file is a usage error naming the problem. */
export function readSignerSetFile(file: string): SignerSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliUsageError(`cannot read signer set ${file}: ${(e as Error).message}`);
  }
  try {
    return parseSignerSet(text, file);
  } catch (e) {
    if (e instanceof ZkReserveError) throw new CliUsageError(e.message);
    throw e;
  }
}

/** The text of `<bundle>/signatures.json`, or null when the bundle has none. */
export async function readSignaturesText(bundleDir: string): Promise<string | null> {
  try {
    return await readFile(path.join(bundleDir, SIGNATURES_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliUsageError(`cannot read ${path.join(bundleDir, SIGNATURES_FILE)}: ${(e as Error).message}`);
  }
}
