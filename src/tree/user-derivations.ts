// Each user's salt and leaf-order sort key (protocol.md §3): derived here, or taken from TreeOptions.userDerivations
// (computed in bulk elsewhere, src/tree-build) after checking their count and form and recomputing a sample:
// every 1,024th user, the first and the last. A bulk implementation that disagrees with src/protocol/salts.ts
// is refused before any hashing. Pure; browser-safe.
import { userOrderKey, userSalt } from '../protocol/salts.js';
import type { SaltContext } from '../protocol/salts.js';
import { UserDerivationsError } from './errors.js';
import type { UserDerivations } from './types.js';

const SAMPLE_EVERY = 1024;
const KEY = /^[0-9a-f]{64}$/;
const SALT_LIMIT = 1n << 248n;

/** The users' salts and sort keys: `given` checked (see the file comment), or derived from `ctx`. */
export function userDerivations(
  ctx: SaltContext,
  accountIds: readonly string[],
  given?: UserDerivations,
): UserDerivations {
  if (given === undefined) {
    return {
      salts: accountIds.map((id) => userSalt(ctx, id)),
      orderKeys: accountIds.map((id) => userOrderKey(ctx, id)),
    };
  }
  const n = accountIds.length;
  if (given.salts.length !== n || given.orderKeys.length !== n) {
    throw new UserDerivationsError(
      `${given.salts.length} salts and ${given.orderKeys.length} sort keys given for ${n} users`,
    );
  }
  for (let k = 0; k < n; k++) {
    const salt = given.salts[k];
    if (typeof salt !== 'bigint' || salt < 0n || salt >= SALT_LIMIT) {
      throw new UserDerivationsError(`the salt of user ${k} is not a 248-bit integer`);
    }
    if (!KEY.test(given.orderKeys[k] ?? '')) {
      throw new UserDerivationsError(`the sort key of user ${k} is not 64 lowercase hex digits`);
    }
  }
  const sample = new Set(n > 0 ? [n - 1] : []);
  for (let k = 0; k < n; k += SAMPLE_EVERY) sample.add(k);
  for (const k of sample) {
    const id = accountIds[k]!;
    if (given.salts[k] !== userSalt(ctx, id) || given.orderKeys[k] !== userOrderKey(ctx, id)) {
      throw new UserDerivationsError(
        `the salt or sort key given for user ${k} (${id}) is not the protocol's`,
      );
    }
  }
  return given;
}
