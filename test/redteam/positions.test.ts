// Red team (issue 9 §3): a leaf's position must reveal nothing about the user count or about membership.
// Account ids are public functions of (USER, currency, reference), so anyone can place an id in [0, 2^256).
// With users sorted by id and padding at the end (zkreserve/1), a packet's position (chunk * N + leaf)
// divided by its id's rank estimated the real user count even under --pad-to, and two accounts whose ids
// bracket a target id learned whether the target is a customer (their leaves are adjacent, or one apart).
// zkreserve/2 orders every slot (users and padding) by a keyed pseudo-random permutation; these tests run
// the attacks on trees (the positions in packets are exactly tree.users' chunk/leaf) and demand chance.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/ledger/account.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import type { SolvencyStatement, SolvencyTree } from '../../src/tree/solvency-tree.js';

const N = B64_N8_K8.chunkUsers;
const HASH = 'ab'.repeat(32);

function statement(refs: readonly string[], snapshotTime: number): SolvencyStatement {
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime,
    auditHead: { sequence: 1, hash: HASH },
    reserves: 1n << 70n,
    users: refs.map((ref, k) => ({
      accountId: accountId('USER', 'USD', ref),
      externalRef: ref,
      liability: BigInt(k + 1),
    })),
  };
}

const secretOf = (seed: number): Uint8Array =>
  new Uint8Array(32).map((_, i) => (i * 31 + seed * 7 + 1) & 0xff);

/** The id's rank in [0, 1): its first 52 bits over 2^52. */
const rankOf = (id: string): number => parseInt(id.slice(0, 13), 16) / 2 ** 52;

const positionOf = (u: SolvencyTree['users'][number]): number => u.chunk * N + u.leaf;

/** Spearman rank correlation. */
function spearman(xs: readonly number[], ys: readonly number[]): number {
  const ranks = (v: readonly number[]): number[] => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  const mean = (n - 1) / 2;
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    num += (rx[i]! - mean) * (ry[i]! - mean);
    dx += (rx[i]! - mean) ** 2;
    dy += (ry[i]! - mean) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}

const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

describe('a leaf position does not estimate the user count (padded trees)', () => {
  const SLOTS = 256; // --pad-to 256: 32 chunks of 8
  const trials = Array.from({ length: 40 }, (_, t) => {
    const users = 8 + 6 * t; // 8 .. 242 users, all padded to 256 slots
    const refs = Array.from({ length: users }, (_, k) => `t${t}-user-${k}`);
    const tree = buildSolvencyTree(statement(refs, 1_000 + t), secretOf(t), B64_N8_K8, {
      padToUsers: SLOTS,
    });
    return { users, tree };
  });

  it('every tree has the padded bound and every slot is used once', () => {
    for (const { users, tree } of trials) {
      expect(tree.paddedUsers).toBe(SLOTS);
      expect(tree.users).toHaveLength(users);
      expect(new Set(tree.users.map(positionOf)).size).toBe(users);
    }
  });

  it("within a tree, a leaf's position is uncorrelated with its id's rank", () => {
    // zkreserve/1: exactly 1 (sorted by id). Under a random order the correlation over the 242 users of the
    // biggest tree has standard deviation ~ 1/sqrt(241) = 0.064.
    const { tree } = trials[trials.length - 1]!;
    const rho = spearman(
      tree.users.map(positionOf),
      tree.users.map((u) => rankOf(u.accountId)),
    );
    expect(Math.abs(rho)).toBeLessThan(0.25);
  });

  it('the per-packet estimate (position + 1) / rank is uncorrelated with the true count', () => {
    // For each tree: the median over its packets of (position + 1) / rank (zkreserve/1: ~ the user count),
    // and the highest-id user's position + 1 (zkreserve/1: exactly the user count).
    const counts = trials.map((t) => t.users);
    const medianEstimate = trials.map(({ tree }) =>
      median(tree.users.map((u) => (positionOf(u) + 1) / rankOf(u.accountId))),
    );
    const topIdEstimate = trials.map(({ tree }) => {
      const top = [...tree.users].sort((a, b) => (a.accountId < b.accountId ? 1 : -1))[0]!;
      return positionOf(top) + 1;
    });
    // 40 trials: a rank correlation's standard deviation is ~ 1/sqrt(39) = 0.16 under independence.
    expect(Math.abs(spearman(counts, medianEstimate))).toBeLessThan(0.5);
    expect(Math.abs(spearman(counts, topIdEstimate))).toBeLessThan(0.5);
    // No estimate beats the padded bound: the highest-id user's slot is spread over the whole tree, not
    // piled up below the true count.
    const belowCount = trials.filter((t, i) => topIdEstimate[i]! <= t.users).length;
    const expected = trials.reduce((s, t) => s + t.users / SLOTS, 0);
    expect(Math.abs(belowCount - expected)).toBeLessThan(10);
  });
});

describe('the bracketing attack learns nothing', () => {
  // A target customer's reference is known to the attacker. The attacker opens two accounts whose ids are
  // the closest below and above the target id among many candidate references; no other user's id lies
  // between them. In zkreserve/1 their positions differed by 2 when the target was a customer, 1 otherwise.
  const target = 'target-customer';
  const targetId = accountId('USER', 'USD', target);
  const candidates = Array.from({ length: 4000 }, (_, k) => `attacker-${k}`).map((ref) => ({
    ref,
    id: accountId('USER', 'USD', ref),
  }));
  const below = candidates.filter((c) => c.id < targetId).sort((a, b) => (a.id < b.id ? 1 : -1))[0]!;
  const above = candidates.filter((c) => c.id > targetId).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;

  it('guesses membership no better than chance over many snapshots', () => {
    let correct = 0;
    let close = 0;
    const TRIALS = 80;
    for (let t = 0; t < TRIALS; t++) {
      const member = t % 2 === 0;
      const others = Array.from({ length: 20 }, (_, k) => `bystander-${t}-${k}`);
      const refs = [...others, below.ref, above.ref, ...(member ? [target] : [])];
      const tree = buildSolvencyTree(statement(refs, 5_000 + t), secretOf(100 + t), B64_N8_K8, {
        padToUsers: 64,
      });
      const pos = (ref: string): number => positionOf(tree.users.find((u) => u.externalRef === ref)!);
      const gap = pos(above.ref) - pos(below.ref);
      if (Math.abs(gap) <= 2) close++;
      // The zkreserve/1 attack: "a customer sits between us" iff the gap is 2.
      if ((gap === 2) === member) correct++;
    }
    // A random order puts the two accounts within 2 slots of each other with probability ~ 4/64.
    expect(close).toBeLessThan(TRIALS * 0.2);
    expect(correct / TRIALS).toBeGreaterThan(0.35);
    expect(correct / TRIALS).toBeLessThan(0.65);
  });
});
