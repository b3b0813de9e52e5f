// Which Groth16 keys a proof uses: a ceremony export (--keys) or, only when asked for, the insecure dev keys.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { devKeyDirs, ensureDevKeys } from '../setup/dev-ceremony.js';
import type { ProgressFn } from '../setup/progress.js';
import { INSECURE_DEV_KEYS_WARNING, loadKeySet, readManifest } from '../setup/keyset.js';
import type { KeySet } from '../setup/keyset.js';
import { CIRCUIT_KINDS, circuitName, familyFor } from '../protocol/families.js';
import { CliExit, EXIT_USAGE } from './errors.js';
import { banner } from '../terminal/output.js';

export interface KeyChoice {
  keys?: string;
  insecureDevKeys?: boolean;
}

function refuseDevKeys(why: string): never {
  banner([
    'REFUSING TO USE INSECURE DEVELOPMENT KEYS.',
    INSECURE_DEV_KEYS_WARNING,
    'Use --keys <dir> with the keys exported from a trusted-setup ceremony (zkreserve setup ..., docs/ceremony.md), ' +
      'or pass --insecure-dev-keys if this is only a test or a demo.',
  ]);
  throw new CliExit(EXIT_USAGE, `error: ${why}`);
}

/** The key set for a currency with `decimals` decimals. */
export async function resolveKeys(
  choice: KeyChoice,
  decimals: number,
  onProgress?: ProgressFn,
): Promise<KeySet> {
  if (choice.keys !== undefined) {
    const manifest = await readManifest(choice.keys);
    const family = [familyFor(decimals, 'production'), familyFor(decimals, 'dev')].find((f) =>
      CIRCUIT_KINDS.every((k) => manifest.circuits[circuitName(f, k)] !== undefined),
    );
    if (!family) {
      throw new CliExit(
        EXIT_USAGE,
        `error: the keys in ${choice.keys} have no circuit family for a currency with ${decimals} decimals ` +
          `(need ${familyFor(decimals, 'production').id} or ${familyFor(decimals, 'dev').id})`,
      );
    }
    if (manifest.kind === 'insecure-dev' && !choice.insecureDevKeys) {
      refuseDevKeys(`${choice.keys} holds insecure development keys and --insecure-dev-keys was not given`);
    }
    return loadKeySet(choice.keys, family);
  }
  if (!choice.insecureDevKeys) {
    refuseDevKeys(
      'no --keys given: the default keys are the insecure development keys, which need --insecure-dev-keys',
    );
  }
  const committed = existsSync(path.join(devKeyDirs().committedDir, 'manifest.json'));
  return ensureDevKeys(familyFor(decimals, 'dev'), {
    checkCommitted: committed,
    ...(onProgress ? { onProgress } : {}),
  });
}
