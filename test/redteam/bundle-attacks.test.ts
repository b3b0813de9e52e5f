// Red team: a dishonest operator controls the bundle (manifest, proofs, public signals, verification-key
// files) but not the ceremony. Every tampering below must be refused by verifyBundle with a reason that
// names the problem. Two real bundles: A (12 users padded to 72 slots, levels [9, 2, 1], total disclosed)
// and B (3 users, levels [1, 1], another secret, total undisclosed), same currency and snapshot time.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle-io/read.js';
import type { BundleData } from '../../src/bundle/format.js';
import { FIELD_P } from '../../src/crypto/field.js';
import { PAD_CHILD } from '../../src/crypto/poseidon.js';
import { vkeyHash } from '../../src/bundle/format.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import type { VerificationKey } from '../../src/zk/snarkjs.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { copyDir } from '../prover/fixtures.js';
import { buildBundle, claimCeremony, clone, forgedKey } from './support.js';

let dirA: string;
let A: BundleData;
let B: BundleData;

const KINDS = ['chunk', 'aggregate', 'solvency'] as const;

async function errorsOf(b: BundleData, options = {}): Promise<string> {
  const r = await verifyBundle(b, options);
  expect(r.ok).toBe(false);
  return r.errors.join('\n');
}

/** Recompute the manifest's vkey hashes after the attacker edits a key file (the manifest is theirs too). */
function rehash(b: BundleData): BundleData {
  for (const kind of KINDS) b.manifest.keys.circuits[kind].hashes.vkey = vkeyHash(b.vkeys[kind]);
  return b;
}

beforeAll(async () => {
  const a = await buildBundle('redteam-bundle-a', 12, { padToUsers: 72, publishTotal: true });
  dirA = a.dir;
  A = a.bundle;
  B = (await buildBundle('redteam-bundle-b', 3, { secret: new Uint8Array(32).fill(7) })).bundle;
}, 600_000);

afterAll(async () => {
  await terminateCurves();
});

describe('baseline (so that every refusal below can fail)', () => {
  it('accepts both untouched bundles', async () => {
    const a = await verifyBundle(A);
    expect(a.errors).toEqual([]);
    expect(a.ok).toBe(true);
    expect(A.manifest.tree.levels).toEqual([9, 2, 1]);
    const b = await verifyBundle(B);
    expect(b.errors).toEqual([]);
    expect(B.manifest.tree.levels).toEqual([1, 1]);
  });
});

