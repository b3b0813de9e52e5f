// The solvency tree built on worker threads: the same steps as buildSolvencyTree (src/tree/tree-steps.ts),
// each hash batch spread over the hashing workers (hash-pool.ts), which also MAC every user's salt and
// sort key while this thread validates the statement (checked against a sample recomputed here,
// src/tree/user-derivations.ts). The result is identical to the single-thread build. Its salts use
// node:crypto's HMAC unless told otherwise. Node only.
import { createHmac } from 'node:crypto';
import { poseidon } from '../crypto/poseidon.js';
import type { CircuitFamily } from '../protocol/families.js';
import { bytesToHex } from '../crypto/sha256.js';
import { field31 } from '../protocol/encoding.js';
import { assertSecret, userMessagePrefixes } from '../protocol/salts.js';
import { runTreeSteps, solvencyTreeSteps, treeInput, treeSteps } from '../tree/tree-steps.js';
import type { SolvencyStatement, SolvencyTree, TreeOptions, UserDerivations } from '../tree/types.js';
import { createHashPool } from './hash-pool.js';

/** node:crypto's HMAC-SHA256 (the same function as @noble/hashes', about twice as fast here). */
function nodeHmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  return createHmac('sha256', key).update(message).digest();
}

/** Below this many leaf slots the tree is hashed on the calling thread: starting the workers costs more. */
export const MIN_PARALLEL_SLOTS = 1024;

export interface ParallelTreeOptions extends TreeOptions {
  /** Hashing worker threads (default: available cores). */
  workers?: number;
  /**
   * Below this many leaf slots (users or padToUsers) the tree is built on this thread with poseidon-lite:
   * starting the workers costs more than it saves (default MIN_PARALLEL_SLOTS).
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
  const slots = Math.max(statement.users?.length ?? 0, options.padToUsers ?? 0);
  if (slots < (options.minParallelSlots ?? MIN_PARALLEL_SLOTS)) {
    return runTreeSteps(solvencyTreeSteps(statement, secret, family, treeOptions), poseidon);
  }
  const pool = createHashPool(options.workers !== undefined ? { workers: options.workers } : {});
  try {
    // The workers MAC every user's salt and sort key while this thread validates the statement.
    assertSecret(secret);
    // (Not when the caller gave its own HMAC: then every salt is derived with it.)
    const ids = options.hmac ? null : accountIdsOf(statement);
    const ctx = { secret, currency: statement.currency, snapshotTime: statement.snapshotTime };
    const { salt, orderKey } = userMessagePrefixes(ctx);
    const macs = ids ? pool.macMany(secret, [salt, orderKey], ids) : Promise.resolve(null);
    macs.catch(() => undefined); // awaited below, after the validation (which may throw first)
    const input = treeInput(statement, secret, family, treeOptions);
    const steps = treeSteps(input, derivationsFrom(await macs));
    let next = steps.next();
    while (!next.done) next = steps.next(await pool.hashMany(next.value));
    return next.value;
  } finally {
    await pool.close();
  }
}

/** The account ids, when the users are an array of objects with string ids (treeInput checks the rest). */
function accountIdsOf(statement: SolvencyStatement): string[] | null {
  const users: unknown = statement.users;
  if (!Array.isArray(users)) return null;
  const ids: string[] = [];
  for (const u of users) {
    const id: unknown = (u as { accountId?: unknown } | null)?.accountId;
    if (typeof id !== 'string') return null;
    ids.push(id);
  }
  return ids;
}

/** Salts (field31 of the MAC) and sort keys (the MAC in hex) from the workers' MACs. */
function derivationsFrom(macs: Uint8Array[] | null): UserDerivations | undefined {
  if (!macs) return undefined;
  const [saltMacs, keyMacs] = macs as [Uint8Array, Uint8Array];
  const n = saltMacs.length / 32;
  const salts = new Array<bigint>(n);
  const orderKeys = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    salts[k] = field31(saltMacs.subarray(k * 32, k * 32 + 32));
    orderKeys[k] = bytesToHex(keyMacs.subarray(k * 32, k * 32 + 32));
  }
  return { salts, orderKeys };
}
