// Salts and sort keys computed elsewhere (the tree-build workers) are checked before the tree uses them:
// count, form, and a recomputed sample (every 1,024th user, the first and the last). Attack or fault: a
// bulk implementation that derives them differently from protocol.md §3 (another message layout, another
// key) would put users in positions and salts the protocol does not define.
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../src/crypto/sha256.js';
import { field31 } from '../../src/protocol/encoding.js';
import { userMessagePrefixes, userOrderKey, userSalt } from '../../src/protocol/salts.js';
import type { SaltContext } from '../../src/protocol/salts.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { UserDerivationsError } from '../../src/tree/errors.js';
import { treeInput, treeSteps, runTreeSteps } from '../../src/tree/tree-steps.js';
import { userDerivations } from '../../src/tree/user-derivations.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { poseidon } from '../../src/crypto/poseidon.js';
import { syntheticStatement, treeFacts } from './tree-facts.js';

const SECRET = new Uint8Array(32).fill(8);
const st = syntheticStatement(2100, 5);
const ctx: SaltContext = { secret: SECRET, currency: st.currency, snapshotTime: st.snapshotTime };
const ids = st.users.map((u) => u.accountId);
const honest = userDerivations(ctx, ids);

describe('user derivations', () => {
  it('the message prefixes give the protocol salt and sort key: MAC(prefix + accountId)', () => {
    const { salt, orderKey } = userMessagePrefixes(ctx);
    const enc = new TextEncoder();
    for (const id of ids.slice(0, 20)) {
      expect(field31(hmacSha256(SECRET, enc.encode(salt + id)))).toBe(userSalt(ctx, id));
      expect(Buffer.from(hmacSha256(SECRET, enc.encode(orderKey + id))).toString('hex')).toBe(
        userOrderKey(ctx, id),
      );
    }
  });

  it('given honest values, the tree equals the one that derives them itself', () => {
    const tree = runTreeSteps(treeSteps(treeInput(st, SECRET, B64_N8_K8), honest), poseidon);
    expect(treeFacts(tree)).toEqual(treeFacts(buildSolvencyTree(st, SECRET, B64_N8_K8)));
  });

  it('refuses a wrong count, a malformed salt or key, and a wrong value at a sampled user', () => {
    const cases: [string, () => unknown][] = [
      ['one salt short', () => userDerivations(ctx, ids, { ...honest, salts: honest.salts.slice(1) })],
      [
        'salt of 249 bits',
        () => userDerivations(ctx, ids, { ...honest, salts: with1(honest.salts, 7, 1n << 248n) }),
      ],
      [
        'key in upper case',
        () =>
          userDerivations(ctx, ids, {
            ...honest,
            orderKeys: with1(honest.orderKeys, 3, honest.orderKeys[3]!.toUpperCase()),
          }),
      ],
      [
        'salt of user 1024 changed',
        () =>
          userDerivations(ctx, ids, {
            ...honest,
            salts: with1(honest.salts, 1024, honest.salts[1024]! ^ 1n),
          }),
      ],
      [
        'key of the last user swapped',
        () =>
          userDerivations(ctx, ids, {
            ...honest,
            orderKeys: with1(honest.orderKeys, ids.length - 1, honest.orderKeys[0]!),
          }),
      ],
      [
        'keyed with another secret',
        () => userDerivations(ctx, ids, userDerivations({ ...ctx, secret: new Uint8Array(32).fill(9) }, ids)),
      ],
    ];
    for (const [what, f] of cases) expect(f, what).toThrow(UserDerivationsError);
  });

  it('does not catch a single wrong value off the sample (what the check does not guarantee)', () => {
    expect(() =>
      userDerivations(ctx, ids, { ...honest, salts: with1(honest.salts, 5, honest.salts[5]! ^ 1n) }),
    ).not.toThrow();
  });
});

function with1<T>(xs: readonly T[], i: number, v: T): T[] {
  const copy = [...xs];
  copy[i] = v;
  return copy;
}
