// Red team: a dishonest operator writes each user's inclusion packet. The user must never be told that a
// balance is counted for them when it is not: every tampered packet is refused with a reason naming it.
// One real bundle: 12 users, 2 chunks of 8 (chunk 1 holds 4 users and 4 padding leaves), levels [2, 1].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { FIELD_P } from '../../src/crypto/field.js';
import { accountId } from '../../src/ledger/account.js';
import { ledgerAccountId } from '../../src/protocol/account-id.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { buildBundle, clone } from './support.js';

let bundle: BundleData;
let packets: InclusionPacket[];

async function reasonOf(p: unknown, b: BundleData = bundle): Promise<string> {
  const r = await verifyInclusion(p as InclusionPacket, b);
  expect(r.ok).toBe(false);
  return r.reason;
}

/** A packet in chunk 1 (which has padding leaves). */
const inChunk1 = (): InclusionPacket => clone(packets.find((p) => p.chunk === 1)!);

beforeAll(async () => {
  ({ bundle, packets } = await buildBundle('redteam-inclusion', 12));
}, 600_000);

afterAll(async () => {
  await terminateCurves();
});

describe('baseline', () => {
  it("accepts every user's genuine packet, whose accountId is the ledger's id of its externalRef", async () => {
    expect(bundle.manifest.tree.levels).toEqual([2, 1]);
    expect(packets).toHaveLength(12);
    for (const p of packets) {
      expect(p.accountId).toBe(accountId('USER', 'USD', p.externalRef));
      const r = await verifyInclusion(p, bundle);
      expect(r.reason).toBe('');
      expect(r.ok).toBe(true);
    }
  });
});

describe('whose balance is it?', () => {
  it("refuses another user's packet relabelled with this user's externalRef (one leaf shown to two users)", async () => {
    // The operator drops user 4's leaf and hands user 4 the packet of user 3 (same balance in a real
    // attack) with user 4's reference pasted in: the leaf commits to user 3's account id only.
    const stolen = clone(packets[3]!);
    stolen.externalRef = packets[4]!.externalRef;
    expect(await reasonOf(stolen)).toMatch(
      /packet: accountId [0-9a-f]{64} is not the ledger id of USER account "user-\d+" in USD/,
    );
  });

  it('refuses an accountId that differs only in its 32nd byte (field31 drops it: the leaf still matches)', async () => {
    const p = clone(packets[2]!);
    const last = p.accountId.slice(62);
    p.accountId = p.accountId.slice(0, 62) + (last === 'ff' ? '00' : 'ff');
    expect(await reasonOf(p)).toMatch(/packet: accountId [0-9a-f]{64} is not the ledger id of USER account/);
  });

  it('refuses an accountId in upper case, or not 64 hex digits', async () => {
    const upper = clone(packets[2]!);
    upper.accountId = upper.accountId.toUpperCase();
    expect(await reasonOf(upper)).toMatch(/account id must be 64 lowercase hex digits/);
    const short = clone(packets[2]!);
    short.accountId = short.accountId.slice(0, 62);
    expect(await reasonOf(short)).toMatch(/account id must be 64 lowercase hex digits/);
  });

  it('refuses a missing externalRef', async () => {
    const p = clone(packets[2]!) as Partial<InclusionPacket>;
    delete p.externalRef;
    expect(await reasonOf(p)).toMatch(/is not the ledger id of USER account undefined/);
  });
});

describe('position in the tree', () => {
  it('refuses chunk indices out of range or not integers', async () => {
    for (const chunk of [2, -1, 0.5, '0', Number.MAX_SAFE_INTEGER + 1]) {
      const p = { ...clone(packets[0]!), chunk };
      expect(await reasonOf(p), String(chunk)).toMatch(
        /packet: chunk .* is not a chunk of this bundle \(0..1\)/,
      );
    }
  });

  it('refuses leaf indices >= N', async () => {
    for (const leaf of [8, -1, 1.5]) {
      const p = { ...clone(packets[0]!), leaf };
      expect(await reasonOf(p), String(leaf)).toMatch(/packet: leaf .* is out of range \[0, 8\)/);
    }
  });

  it('refuses a packet moved to a padding slot or to the other chunk', async () => {
    const pad = inChunk1();
    pad.leaf = 7; // chunk 1 holds 4 users: slot 7 is padding
    expect(await reasonOf(pad)).toMatch(/^leaf: .* does not lead to the root of chunk proof L0-000001/);
    const moved = inChunk1();
    moved.chunk = 0;
    expect(await reasonOf(moved)).toMatch(/^leaf: .* chunk proof L0-000000/);
  });

  it('refuses sibling lists of the wrong shape', async () => {
    const more = clone(packets[0]!);
    more.siblings[0]!.push('0');
    expect(await reasonOf(more)).toMatch(/malformed inclusion path: path level 0 needs 7 siblings, got 8/);
    const extraLevel = clone(packets[0]!);
    extraLevel.siblings.push(['0']);
    expect(await reasonOf(extraLevel)).toMatch(
      /malformed inclusion path: path has 2 levels, a chunk of 8 has 1/,
    );
    const none = clone(packets[0]!);
    none.siblings = [];
    expect(await reasonOf(none)).toMatch(/path has 0 levels/);
    const flat = clone(packets[0]!) as unknown as { siblings: unknown };
    flat.siblings = packets[0]!.siblings[0];
    expect(await reasonOf(flat)).toMatch(/siblings must be a list of levels/);
  });
});

