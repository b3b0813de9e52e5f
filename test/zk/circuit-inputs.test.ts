// The witness stage: tree nodes -> circuit inputs and expected public signals, checked against values
// recomputed here from the tree's bigints and the salts (not from the module under test).
import { describe, expect, it } from 'vitest';
import { PAD_CHILD, poseidon, sumCommitment } from '../../src/crypto/poseidon.js';
import { B64_N8_K8, SOLVENCY_PUBLIC_INPUTS } from '../../src/protocol/families.js';
import { sumSalt } from '../../src/protocol/salts.js';
import { buildSolvencyTree, childNodes } from '../../src/tree/solvency-tree.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';
import {
  aggregateInput,
  chunkInput,
  expectedPublicSignals,
  expectedSolvencySignals,
  solvencyInput,
} from '../../src/zk/circuit-inputs.js';

const SECRET = new Uint8Array(32).fill(5);
const T = 1_751_284_800_000;
const HEAD = '0123456789abcdef'.repeat(4);

function statement(n: number): SolvencyStatement {
  return {
    currency: 'EUR',
    decimals: 2,
    snapshotTime: T,
    auditHead: { sequence: 3, hash: HEAD },
    reserves: 10n ** 12n,
    users: Array.from({ length: n }, (_, i) => ({
      accountId: (i + 1).toString(16).padStart(64, '0'),
      externalRef: `u${i}`,
      liability: BigInt(1000 + i),
    })),
  };
}

const dec = (xs: readonly bigint[]) => xs.map((x) => x.toString());

describe('circuit inputs from the tree', () => {
  // 70 users with padding to 72 slots: 9 chunks, levels 9 / 2 / 1 (the second level-1 node has 1 child).
  const tree = buildSolvencyTree(statement(70), SECRET, B64_N8_K8, { padToUsers: 72 });
  const ctx = { secret: SECRET, currency: 'EUR', snapshotTime: T };

  it('chunk input: the N leaf slots (users and padding, in keyed order) and the chunk sum salt', () => {
    expect(tree.levelCounts).toEqual([9, 2, 1]);
    for (const c of tree.chunks) {
      const input = chunkInput(c);
      expect(input.userCommit).toEqual(dec(c.leaves.map((l) => l.userCommit)));
      expect(input.balance).toEqual(dec(c.leaves.map((l) => l.balance)));
      expect(input.sumSalt).toBe(sumSalt(ctx, 0, c.index).toString());
      expect(expectedPublicSignals(c)).toEqual(dec([c.root, c.sumCommit]));
    }
    // The 72 slots hold the 70 users' balances and two padding leaves (balance 0), spread by the keyed
    // leaf order (protocol.md §3) rather than users first.
    const slots = tree.chunks.flatMap((c) => chunkInput(c).balance as string[]);
    const sorted = (xs: string[]) => [...xs].sort((a, b) => Number(BigInt(a) - BigInt(b)));
    expect(sorted(slots)).toEqual(['0', '0', ...dec(Array.from({ length: 70 }, (_, i) => BigInt(1000 + i)))]);
  });

  it('aggregate input: children from the level below, padding children with sum and salt 0', () => {
    const [first, second] = tree.aggregates[0]!;
    const full = aggregateInput(tree, first!);
    expect(full.childRoot).toEqual(dec(tree.chunks.slice(0, 8).map((c) => c.root)));
    expect(full.childSumCommit).toEqual(dec(tree.chunks.slice(0, 8).map((c) => c.sumCommit)));
    expect(full.childSum).toEqual(dec(tree.chunks.slice(0, 8).map((c) => c.sum)));
    expect(full.childSumSalt).toEqual(dec(tree.chunks.slice(0, 8).map((c) => sumSalt(ctx, 0, c.index))));
    expect(full.sumSalt).toBe(sumSalt(ctx, 1, 0).toString());

    const padded = aggregateInput(tree, second!);
    expect(padded.childRoot).toEqual(dec([tree.chunks[8]!.root, ...Array(7).fill(PAD_CHILD.root)]));
    expect(padded.childSumCommit).toEqual(
      dec([tree.chunks[8]!.sumCommit, ...Array(7).fill(sumCommitment(0n, 0n))]),
    );
    expect(padded.childSum).toEqual(dec([tree.chunks[8]!.sum, ...Array(7).fill(0n)]));
    expect(padded.childSumSalt).toEqual(dec([sumSalt(ctx, 0, 8), ...Array(7).fill(0n)]));

    // Level 2 reads level 1.
    const top = aggregateInput(tree, tree.top);
    expect(top.childSum).toEqual(dec([first!.sum, second!.sum, ...Array(6).fill(0n)]));
    expect(childNodes(tree, tree.top).slice(0, 2)).toEqual([first, second]);
    expect(childNodes(tree, tree.top).slice(2)).toEqual(Array(6).fill(null));
  });

  it('aggregate expected signals: root, sumCommit, the K child roots, the K child sum commitments', () => {
    const a = tree.aggregates[0]![1]!;
    const roots = [tree.chunks[8]!.root, ...Array(7).fill(0n)];
    const commits = [tree.chunks[8]!.sumCommit, ...Array(7).fill(sumCommitment(0n, 0n))];
    expect(a.root).toBe(poseidon(roots));
    expect(expectedPublicSignals(a)).toEqual(dec([a.root, a.sumCommit, ...roots, ...commits]));
  });

  it('solvency input and signals, with and without the disclosed total', () => {
    const total = tree.users.reduce((s, u) => s + u.balance, 0n);
    const hidden = solvencyInput(tree, false);
    expect(hidden).toEqual({
      root: tree.top.root.toString(),
      sumCommit: sumCommitment(total, sumSalt(ctx, 2, 0)).toString(),
      reserves: (10n ** 12n).toString(),
      snapshotTime: String(T),
      // protocol.md §1: decimals · 2^248 + the code's bytes as a big-endian integer.
      currencyId: ((2n << 248n) + BigInt('0x' + Buffer.from('EUR').toString('hex'))).toString(),
      auditHeadHi: BigInt('0x' + HEAD.slice(0, 32)).toString(),
      auditHeadLo: BigInt('0x' + HEAD.slice(32)).toString(),
      discloseTotal: '0',
      disclosedTotal: '0',
      total: total.toString(),
      sumSalt: sumSalt(ctx, 2, 0).toString(),
    });
    const shown = solvencyInput(tree, true);
    expect(shown.discloseTotal).toBe('1');
    expect(shown.disclosedTotal).toBe(total.toString());
    expect(expectedSolvencySignals(tree, true)).toEqual(SOLVENCY_PUBLIC_INPUTS.map((k) => shown[k]));
    expect(expectedSolvencySignals(tree, false)).toHaveLength(9);
    expect(expectedSolvencySignals(tree, false)).not.toContain(total.toString());
  });
});
