// The verifier refuses every kind of tampering, with a reason naming what failed.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import { vkeyHash } from '../../src/bundle/format.js';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { inclusionProofIds, verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, copyDir, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';

let bundleDir: string;
let bundle: BundleData;
let packets: InclusionPacket[];

const chunkId = (c: number): string => `L0-${String(c).padStart(6, '0')}`;
let otherBundle: BundleData;
let otherPackets: InclusionPacket[];

const clone = <X>(x: X): X => structuredClone(x);

async function loadPackets(dir: string): Promise<InclusionPacket[]> {
  return Promise.all((await readdir(dir)).sort().map((f) => readPacket(path.join(dir, f))));
}

beforeAll(async () => {
  const keys = await devKeys();
  const work = await tempDir('verify');
  const fx = makeLedger(12);
  // 12 users padded to 72 slots: levels [9, 2, 1]; the total is disclosed.
  await proveSolvency({
    statement: await statementFromLedger(fx.ledger, T, 'USD'),
    secret: SECRET,
    keys,
    outDir: path.join(work, 'a'),
    packetsDir: path.join(work, 'a-packets'),
    allowInsecureDevKeys: true,
    publishTotal: true,
    padToUsers: 72,
  });
  bundleDir = path.join(work, 'a');
  bundle = await readBundle(bundleDir);
  packets = await loadPackets(path.join(work, 'a-packets'));
  // Another bundle (another ledger, same currency and time, another secret).
  await proveSolvency({
    statement: await statementFromLedger(makeLedger(3).ledger, T, 'USD'),
    secret: new Uint8Array(32).fill(1),
    keys,
    outDir: path.join(work, 'b'),
    packetsDir: path.join(work, 'b-packets'),
    allowInsecureDevKeys: true,
    mode: 'snarkjs-threads', // the other parallelism strategy: snarkjs' own threads, one proof at a time
  });
  otherBundle = await readBundle(path.join(work, 'b'));
  otherPackets = await loadPackets(path.join(work, 'b-packets'));
});

afterAll(async () => {
  await terminateCurves();
});

