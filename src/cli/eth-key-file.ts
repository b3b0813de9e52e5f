// The operator's Ethereum private key for `anchor deploy` / `anchor publish`: a file holding 64 hex digits
// (an optional 0x and surrounding whitespace allowed), readable by its owner only (the rule of secret files,
// assertOwnerOnly). The key is never printed: no error message below quotes the file's content.
import { readFileSync, statSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1';
import type { Hex } from 'viem';
import { CliUsageError } from './errors.js';
import { assertOwnerOnly } from './commands/secret.js';

/** Reads and checks the Ethereum key file `file`. */
export function readEthKeyFile(file: string): Hex {
  let text: string;
  let mode: number;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new CliUsageError(`cannot read key file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  assertOwnerOnly(file, mode, 'key file', 'an Ethereum private key must be private');
  const hex = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    throw new CliUsageError(
      `key file ${file} must hold one Ethereum private key: 64 hex digits (0x optional)`,
    );
  if (!secp256k1.utils.isValidPrivateKey(hex))
    throw new CliUsageError(
      `key file ${file} does not hold a valid secp256k1 private key (0 or not below the order)`,
    );
  return `0x${hex.toLowerCase()}`;
}