describe('number encodings', () => {
  it('refuses non-canonical salts and siblings (leading zero, value + p, hex)', async () => {
    const base = packets[5]!;
    for (const salt of [
      '0' + base.salt,
      (BigInt(base.salt) + FIELD_P).toString(),
      '0x' + BigInt(base.salt).toString(16),
    ]) {
      expect(await reasonOf({ ...clone(base), salt })).toMatch(
        /packet: salt is not a canonical decimal field element/,
      );
    }
    const sib = clone(base);
    sib.siblings[0]![0] = (BigInt(sib.siblings[0]![0]!) + FIELD_P).toString();
    expect(await reasonOf(sib)).toMatch(/packet: a sibling is not a canonical decimal field element/);
  });

  it('refuses balances >= 2^B, negative, or non-canonical', async () => {
    const base = packets[5]!;
    for (const balance of [
      (1n << 64n).toString(),
      '-1',
      '0' + base.balance,
      base.balance + '.0',
      '1e3',
      Number(base.balance),
    ]) {
      expect(await reasonOf({ ...clone(base), balance }), String(balance)).toMatch(
        /packet: balance .* is not an integer in \[0, 2\^64\)/,
      );
    }
    // A balance just below 2^64 passes the range check but not the leaf.
    const max = { ...clone(base), balance: ((1n << 64n) - 1n).toString() };
    expect(await reasonOf(max)).toMatch(/^leaf:/);
  });
});

describe('which bundle?', () => {
  it("refuses a packet whose root/sumCommit are not this bundle's, or of another time or currency", async () => {
    const root = clone(packets[0]!);
    root.root = (BigInt(root.root) + 1n).toString();
    expect(await reasonOf(root)).toMatch(/root\/sumCommit differ from this bundle's solvency proof/);
    const time = clone(packets[0]!);
    time.snapshotTime = time.snapshotTime.replace('Z', '+00:00');
    expect(await reasonOf(time)).toMatch(/packet: snapshot time .* differs/);
    const cur = clone(packets[0]!);
    cur.currency = 'EUR';
    expect(await reasonOf(cur)).toMatch(/packet: currency EUR differs/);
  });

  it('refuses a bundle that lies about N: every packet then fails (users notice)', async () => {
    const b = clone(bundle);
    b.manifest.family.chunkUsers = 16;
    b.manifest.family.id = 'b64-n16-k8';
    b.manifest.users.paddedUsers = 32;
    const p = clone(packets[0]!);
    expect(await reasonOf(p, b)).toMatch(/malformed inclusion path: path level 0 needs 15 siblings, got 7/);
  });
});

describe("the verifier's own account-id derivation", () => {
  it("equals the ledger's (node:crypto) for odd references, and differs when any part differs", () => {
    for (const ref of ['alice', 'user-1', 'ünïcødé 🚀', 'a:b', 'x'.repeat(1024)]) {
      expect(ledgerAccountId('USER', 'USD', ref)).toBe(accountId('USER', 'USD', ref));
    }
    expect(ledgerAccountId('USER', 'USD', 'alice')).toBe(
      '6e900454e4449c1d4c744511c8d9a847d9fb94d687a41ff3868926c9e9d97e0d', // docs/ledger.md §3 example
    );
    expect(ledgerAccountId('USER', 'EUR', 'alice')).not.toBe(accountId('USER', 'USD', 'alice'));
    expect(ledgerAccountId('PLATFORM', 'USD', 'alice')).not.toBe(accountId('USER', 'USD', 'alice'));
  });
});