describe('the proof list and the tree shape', () => {
  it('refuses a duplicated proof entry', async () => {
    const b = clone(A);
    b.manifest.proofs.splice(1, 0, clone(b.manifest.proofs[0]!));
    expect(await errorsOf(b)).toMatch(/manifest: lists 14 proofs, the tree shape needs 13/);
  });

  it('refuses an extra aggregation proof (a chunk hidden behind a second level-1 node)', async () => {
    const b = clone(A);
    b.manifest.tree.levels = [9, 2, 1, 1];
    expect(await errorsOf(b)).toMatch(/tree.levels 9,2,1,1 do not match 9 chunks with K=8/);
    const c = clone(A);
    c.manifest.tree.levels = [9, 1, 1];
    expect(await errorsOf(c)).toMatch(/tree.levels 9,1,1 do not match/);
  });

  it('refuses a non-minimal shape for a single chunk ([1, 1, 1] instead of [1, 1])', async () => {
    const b = clone(B);
    b.manifest.tree.levels = [1, 1, 1];
    expect(await errorsOf(b)).toMatch(/tree.levels 1,1,1 do not match 1 chunks with K=8 \(expected 1,1\)/);
  });

  it('refuses tree.levels entries that are not numbers, even when they print the same', async () => {
    const b = clone(A);
    (b.manifest.tree.levels as unknown[])[1] = '2';
    expect(await errorsOf(b)).toMatch(/tree.levels .* do not match 9 chunks/);
    const c = clone(A);
    (c.manifest.tree.levels as unknown[])[1] = [2];
    expect(await errorsOf(c)).toMatch(/tree.levels .* do not match 9 chunks/);
  });

  it('refuses proof entries whose kind, level or path lie', async () => {
    const kind = clone(A);
    kind.manifest.proofs[12]!.kind = 'aggregate';
    expect(await errorsOf(kind)).toMatch(/proof entry 12 .* expected solvency \(solvency\)/);
    const traversal = clone(A);
    traversal.manifest.proofs[0]!.path = 'proofs/../../elsewhere';
    expect(await errorsOf(traversal)).toMatch(
      /proof entry 0 .* expected L0-000000 \(chunk\) at proofs\/L0-000000/,
    );
    const shared = clone(A);
    shared.manifest.proofs[1]!.path = 'proofs/L0-000000';
    expect(await errorsOf(shared)).toMatch(/proof entry 1 .* expected L0-000001/);
  });

  it('readBundle never takes a path from the manifest: a traversing id is refused, a traversing path ignored', async () => {
    const dir = await copyDir(dirA, 'redteam-read');
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    manifest.proofs[0].id = '../../../etc';
    await writeFile(file, JSON.stringify(manifest));
    await expect(readBundle(dir)).rejects.toThrow(/malformed proof id "..\/..\/..\/etc"/);
    // A path pointing elsewhere (where the attacker put another proof) is not followed.
    manifest.proofs[0].id = 'L0-000000';
    manifest.proofs[0].path = 'proofs/../decoy';
    await mkdir(path.join(dir, 'decoy'));
    await writeFile(path.join(dir, 'decoy', 'public.json'), JSON.stringify(['1', '2']));
    await writeFile(file, JSON.stringify(manifest));
    const b = await readBundle(dir);
    expect(b.proofs['L0-000000']!.publicSignals).toEqual(A.proofs['L0-000000']!.publicSignals);
    expect(await errorsOf(b)).toMatch(/proof entry 0 .* at proofs\/L0-000000/);
  });
});

describe('public signals', () => {
  const variants = (x: string): [string, unknown][] => [
    ['leading zero', '0' + x],
    ['plus sign', '+' + x],
    ['hex', '0x' + BigInt(x).toString(16)],
    ['x + p', (BigInt(x) + FIELD_P).toString()],
    ['JSON number', Number(x)],
    ['negative', '-' + x],
    ['whitespace', ` ${x}`],
  ];

  it('refuses every non-canonical encoding of a public signal', async () => {
    const x = A.proofs['L0-000000']!.publicSignals[0]!;
    for (const [what, value] of variants(x)) {
      const b = clone(A);
      (b.proofs['L0-000000']!.publicSignals as unknown[])[0] = value;
      expect(await errorsOf(b), what).toMatch(
        /proof L0-000000: public signal 0 is not a canonical decimal field element/,
      );
    }
  });

  it('refuses a non-canonical reserves figure in both the manifest and the solvency proof', async () => {
    const b = clone(A);
    const r = '0' + b.manifest.reserves;
    b.manifest.reserves = r;
    b.proofs.solvency!.publicSignals[2] = r;
    expect(await errorsOf(b)).toMatch(/manifest: reserves is not a decimal string/);
  });

  it('refuses extra or missing public signals', async () => {
    const extra = clone(A);
    extra.proofs['L0-000000']!.publicSignals.push('0');
    expect(await errorsOf(extra)).toMatch(/proof L0-000000: public.json must hold 2 signals/);
    const short = clone(A);
    short.proofs.solvency!.publicSignals.pop();
    expect(await errorsOf(short)).toMatch(/proof solvency: public.json must hold 9 signals/);
  });
});

