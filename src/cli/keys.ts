// Which Groth16 keys a proof uses: a ceremony export (--keys) or, only when asked for, the insecure dev keys.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { devKeyDirs, ensureDevKeys } from '../setup/dev-ceremony.js';
import type { ProgressFn } from '../setup/progress.js';
import { INSECURE_DEV_KEYS_WARNING, loadKeySet, readManifest } from '../setup/keyset.js';
import type { KeySet } from '../setup/keyset.js';
import {
  CIRCUIT_KINDS,
  FAMILIES,
  balanceBitsFor,
  circuitName,
  familyById,
  familyFor,
  familySize,
} from '../protocol/families.js';
import type { CircuitFamily } from '../protocol/families.js';
import { CliExit, EXIT_USAGE } from './errors.js';
import { banner } from '../terminal/output.js';

export interface KeyChoice {
  keys?: string;
  insecureDevKeys?: boolean;
  /** An explicit circuit family id (`--family`); default: production when its keys are there, else dev. */
  family?: string;
}

/** The families to try for a currency with `decimals` decimals, in order of preference. */
function candidateFamilies(choice: KeyChoice, decimals: number): CircuitFamily[] {
  if (choice.family === undefined) return [familyFor(decimals, 'production'), familyFor(decimals, 'dev')];
  let f: CircuitFamily;
  try {
    f = familyById(choice.family);
  } catch {
    throw new CliExit(
      EXIT_USAGE,
      `error: unknown --family ${JSON.stringify(choice.family)} (one of ${FAMILIES.map((x) => x.id).join(', ')})`,
    );
  }
  if (f.balanceBits !== balanceBitsFor(decimals)) {
    throw new CliExit(
      EXIT_USAGE,
      `error: --family ${f.id} has ${f.balanceBits}-bit balances, but a currency with ${decimals} decimals ` +
        `needs ${balanceBitsFor(decimals)} (protocol.md §2): use ${familyFor(decimals, familySize(f)).id}`,
    );
  }
  return [f];
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
    const candidates = candidateFamilies(choice, decimals);
    const family = candidates.find((f) =>
      CIRCUIT_KINDS.every((k) => manifest.circuits[circuitName(f, k)] !== undefined),
    );
    if (!family) {
      throw new CliExit(
        EXIT_USAGE,
        `error: the keys in ${choice.keys} have no circuit family for a currency with ${decimals} decimals ` +
          `(need ${candidates.map((f) => f.id).join(' or ')})`,
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
  // The quick dev family unless a family is named: the production-size dev keys take minutes to make.
  const family =
    choice.family === undefined ? familyFor(decimals, 'dev') : candidateFamilies(choice, decimals)[0]!;
  return ensureDevKeys(family, {
    checkCommitted: committed,
    ...(onProgress ? { onProgress } : {}),
  });
}