describe('verifyBundle', () => {
  it('accepts the untouched bundle, warns about dev keys and summarizes it', async () => {
    const r = await verifyBundle(bundle);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.proofsVerified).toBe(13);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/INSECURE DEVELOPMENT KEYS/);
    expect(r.summary).toMatchObject({
      currency: 'USD',
      chunks: 9,
      paddedUsers: 72,
      ceremony: 'insecure-dev',
      insecure: true,
    });
    expect(BigInt(r.summary!.total!)).toBeLessThanOrEqual(BigInt(r.summary!.reserves));
  });

  it('rejects a tampered public signal', async () => {
    const b = clone(bundle);
    const pub = b.proofs['L1-000000']!.publicSignals;
    pub[3] = (BigInt(pub[3]!) + 1n).toString(); // childRoot[1]
    const r = await verifyBundle(b);
    expect(r.ok).toBe(false);
    expect(r.errors.join('\n')).toMatch(/proof L1-000000 \(aggregate\): Groth16 verification failed/);
    expect(r.errors.join('\n')).toMatch(/link L1-000000 slot 1: .* proof L0-000001/);
  });

  it('rejects a chunk proof swapped with another valid one', async () => {
    const b = clone(bundle);
    [b.proofs['L0-000000'], b.proofs['L0-000002']] = [b.proofs['L0-000002']!, b.proofs['L0-000000']!];
    const r = await verifyBundle(b);
    expect(r.ok).toBe(false);
    expect(r.errors).toContain(
      'link L1-000000 slot 0: childRoot/childSumCommit do not equal the outputs of proof L0-000000',
    );
    expect(r.errors.join('\n')).not.toMatch(/Groth16/); // both proofs are valid on their own
  });

  it('rejects a modified manifest total, reserves or time', async () => {
    const t = clone(bundle);
    t.manifest.total = (BigInt(t.manifest.total!) - 1n).toString();
    expect((await verifyBundle(t)).errors.join('\n')).toMatch(/claim total: manifest says/);

    const r = clone(bundle);
    r.manifest.reserves = (BigInt(r.manifest.reserves) * 2n).toString();
    expect((await verifyBundle(r)).errors.join('\n')).toMatch(/claim reserves: manifest says/);

    const s = clone(bundle);
    s.manifest.snapshotTimeMs = String(T + 86_400_000);
    s.manifest.snapshotTime = new Date(T + 86_400_000).toISOString();
    expect((await verifyBundle(s)).errors.join('\n')).toMatch(/claim snapshotTime: manifest says/);

    const iso = clone(bundle);
    iso.manifest.snapshotTime = new Date(T + 1).toISOString();
    expect((await verifyBundle(iso)).errors.join('\n')).toMatch(/snapshotTime .* is not the instant/);

    const h = clone(bundle);
    h.manifest.auditHead.hash = 'f'.repeat(64);
    h.manifest.auditHead.hi = BigInt('0x' + 'f'.repeat(32)).toString();
    h.manifest.auditHead.lo = BigInt('0x' + 'f'.repeat(32)).toString();
    expect((await verifyBundle(h)).errors.join('\n')).toMatch(/claim auditHead/);

    const hidden = clone(bundle);
    hidden.manifest.total = null;
    expect((await verifyBundle(hidden)).errors.join('\n')).toMatch(/claim total: manifest says undisclosed/);
  });

  it('rejects a manifest whose tree shape or proof list was changed', async () => {
    const m = clone(bundle);
    m.manifest.tree.levels = [8, 1];
    expect((await verifyBundle(m)).errors.join('\n')).toMatch(/tree.levels|paddedUsers|proof/);
    const p = clone(bundle);
    p.manifest.proofs[0]!.path = '../elsewhere';
    expect((await verifyBundle(p)).errors.join('\n')).toMatch(/proof entry 0/);
    const missing = clone(bundle);
    delete missing.proofs['L0-000004'];
    expect((await verifyBundle(missing)).errors).toContain('proof L0-000004: missing from the bundle');
  });

  it('rejects a wrong verification key', async () => {
    // Another valid-looking key: two IC points exchanged. Not matching the manifest hash...
    const w = clone(bundle);
    const ic = w.vkeys.chunk['IC'] as unknown[];
    [ic[1], ic[2]] = [ic[2], ic[1]];
    expect((await verifyBundle(w)).errors.join('\n')).toMatch(
      /verification key chunk: SHA-256 .* differs from the manifest/,
    );
    // ...and with the manifest hash updated too, the proofs fail.
    w.manifest.keys.circuits.chunk.hashes.vkey = vkeyHash(w.vkeys.chunk);
    const r = await verifyBundle(w);
    expect(r.errors.join('\n')).toMatch(/proof L0-000000 \(chunk\): Groth16 verification failed/);
    // A key of another circuit is refused by shape.
    const a = clone(bundle);
    a.vkeys.chunk = a.vkeys.aggregate;
    expect((await verifyBundle(a)).errors.join('\n')).toMatch(
      /verification key chunk: has 18 public signals/,
    );
    // A pinned (trusted) key hash that differs is refused.
    const pinned = await verifyBundle(bundle, { trustedVkeyHashes: { solvency: '00'.repeat(32) } });
    expect(pinned.errors.join('\n')).toMatch(/verification key solvency: .* is not the trusted key/);
  });

  it('reads a tampered bundle from disk and rejects it', async () => {
    const copy = await copyDir(bundleDir, 'verify-disk');
    const file = path.join(copy, 'proofs/solvency/public.json');
    const pub = JSON.parse(await readFile(file, 'utf8')) as string[];
    pub[2] = '1';
    await writeFile(file, JSON.stringify(pub, null, 1));
    const r = await verifyBundle(await readBundle(copy));
    expect(r.ok).toBe(false);
    expect(r.errors.join('\n')).toMatch(/claim reserves/);
    expect(r.errors.join('\n')).toMatch(/proof solvency \(solvency\): Groth16 verification failed/);
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await verifyBundle(bundle, { onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(13);
  });
});

