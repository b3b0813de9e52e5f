// Packets written batch by batch into a staging directory (writePacketsToStaging over packetBatches, and
// writePackets on writer threads): the same bytes as the atomic per-file writer, private, complete, and each
// one's path leads to the tree's root.
// (test/prover/prove.test.ts runs the full verifyInclusion on packets that proveSolvency streams this way.)
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePacket } from '../../src/bundle/packet.js';
import { writePacket, writePacketsToStaging } from '../../src/bundle-io/write.js';
import { writePackets } from '../../src/bundle-io/packet-writers.js';
import { PacketWriteError } from '../../src/bundle-io/errors.js';
import { leafHash, poseidon, userCommitment } from '../../src/crypto/poseidon.js';
import { accountField } from '../../src/protocol/encoding.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { buildPackets, packetBatches } from '../../src/prover/packets.js';
import { rootFromPath } from '../../src/tree/chunk-tree.js';
import { buildSolvencyTree, childNodes } from '../../src/tree/solvency-tree.js';
import type { SolvencyTree, TreeNode } from '../../src/tree/solvency-tree.js';
import { syntheticStatement } from '../tree/tree-facts.js';

const SECRET = new Uint8Array(32).fill(5);
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'zkr-packets-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The chain of aggregation roots above chunk `c` up to the top, recomputed from the tree's children. */
function rootAbove(tree: SolvencyTree, c: number, chunkRoot: bigint): bigint {
  let root = chunkRoot;
  let index = c;
  for (const level of tree.aggregates) {
    const K = tree.family.aggChildren;
    const node = level[Math.floor(index / K)]!;
    const roots = childNodes(tree, node).map((n: TreeNode | null, i) =>
      i === index % K ? root : (n?.root ?? 0n),
    );
    root = poseidon(roots);
    index = Math.floor(index / K);
  }
  return root;
}

describe('streamed packets', () => {
  const tree = buildSolvencyTree(syntheticStatement(70, 2), SECRET, B64_N8_K8);

  it('are batched by whole chunks, in tree order, every user once', () => {
    const batches = [...packetBatches(tree, 20)];
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches.slice(0, -1)) expect(b.length).toBeGreaterThanOrEqual(20);
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i]![0]!.chunk).toBeGreaterThan(batches[i - 1]!.at(-1)!.chunk);
    }
    expect(batches.flat()).toEqual(buildPackets(tree));
  });

  it('are written as writePacket writes them, mode 0600, and each verifies up to the root', async () => {
    const staged = await tempDir();
    const atomic = await tempDir();
    for (const batch of packetBatches(tree, 16)) await writePacketsToStaging(staged, batch, 4);
    for (const p of buildPackets(tree)) await writePacket(atomic, p);
    const files = (await readdir(staged)).sort();
    expect(files).toEqual((await readdir(atomic)).sort());
    expect(files).toHaveLength(70);
    for (const f of files) {
      const text = await readFile(path.join(staged, f), 'utf8');
      expect(text).toBe(await readFile(path.join(atomic, f), 'utf8'));
      expect((await stat(path.join(staged, f))).mode & 0o777).toBe(0o600);
      const p = parsePacket(text);
      // The leaf from the packet alone: P(P(field31(accountId), salt), balance).
      const leaf = leafHash(userCommitment(accountField(p.accountId), BigInt(p.salt)), BigInt(p.balance));
      const chunkRoot = rootFromPath(
        leaf,
        p.leaf,
        p.siblings.map((l) => l.map(BigInt)),
        8,
      );
      expect(chunkRoot).toBe(tree.chunks[p.chunk]!.root);
      expect(rootAbove(tree, p.chunk, chunkRoot).toString()).toBe(p.root);
    }
  });

  it('never replaces a file already in the staging directory', async () => {
    const staged = await tempDir();
    const [first] = buildPackets(tree);
    await writePacketsToStaging(staged, [first!]);
    await expect(writePacketsToStaging(staged, [first!])).rejects.toThrow(/EEXIST/);
  });

  it('on writer threads: the same files, bytes and modes as written on this thread', async () => {
    const big = buildSolvencyTree(syntheticStatement(1100, 3), SECRET, B64_N8_K8);
    const threaded = await tempDir();
    const single = await tempDir();
    await writePackets(threaded, packetBatches(big, 64));
    await writePackets(single, packetBatches(big, 64), { workers: 0 });
    const files = (await readdir(threaded)).sort();
    expect(files).toHaveLength(1100);
    expect(files).toEqual((await readdir(single)).sort());
    expect((await stat(threaded)).mode & 0o777).toBe(0o700);
    for (const f of files) {
      expect(await readFile(path.join(threaded, f), 'utf8')).toBe(
        await readFile(path.join(single, f), 'utf8'),
      );
      expect((await stat(path.join(threaded, f))).mode & 0o777).toBe(0o600);
    }
    // Two writers (the option exists; the default is one) give the same files too.
    const two = await tempDir();
    await writePackets(two, packetBatches(big, 64), { workers: 2 });
    expect((await readdir(two)).sort()).toEqual(files);
  });

  it('on writer threads: a file already there is refused by name and left as it was', async () => {
    const staged = await tempDir();
    const packets = buildPackets(tree);
    const victim = packets[40]!;
    const name = `${victim.accountId}.json`;
    await writeFile(path.join(staged, name), 'already here\n', { mode: 0o600 });
    const err = await writePackets(staged, packetBatches(tree, 16)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PacketWriteError);
    expect((err as PacketWriteError).code).toBe('PACKET_WRITE');
    expect((err as PacketWriteError).systemCode).toBe('EEXIST');
    expect((err as Error).message).toContain(name);
    expect(await readFile(path.join(staged, name), 'utf8')).toBe('already here\n');
  });
});