describe('verification keys', () => {
  it('refuses a key whose IC holds more points than nPublic + 1 (snarkjs would silently ignore them)', async () => {
    const b = clone(A);
    const ic = b.vkeys.chunk.IC as unknown[];
    ic.push(clone(ic[1]));
    rehash(b);
    expect(await errorsOf(b)).toMatch(/verification key chunk: IC has 4 points, nPublic 2 needs 3/);
  });

  it('refuses the aggregation key relabelled as the chunk key (nPublic rewritten to 2)', async () => {
    const b = clone(A);
    b.vkeys.chunk = { ...clone(A.vkeys.aggregate), nPublic: 2 };
    rehash(b);
    const errors = await errorsOf(b);
    expect(errors).toMatch(/verification key chunk: IC has 19 points, nPublic 2 needs 3/);
  });

  it('refuses an aggregation key of another K (nPublic 10 for K=4 in a K=8 bundle)', async () => {
    const b = clone(A);
    b.vkeys.aggregate = { ...clone(A.vkeys.aggregate), nPublic: 10 };
    (b.vkeys.aggregate.IC as unknown[]).splice(11);
    rehash(b);
    expect(await errorsOf(b)).toMatch(
      /verification key aggregate: has 10 public signals, the aggregate circuit has 18/,
    );
  });

  it('refuses the B=100 keys in a B=64 bundle (the proofs do not verify under them)', async () => {
    const b = clone(A);
    for (const kind of KINDS) {
      b.vkeys[kind] = JSON.parse(
        await readFile(path.resolve(`keys/dev/b100-n8-k8-${kind}.vkey.json`), 'utf8'),
      ) as VerificationKey;
    }
    expect(await errorsOf(b)).toMatch(/verification key chunk: SHA-256 .* differs from the manifest's/);
    rehash(b);
    const errors = await errorsOf(b);
    expect(errors).toMatch(/proof L0-000000 \(chunk\): Groth16 verification failed/);
    expect(errors).toMatch(/proof solvency \(solvency\): Groth16 verification failed/);
  });

  it('recognises dev keys re-encoded the way snarkjs still reads them (alpha with a 4th entry, array-like object)', async () => {
    // ffjavascript's G1.fromObject reads p[0], p[1] and takes z = 1 unless p.length == 3: both encodings
    // below are the dev alpha to snarkjs, so the proofs verify; the manifest claims a real ceremony.
    const [x, y] = A.vkeys.chunk.vk_alpha_1 as string[];
    const encodings: [string, unknown][] = [
      ['4 entries', [x, y, '1', '0']],
      ['array-like object', { 0: x, 1: y }],
      ['array-like object with z', { 0: x, 1: y, 2: '1', length: 3 }],
    ];
    for (const [what, alpha] of encodings) {
      const b = clone(A);
      for (const kind of KINDS) (b.vkeys[kind] as Record<string, unknown>).vk_alpha_1 = clone(alpha);
      const liar = claimCeremony(b);
      const r = await verifyBundle(liar);
      expect(r.insecureDevKeys, what).toBe(true);
      expect(r.ok, what).toBe(false);
      expect(r.errors.join('\n'), what).toMatch(/claims ceremony "ceremony".*public INSECURE DEV KEYS/);
      // snarkjs accepts these encodings, but two readers of one key must not disagree on its points: honestly
      // labelled, such a key is refused as non-canonical (issue 9 §1, src/verify/vkey-structure.ts).
      const honest = clone(liar);
      honest.manifest.keys.ceremony = 'insecure-dev';
      honest.manifest.keys.insecure = true;
      expect((await verifyBundle(honest)).errors.join('\n'), what).toMatch(
        /verification key chunk: vk_alpha_1 is not a G1 point \[x, y, z\]/,
      );
    }
  });

  it('refuses keys the operator made (forgeable for any statement) when the ceremony keys are pinned', async () => {
    const b = forgedBundle();
    const pinned = Object.fromEntries(KINDS.map((k) => [k, vkeyHash(A.vkeys[k])]));
    const errors = await errorsOf(b, { trustedVkeyHashes: pinned });
    for (const kind of KINDS) {
      expect(errors).toMatch(new RegExp(`verification key ${kind}: SHA-256 .* is not the trusted key`));
    }
  });

  // Fixed for DEGENERATE keys (issue 9 §1, src/verify/vkey-structure.ts; see keys-structure.test.ts): this
  // key's IC points are at infinity, refused whatever the pinning. An operator who runs its own honest-looking
  // setup can still "prove" anything: only pinned keys stop that (protocol.md §9 step 3).
  it('refuses a bundle proven under degenerate operator-made keys even when no keys are pinned', async () => {
    const r = await verifyBundle(forgedBundle());
    expect(r.warnings).toEqual([]); // nothing tells the user
    expect(r.ok).toBe(false);
  });
});

/** A's tree, with every key replaced by a degenerate one and reserves of 10^30 "proven" (total undisclosed). */
function forgedBundle(): BundleData {
  const b = clone(A);
  const nPublic = { chunk: 2, aggregate: 18, solvency: 9 };
  for (const kind of KINDS) {
    const { vkey, proof } = forgedKey(A.vkeys[kind] as Record<string, unknown>, nPublic[kind]);
    b.vkeys[kind] = vkey as unknown as VerificationKey;
    for (const e of b.manifest.proofs) if (e.kind === kind) b.proofs[e.id]!.proof = clone(proof) as never;
  }
  const reserves = (10n ** 30n).toString();
  b.manifest.reserves = reserves;
  b.manifest.total = null;
  const s = b.proofs.solvency!.publicSignals;
  s[2] = reserves;
  s[7] = '0';
  s[8] = '0';
  return claimCeremony(b);
}

describe('mixing proofs of two genuine bundles', () => {
  it("refuses B's chunk proof in A's tree", async () => {
    const b = clone(A);
    b.proofs['L0-000003'] = clone(B.proofs['L0-000000']!);
    const errors = await errorsOf(b);
    expect(errors).toMatch(/link L1-000000 slot 3: .* outputs of proof L0-000003/);
    expect(errors).not.toMatch(/Groth16/); // B's proof is valid on its own: only the link catches it
  });

  it("refuses B's solvency proof (B is undisclosed and has other reserves) on A's tree", async () => {
    const b = clone(A);
    b.proofs.solvency = clone(B.proofs.solvency!);
    const errors = await errorsOf(b);
    expect(errors).toMatch(
      /link solvency: root\/sumCommit do not equal the outputs of the top aggregation proof/,
    );
  });

  it("refuses A's top aggregation over B's chunk ([1, 1] bundle, A's L1-000000 as its top)", async () => {
    const b = clone(B);
    b.proofs['L1-000000'] = clone(A.proofs['L1-000000']!);
    const errors = await errorsOf(b);
    expect(errors).toMatch(/link L1-000000 slot 0/);
    expect(errors).toMatch(/link L1-000000 slot 1: past the end of its level it must hold the padding child/);
    expect(errors).toMatch(/link solvency/);
  });
});

describe('claims against the solvency proof', () => {
  it('refuses an old solvency proof presented at a new time (time is a public signal)', async () => {
    const b = clone(A);
    const later = Number(b.manifest.snapshotTimeMs) + 86_400_000;
    b.manifest.snapshotTimeMs = String(later);
    b.manifest.snapshotTime = new Date(later).toISOString();
    expect(await errorsOf(b)).toMatch(/claim snapshotTime: manifest says/);
    // Moving the signal too breaks the proof.
    b.proofs.solvency!.publicSignals[3] = String(later);
    expect(await errorsOf(b)).toMatch(/proof solvency \(solvency\): Groth16 verification failed/);
  });

  it('refuses the same instant written in another time zone, and an ISO that is not the ms', async () => {
    const b = clone(A);
    const d = new Date(Number(b.manifest.snapshotTimeMs));
    b.manifest.snapshotTime = d.toISOString().replace('Z', '+00:00');
    expect(await errorsOf(b)).toMatch(/snapshotTime .* is not the instant snapshotTimeMs/);
    const c = clone(A);
    c.manifest.snapshotTime = new Date(d.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
    expect(await errorsOf(c)).toMatch(/is not the instant/);
  });

  it('refuses a disclosed total that differs from the proof, and an undisclosed claim over a disclosed proof', async () => {
    const b = clone(A);
    b.manifest.total = (BigInt(b.manifest.total!) - 1n).toString();
    expect(await errorsOf(b)).toMatch(/claim total: manifest says/);
    const hidden = clone(A);
    hidden.manifest.total = null;
    expect(await errorsOf(hidden)).toMatch(
      /claim total: manifest says undisclosed, the solvency proof discloses/,
    );
    const shown = clone(B);
    shown.manifest.total = '0';
    expect(await errorsOf(shown)).toMatch(
      /claim total: manifest says 0, the solvency proof says undisclosed/,
    );
    const flag = clone(B);
    flag.proofs.solvency!.publicSignals[7] = '1'; // discloseTotal = 1 with disclosedTotal = 0
    const errors = await errorsOf(flag);
    expect(errors).toMatch(/claim total: manifest says undisclosed/);
    expect(errors).toMatch(/Groth16 verification failed/);
  });

  it('refuses reserves of 2^S and above (no Solvency witness exists), and >= p', async () => {
    const b = clone(A);
    const big = (1n << 96n).toString();
    b.manifest.reserves = big;
    b.proofs.solvency!.publicSignals[2] = big;
    expect(await errorsOf(b)).toMatch(/proof solvency \(solvency\): Groth16 verification failed/);
    const p = clone(A);
    const huge = (FIELD_P + BigInt(A.manifest.reserves)).toString();
    p.manifest.reserves = huge;
    p.proofs.solvency!.publicSignals[2] = huge;
    expect(await errorsOf(p)).toMatch(
      /proof solvency: public signal 2 is not a canonical decimal field element/,
    );
  });

  it('refuses a padding child placed in the middle of a level (a chunk dropped from the sum)', async () => {
    const b = clone(A);
    const pub = b.proofs['L1-000000']!.publicSignals;
    pub[2 + 3] = PAD_CHILD.root.toString();
    pub[2 + 8 + 3] = PAD_CHILD.sumCommit.toString();
    const errors = await errorsOf(b);
    expect(errors).toMatch(
      /link L1-000000 slot 3: childRoot\/childSumCommit do not equal the outputs of proof L0-000003/,
    );
    expect(errors).toMatch(/proof L1-000000 \(aggregate\): Groth16 verification failed/);
  });

  it('refuses a padding slot (past the end of a level) that carries a real child', async () => {
    const b = clone(A);
    const pub = b.proofs['L1-000001']!.publicSignals;
    pub[2 + 1] = A.proofs['L0-000000']!.publicSignals[0]!;
    pub[2 + 8 + 1] = A.proofs['L0-000000']!.publicSignals[1]!;
    expect(await errorsOf(b)).toMatch(
      /link L1-000001 slot 1: past the end of its level it must hold the padding child/,
    );
  });
});

describe('family fields', () => {
  it('refuses a family whose numbers are not integers (balanceBits "64", sumBits "6432" print as b64)', async () => {
    const b = clone(A);
    (b.manifest.family as Record<string, unknown>).balanceBits = '64';
    (b.manifest.family as Record<string, unknown>).sumBits = '6432';
    expect(await errorsOf(b)).toMatch(/manifest: malformed circuit family/);
  });

  // NOT FIXED: the family (B, N) is the manifest's word; nothing in a Groth16 vkey says which N it was built
  // for. Claiming N = 4 over N = 8 keys makes users.paddedUsers (the published bound on the user count)
  // 36 instead of the tree's 72 slots; the bundle still verifies. Soundness is unaffected (every leaf is
  // range-checked by the real circuit, and every inclusion packet then fails, so users notice), and pinned
  // ceremony keys (per family) close it. A verifier can only catch it by pinning keys per family.
  it.fails('refuses a manifest that claims chunkUsers 4 over keys of N = 8', async () => {
    const b = clone(A);
    b.manifest.family.chunkUsers = 4;
    b.manifest.family.id = 'b64-n4-k8';
    b.manifest.users.paddedUsers = 36;
    expect(await errorsOf(b)).toMatch(/chunkUsers/);
  });
});