describe('verifyInclusion', () => {
  it("accepts each user's packet with only the proofs on its path", async () => {
    for (const packet of packets) {
      const ids = inclusionProofIds(bundle.manifest.tree.levels, 8, packet.chunk);
      expect(ids).toHaveLength(4);
      const partial: BundleData = {
        ...bundle,
        proofs: Object.fromEntries(ids.map((id) => [id, bundle.proofs[id]!])),
      };
      const r = await verifyInclusion(packet, partial);
      expect(r.reason).toBe('');
      expect(r.ok).toBe(true);
      expect(r.balance).toBe(packet.balance);
      expect(r.figures!.proofs).toEqual(ids);
    }
  });

  it('rejects a changed balance', async () => {
    const p = clone(packets[3]!);
    p.balance = (BigInt(p.balance) + 1n).toString();
    const r = await verifyInclusion(p, bundle);
    expect(r.ok).toBe(false);
    // The chunk is wherever the keyed leaf order put this user (protocol.md §3).
    expect(r.reason).toContain('does not lead to the root of chunk proof ' + chunkId(p.chunk));
    expect(r.reason).toMatch(/^leaf: /);
  });

  it('rejects a changed sibling', async () => {
    const p = clone(packets[9]!);
    p.siblings[0]![2] = (BigInt(p.siblings[0]![2]!) + 1n).toString();
    const r = await verifyInclusion(p, bundle);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^leaf: /);
    expect(r.reason).toContain('chunk proof ' + chunkId(p.chunk));
  });

  it('rejects a changed salt or account id', async () => {
    const p = clone(packets[0]!);
    p.salt = (BigInt(p.salt) + 1n).toString();
    expect((await verifyInclusion(p, bundle)).reason).toMatch(/^leaf:/);
    const q = clone(packets[0]!);
    q.accountId = packets[1]!.accountId;
    expect((await verifyInclusion(q, bundle)).reason).toMatch(/^leaf:/);
  });

  it('rejects a packet from another bundle', async () => {
    const r = await verifyInclusion(otherPackets[0]!, bundle);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/another bundle/);
    // ...even if its root and sumCommit are forged to this bundle's.
    const forged = clone(otherPackets[0]!);
    forged.root = packets[0]!.root;
    forged.sumCommit = packets[0]!.sumCommit;
    expect((await verifyInclusion(forged, bundle)).reason).toMatch(/^leaf:/);
    // A packet of another snapshot time.
    const later = clone(packets[0]!);
    later.snapshotTimeMs = String(T + 1);
    later.snapshotTime = new Date(T + 1).toISOString();
    expect((await verifyInclusion(later, bundle)).reason).toMatch(/snapshot time/);
    expect((await verifyInclusion(packets[0]!, otherBundle)).ok).toBe(false);
  });

  it('rejects a bundle whose path proofs are tampered or missing', async () => {
    // A packet under L1-000000 (chunks 0..7); the keyed leaf order decides which chunk it is in.
    const p = packets.find((q) => q.chunk < 8)!;
    const other = chunkId(p.chunk === 0 ? 1 : 0);
    const swapped = clone(bundle);
    swapped.proofs['L1-000000'] = swapped.proofs['L1-000001']!;
    expect((await verifyInclusion(p, swapped)).reason).toMatch(
      new RegExp(`link L1-000000 slot ${p.chunk}|link L2-000000 slot 0`),
    );
    const badProof = clone(bundle);
    badProof.proofs[chunkId(p.chunk)]!.proof.pi_a = bundle.proofs[other]!.proof.pi_a;
    expect((await verifyInclusion(p, badProof)).reason).toContain(
      `proof ${chunkId(p.chunk)} (chunk): Groth16 verification failed`,
    );
    const missing = clone(bundle);
    delete missing.proofs['L2-000000'];
    expect((await verifyInclusion(p, missing)).reason).toBe('proof L2-000000: missing from the bundle');
    const lie = clone(bundle);
    lie.manifest.reserves = '999999999999';
    expect((await verifyInclusion(p, lie)).reason).toMatch(/claim reserves/);
  });

  it('rejects malformed packets with a reason', async () => {
    const p = clone(packets[0]!);
    p.chunk = 9;
    expect((await verifyInclusion(p, bundle)).reason).toMatch(/chunk 9 is not a chunk/);
    const q = clone(packets[0]!);
    q.balance = '-5';
    expect((await verifyInclusion(q, bundle)).reason).toMatch(/balance/);
    const s = clone(packets[0]!);
    s.siblings = [s.siblings[0]!.slice(1)];
    expect((await verifyInclusion(s, bundle)).reason).toMatch(/malformed inclusion path/);
    const c = clone(packets[0]!);
    c.currency = 'EUR';
    expect((await verifyInclusion(c, bundle)).reason).toMatch(/currency EUR/);
  });

  it('verifies packets one after another on a warm curve (scripts/bench-prover.ts times it)', async () => {
    expect((await verifyInclusion(packets[0]!, bundle)).ok).toBe(true);
    expect((await verifyInclusion(packets[5]!, bundle)).ok).toBe(true);
  });
});
