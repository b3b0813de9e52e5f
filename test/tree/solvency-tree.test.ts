// Pure tests of the salts and the solvency tree (no proving).
import { createHmac, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256, bytesToHex } from '../../src/crypto/sha256.js';
import { userSalt, sumSalt, padCommit } from '../../src/protocol/salts.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { chunkInput, expectedPublicSignals, solvencyInput } from '../../src/zk/circuit-inputs.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';
import { rootFromPath } from '../../src/tree/chunk-tree.js';
import { InvalidStatementError } from '../../src/tree/errors.js';
import { PAD_CHILD, leafHash, poseidon, sumCommitment, userCommitment } from '../../src/crypto/poseidon.js';
import { field31 } from '../../src/protocol/encoding.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';

const SECRET = new Uint8Array(32).fill(9);

function statement(n: number, over: Partial<SolvencyStatement> = {}): SolvencyStatement {
  return {
    currency: 'USD',
    decimals: 2,
    snapshotTime: 1_751_284_800_000,
    auditHead: { sequence: 7, hash: 'ab'.repeat(16) + 'cd'.repeat(16) },
    reserves: 10n ** 9n,
    users: Array.from({ length: n }, (_, i) => ({
      // Reverse order: the tree's order must not depend on the input order.
      accountId: (n - i).toString(16).padStart(64, '0'),
      externalRef: `u${n - i}`,
      liability: BigInt((n - i) * 100),
    })),
    ...over,
  };
}

describe('salts', () => {
  it('sha256 and HMAC-SHA256 match node:crypto', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = new Uint8Array(len).map((_, i) => (i * 7 + len) & 0xff);
      expect(bytesToHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      for (const keyLen of [32, 64, 65, 100]) {
        const key = new Uint8Array(keyLen).map((_, i) => (i * 13 + 1) & 0xff);
        expect(bytesToHex(hmacSha256(key, data))).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }
    }
  });

  it('derives salts exactly as protocol.md §3-§5 says', () => {
    const ctx = { secret: SECRET, currency: 'USD', snapshotTime: 1234 };
    const id = 'aa'.repeat(32);
    const mac = (msg: string) =>
      field31(createHmac('sha256', SECRET).update(Buffer.from(msg, 'utf8')).digest('hex'));
    expect(userSalt(ctx, id)).toBe(mac(`zkreserve/2/user-salt\0USD\x001234\0${id}`));
    expect(padCommit(ctx, 3, 5)).toBe(mac('zkreserve/2/pad\0USD\x001234\x003\x005'));
    expect(sumSalt(ctx, 2, 1)).toBe(mac('zkreserve/2/sum-salt\0USD\x001234\x002\x001'));
    expect(userSalt({ ...ctx, snapshotTime: 1235 }, id)).not.toBe(userSalt(ctx, id));
  });

  it('refuses a short or missing secret', () => {
    expect(() => buildSolvencyTree(statement(3), new Uint8Array(31), B64_N8_K8)).toThrow(
      /31 bytes; at least 32/,
    );
    expect(() => buildSolvencyTree(statement(3), 'secret' as unknown as Uint8Array, B64_N8_K8)).toThrow(
      /Uint8Array/,
    );
  });
});

