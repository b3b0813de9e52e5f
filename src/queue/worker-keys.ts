// The key sets a worker serves: every family whose three circuits are in `--keys <dir>` (an export of
// `zkreserve setup export`, checked file by file against its manifest by loadKeySet), or, with only
// `--insecure-dev-keys`, insecure dev keys (tests and demos): the quick dev families by default, or the families
// named with --family, production ones included (made once from the insecure 2^16 test ptau, like
// `zkreserve prove --insecure-dev-keys --family ...`).
import { ensureDevKeys } from '../setup/dev-ceremony.js';
import { loadKeySet, readManifest } from '../setup/keyset.js';
import type { KeySet } from '../setup/keyset.js';
import { CIRCUIT_KINDS, FAMILIES, circuitName, familySize } from '../protocol/families.js';
import { QueueWorkerKeysError } from './errors.js';

export interface WorkerKeyChoice {
  /** An exported key directory. */
  dir?: string;
  /** Allow insecure development keys (required for them, and the only source without `dir`). */
  insecureDevKeys?: boolean;
  /** Serve only these family ids (default: every family present). */
  families?: readonly string[];
}

function wanted(choice: WorkerKeyChoice, id: string): boolean {
  return !choice.families || choice.families.includes(id);
}

/** Loads the key sets; throws QueueWorkerKeysError when none is usable. */
export async function loadWorkerKeySets(choice: WorkerKeyChoice): Promise<KeySet[]> {
  for (const id of choice.families ?? []) {
    if (!FAMILIES.some((f) => f.id === id))
      throw new QueueWorkerKeysError(`unknown circuit family ${JSON.stringify(id)}`);
  }
  if (choice.dir === undefined) {
    if (!choice.insecureDevKeys) {
      throw new QueueWorkerKeysError(
        'give --keys <dir> (keys exported by a ceremony), or --insecure-dev-keys for tests',
      );
    }
    // Named families are served whatever their size, as `prove --family` proves with them; without a name, only
    // the dev families (the production-size dev keys take minutes to make on a machine without them).
    const chosen = FAMILIES.filter((f) => (choice.families ? wanted(choice, f.id) : familySize(f) === 'dev'));
    const sets: KeySet[] = [];
    for (const f of chosen) sets.push(await ensureDevKeys(f));
    return sets;
  }
  const manifest = await readManifest(choice.dir);
  if (manifest.kind === 'insecure-dev' && !choice.insecureDevKeys) {
    throw new QueueWorkerKeysError(
      `${choice.dir} holds insecure development keys and --insecure-dev-keys was not given`,
    );
  }
  const present = FAMILIES.filter(
    (f) =>
      wanted(choice, f.id) && CIRCUIT_KINDS.every((k) => manifest.circuits[circuitName(f, k)] !== undefined),
  );
  if (present.length === 0) {
    throw new QueueWorkerKeysError(
      `${choice.dir} holds no complete key set${choice.families ? ` of ${choice.families.join(', ')}` : ''}`,
    );
  }
  const sets: KeySet[] = [];
  for (const f of present) sets.push(await loadKeySet(choice.dir, f));
  return sets;
}
