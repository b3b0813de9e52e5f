// The solvency tree built on worker threads: the same steps as buildSolvencyTree (src/tree/tree-steps.ts),
// each hash batch spread over the hashing workers (hash-pool.ts). The result is identical to the
// single-thread build. Its salts use node:crypto's HMAC unless told otherwise. Node only.
import { createHmac } from 'node:crypto';
import { poseidon } from '../crypto/poseidon.js';
import type { CircuitFamily } from '../protocol/families.js';
import { runTreeSteps, solvencyTreeSteps } from '../tree/tree-steps.js';
import type { SolvencyStatement, SolvencyTree, TreeOptions } from '../tree/types.js';
import { createHashPool } from './hash-pool.js';

/** node:crypto's HMAC-SHA256 (the same function as @noble/hashes', about twice as fast here). */
function nodeHmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  return createHmac('sha256', key).update(message).digest();
}

export interface ParallelTreeOptions extends TreeOptions {
  /** Hashing worker threads (default: available cores). */
  workers?: number;
  /**
   * Below this many leaf slots (users or padToUsers) the tree is built on this thread with poseidon-lite:
   * starting the workers costs more than it saves (default 1024).
   */
  minParallelSlots?: number;
}

/** Builds the tree of `statement` (see buildSolvencyTree); throws the same errors on bad input. */
export async function buildSolvencyTreeParallel(
  statement: SolvencyStatement,
  secret: Uint8Array,
  family: CircuitFamily,
  options: ParallelTreeOptions = {},
): Promise<SolvencyTree> {
  const treeOptions: TreeOptions = {
    ...(options.padToUsers !== undefined ? { padToUsers: options.padToUsers } : {}),
    hmac: options.hmac ?? nodeHmac,
  };
  const steps = solvencyTreeSteps(statement, secret, family, treeOptions);
  const slots = Math.max(statement.users?.length ?? 0, options.padToUsers ?? 0);
  if (slots < (options.minParallelSlots ?? 1024)) return runTreeSteps(steps, poseidon);
  // Start the workers first: they load their WebAssembly while this thread derives the salts and order.
  const pool = createHashPool(options.workers !== undefined ? { workers: options.workers } : {});
  try {
    let next = steps.next();
    while (!next.done) next = steps.next(await pool.hashMany(next.value));
    return next.value;
  } finally {
    await pool.close();
  }
}