describe('solvency tree', () => {
  it('builds chunks, padding and aggregation levels per protocol.md', () => {
    const st = statement(20);
    const tree = buildSolvencyTree(st, SECRET, B64_N8_K8);
    expect(tree.levelCounts).toEqual([3, 1]);
    expect(tree.paddedUsers).toBe(24);
    expect(tree.padded).toBe(false);
    expect(tree.total).toBe(st.users.reduce((s, u) => s + u.liability, 0n));
    // The keyed leaf order (protocol.md §3), recomputed with node:crypto: every slot, user or padding, sorted
    // by HMAC-SHA256(secret, "zkreserve/2/leaf-order" 0 USD 0 T 0 kind 0 id).
    const key = (kind: string, id: string): string =>
      createHmac('sha256', SECRET)
        .update(`zkreserve/2/leaf-order\0USD\0${st.snapshotTime}\0${kind}\0${id}`)
        .digest('hex');
    const expected = [
      ...st.users.map((u) => ({ k: key('user', u.accountId), id: u.accountId })),
      ...[0, 1, 2, 3].map((j) => ({ k: key('pad', String(j)), id: null })),
    ].sort((a, b) => (a.k < b.k ? -1 : 1));
    const slotOf = new Map(tree.users.map((u) => [u.accountId, u.chunk * 8 + u.leaf]));
    expected.forEach((e, slot) => {
      if (e.id !== null) expect(slotOf.get(e.id)).toBe(slot);
      else expect(tree.chunks[Math.floor(slot / 8)]!.leaves[slot % 8]!.balance).toBe(0n);
    });
    // tree.users is in slot order, and the input order does not matter.
    const slots = tree.users.map((u) => u.chunk * 8 + u.leaf);
    expect(slots).toEqual([...slots].sort((a, b) => a - b));
    const shuffled = buildSolvencyTree({ ...st, users: [...st.users].reverse() }, SECRET, B64_N8_K8);
    expect(shuffled.top.root).toBe(tree.top.root);
    // Every user's leaf leads to its chunk root.
    for (const u of tree.users) {
      const leaf = leafHash(userCommitment(field31(u.accountId), u.salt), u.balance);
      expect(rootFromPath(leaf, u.leaf, u.siblings, 8)).toBe(tree.chunks[u.chunk]!.root);
    }
    // Padding leaves: P(padCommit_{c,i}, 0) with (c, i) the slot they occupy.
    const ctx = { secret: SECRET, currency: 'USD', snapshotTime: st.snapshotTime };
    const padSlot = expected.findIndex((e) => e.id === null);
    const [c, i] = [Math.floor(padSlot / 8), padSlot % 8];
    const chunk = tree.chunks[c]!;
    expect(chunk.leaves[i]!.userCommit).toBe(padCommit(ctx, c, i));
    expect(chunk.leaves[i]!.hash).toBe(leafHash(padCommit(ctx, c, i), 0n));
    expect(chunkInput(chunk).userCommit![i]).toBe(padCommit(ctx, c, i).toString());
    expect(chunkInput(chunk).balance![i]).toBe('0');
    const last = tree.chunks[2]!;
    expect(last.sumCommit).toBe(sumCommitment(last.sum, sumSalt(ctx, 0, 2)));
    // The single aggregation: 3 children then 5 padding children.
    const top = tree.top;
    expect(top.children.slice(0, 3).map((c) => c.root)).toEqual(tree.chunks.map((c) => c.root));
    for (const c of top.children.slice(3)) expect(c).toEqual({ root: 0n, sumCommit: PAD_CHILD.sumCommit });
    expect(top.root).toBe(poseidon(top.children.map((c) => c.root)));
    expect(expectedPublicSignals(top)).toHaveLength(18);
    const input = solvencyInput(tree, false);
    expect(input.discloseTotal).toBe('0');
    expect(input.disclosedTotal).toBe('0');
    expect(input.auditHeadHi).toBe(BigInt('0x' + 'ab'.repeat(16)).toString());
    expect(input.currencyId).toBe(((2n << 248n) + 5591876n).toString()); // currencyId('USD', 2)
  });

  it('pads to whole chunks with padToUsers and adds aggregation levels', () => {
    const tree = buildSolvencyTree(statement(20), SECRET, B64_N8_K8, { padToUsers: 72 });
    expect(tree.levelCounts).toEqual([9, 2, 1]);
    expect(tree.padded).toBe(true);
    // Padding is spread over the chunks (keyed order), not put at the end: 20 users in 72 slots.
    expect(tree.chunks.reduce((s, c) => s + c.sum, 0n)).toBe(tree.total);
    expect(tree.chunks.filter((c) => c.sum > 0n).length).toBeGreaterThan(3);
    expect(tree.aggregates[0]![1]!.children[0]!.root).toBe(tree.chunks[8]!.root);
    expect(tree.aggregates[0]![1]!.children[1]!.root).toBe(0n);
    expect(() => buildSolvencyTree(statement(20), SECRET, B64_N8_K8, { padToUsers: 10 })).toThrow(
      /padToUsers/,
    );
  });

  it('one chunk still gets an aggregation level; zero users give one padding chunk', () => {
    expect(buildSolvencyTree(statement(3), SECRET, B64_N8_K8).levelCounts).toEqual([1, 1]);
    const empty = buildSolvencyTree(statement(0), SECRET, B64_N8_K8);
    expect(empty.levelCounts).toEqual([1, 1]);
    expect(empty.total).toBe(0n);
  });

  it('is deterministic, and depends on the secret and T', () => {
    const a = buildSolvencyTree(statement(20), SECRET, B64_N8_K8);
    const b = buildSolvencyTree(statement(20), SECRET, B64_N8_K8);
    expect(b.top.root).toBe(a.top.root);
    expect(b.chunks.map(chunkInput)).toEqual(a.chunks.map(chunkInput));
    expect(solvencyInput(b, true)).toEqual(solvencyInput(a, true));
    const other = buildSolvencyTree(statement(20), new Uint8Array(32).fill(8), B64_N8_K8);
    expect(other.top.root).not.toBe(a.top.root);
    const later = buildSolvencyTree(statement(20, { snapshotTime: 1_751_284_800_001 }), SECRET, B64_N8_K8);
    expect(later.top.root).not.toBe(a.top.root);
  });

  it('checks liabilities and names the account', () => {
    const st = statement(3);
    const id = st.users[1]!.accountId;
    st.users[1]!.liability = -1n;
    expect(() => buildSolvencyTree(st, SECRET, B64_N8_K8)).toThrow(
      new RegExp(`-1 of account ${id} is out of range`),
    );
    st.users[1]!.liability = 1n << 64n;
    expect(() => buildSolvencyTree(st, SECRET, B64_N8_K8)).toThrow(
      new RegExp(`account ${id} is out of range`),
    );
    st.users[1]!.liability = (1n << 64n) - 1n;
    expect(buildSolvencyTree(st, SECRET, B64_N8_K8).users[1]!.balance).toBe((1n << 64n) - 1n);
    st.users[1]!.liability = 5 as unknown as bigint;
    expect(() => buildSolvencyTree(st, SECRET, B64_N8_K8)).toThrow(
      new RegExp(`liability of account ${id} must be a bigint`),
    );
  });

  it('refuses malformed statements', () => {
    const dup = statement(3);
    dup.users[2]!.accountId = dup.users[0]!.accountId;
    expect(() => buildSolvencyTree(dup, SECRET, B64_N8_K8)).toThrow(/appears twice/);
    const badId = statement(3);
    badId.users[0]!.accountId = 'XYZ';
    expect(() => buildSolvencyTree(badId, SECRET, B64_N8_K8)).toThrow(/64 lowercase hex/);
    expect(() => buildSolvencyTree(badId, SECRET, B64_N8_K8)).toThrow(InvalidStatementError);
    expect(() => buildSolvencyTree(statement(3, { reserves: 1n << 96n }), SECRET, B64_N8_K8)).toThrow(
      /reserves/,
    );
    expect(() => buildSolvencyTree(statement(3, { snapshotTime: 1.5 }), SECRET, B64_N8_K8)).toThrow(
      /snapshotTime/,
    );
    expect(() =>
      buildSolvencyTree(statement(3, { auditHead: { sequence: 1, hash: 'zz' } }), SECRET, B64_N8_K8),
    ).toThrow(/audit head/);
    expect(() =>
      buildSolvencyTree(statement(3, { auditHead: { sequence: 1, hash: 'zz' } }), SECRET, B64_N8_K8),
    ).toThrow(InvalidStatementError);
  });
});
