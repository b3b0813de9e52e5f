// The batched tree build (src/tree/tree-steps.ts: every chunk's levels computed once, paths read from them)
// against the reference build (test/tree/reference-tree.ts: the previous implementation, which re-hashed a
// chunk for every path), for sizes that exercise padding leaves, padding chunks, padding children and
// several aggregation levels, in both the dev and the production family.
import { describe, expect, it } from 'vitest';
import { B64_N128_K16, B64_N8_K8 } from '../../src/protocol/families.js';
import type { CircuitFamily } from '../../src/protocol/families.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { InvalidStatementError } from '../../src/tree/errors.js';
import { buildReferenceTree } from './reference-tree.js';
import { syntheticStatement, treeFacts } from './tree-facts.js';

const SECRET = new Uint8Array(32).map((_, i) => (i * 31 + 5) & 0xff);

/** name, family, users, padToUsers, the expected nodes per level. */
const CASES: [string, CircuitFamily, number, number | undefined, number[]][] = [
  ['dev family, no users (one padding chunk)', B64_N8_K8, 0, undefined, [1, 1]],
  ['dev family, one user', B64_N8_K8, 1, undefined, [1, 1]],
  ['dev family, a full chunk', B64_N8_K8, 8, undefined, [1, 1]],
  ['dev family, 9 chunks: two aggregation levels, padding children', B64_N8_K8, 70, undefined, [9, 2, 1]],
  ['dev family, padded with whole chunks to three levels', B64_N8_K8, 20, 520, [65, 9, 2, 1]],
  ['production family, padding leaves and a padding chunk', B64_N128_K16, 40, 256, [2, 1]],
  ['production family, 17 chunks: two aggregation levels', B64_N128_K16, 30, 17 * 128, [17, 2, 1]],
];

describe('the batched tree build equals the reference build', () => {
  for (const [name, family, users, padToUsers, levels] of CASES) {
    it(name, () => {
      const st = syntheticStatement(users, users + 1);
      const options = padToUsers === undefined ? {} : { padToUsers };
      const tree = buildSolvencyTree(st, SECRET, family, options);
      expect(tree.levelCounts).toEqual(levels);
      expect(treeFacts(tree)).toEqual(treeFacts(buildReferenceTree(st, SECRET, family, options)));
    });
  }

  it('refuses an over-large partial sum like the reference', () => {
    const st = syntheticStatement(3);
    st.users.forEach((u) => (u.liability = (1n << 64n) - 1n));
    const narrow = { ...B64_N8_K8, sumBits: 65 };
    expect(() => buildReferenceTree(st, SECRET, narrow)).toThrow(InvalidStatementError);
    expect(() => buildSolvencyTree(st, SECRET, narrow)).toThrow(/a partial sum exceeds 2\^65/);
  });
});
