import { afterAll, describe, expect, it } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { poseidon } from '../../src/crypto/poseidon.js';
import { ChunkTreeError } from '../../src/tree/errors.js';
import { chunkArities, chunkLevels, chunkPath, chunkRoot, rootFromPath } from '../../src/tree/chunk-tree.js';
import { compileSource } from '../../src/zk/compile.js';
import { calculateWitness, publicSignalsOf } from '../support/witness.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { fe } from './support.js';

afterAll(terminateCurves);

const leavesOf = (n: number, tag = 'leaf'): bigint[] =>
  Array.from({ length: n }, (_, i) => fe(`${tag}-${i}`));

describe('chunk arity schedule (protocol.md §4)', () => {
  it('is 16-ary levels then one r-ary level', () => {
    expect(chunkArities(1)).toEqual([]);
    expect(chunkArities(2)).toEqual([2]);
    expect(chunkArities(8)).toEqual([8]);
    expect(chunkArities(16)).toEqual([16]);
    expect(chunkArities(32)).toEqual([16, 2]);
    expect(chunkArities(64)).toEqual([16, 4]);
    expect(chunkArities(128)).toEqual([16, 8]);
    expect(chunkArities(256)).toEqual([16, 16]);
  });

  it('refuses sizes that are not 16^a * r', () => {
    for (const n of [0, 3, 6, 12, 24, 48, -8, 8.5, Number.NaN]) {
      expect(() => chunkArities(n), String(n)).toThrow(ChunkTreeError);
    }
  });

  it('N = 8 is one node P(leaf_1..leaf_8); N = 128 is eight 16-ary nodes then one 8-ary node', () => {
    const l8 = leavesOf(8);
    expect(chunkRoot(l8)).toBe(poseidon(l8));
    const l128 = leavesOf(128);
    const mids = Array.from({ length: 8 }, (_, j) => poseidon(l128.slice(16 * j, 16 * j + 16)));
    expect(chunkRoot(l128)).toBe(poseidon(mids));
    expect(chunkLevels(l128).map((l) => l.length)).toEqual([128, 8, 1]);
  });
});

describe('ChunkMerkleRoot circuit equals chunkRoot', () => {
  for (const n of [1, 2, 8, 32, 128]) {
    it(`N = ${n}`, async () => {
      const source = [
        'pragma circom 2.2.0;',
        'include "circuits/lib/chunk-merkle-root.circom";',
        `component main = ChunkMerkleRoot(${n});`,
        '',
      ].join('\n');
      const circuit = await compileSource(`test-chunk-merkle-root-${n}`, source);
      const leaves = leavesOf(n, `cmr-${n}`);
      const wtns = await calculateWitness(circuit.wasmPath, { leaves });
      const [root] = await publicSignalsOf(wtns, 1);
      expect(root).toBe(chunkRoot(leaves));
      if (n > 1) {
        const swapped = [leaves[1]!, leaves[0]!, ...leaves.slice(2)];
        expect(chunkRoot(swapped)).not.toBe(root);
      }
    });
  }

  it('the circuit refuses a size that is not 16^a * r', async () => {
    const source = [
      'pragma circom 2.2.0;',
      'include "circuits/lib/chunk-merkle-root.circom";',
      'component main = ChunkMerkleRoot(24);',
      '',
    ].join('\n');
    await expect(compileSource('test-chunk-merkle-root-24', source)).rejects.toThrow(/assert/i);
  });
});

describe('inclusion paths', () => {
  for (const n of [2, 8, 16, 32, 128]) {
    it(`every leaf of a chunk of ${n} verifies against the root`, () => {
      const leaves = leavesOf(n, `path-${n}`);
      const root = chunkRoot(leaves);
      const arities = chunkArities(n);
      for (let i = 0; i < n; i++) {
        const path = chunkPath(leaves, i);
        expect(path.map((l) => l.length)).toEqual(arities.map((a) => a - 1));
        expect(rootFromPath(leaves[i]!, i, path, n)).toBe(root);
      }
    });
  }

  it('siblings are the other children in index order, bottom up', () => {
    const leaves = leavesOf(128, 'order');
    const path = chunkPath(leaves, 37);
    expect(path[0]).toEqual([...leaves.slice(32, 37), ...leaves.slice(38, 48)]);
    const mids = chunkLevels(leaves)[1]!;
    expect(path[1]).toEqual([...mids.slice(0, 2), ...mids.slice(3, 8)]);
  });

  it('a wrong leaf, index or sibling gives a different root', () => {
    const leaves = leavesOf(32, 'wrong');
    const root = chunkRoot(leaves);
    const path = chunkPath(leaves, 5);
    expect(rootFromPath(leaves[6]!, 5, path, 32)).not.toBe(root);
    expect(rootFromPath(leaves[5]!, 4, path, 32)).not.toBe(root);
    const bad = path.map((l) => [...l]);
    bad[1]![0] = bad[1]![0]! + 1n;
    expect(rootFromPath(leaves[5]!, 5, bad, 32)).not.toBe(root);
  });

  it('throws on a malformed path or an index out of range', () => {
    const leaves = leavesOf(32, 'malformed');
    const path = chunkPath(leaves, 3);
    const leaf = leaves[3]!;
    expect(() => rootFromPath(leaf, 32, path, 32)).toThrow(/out of range/);
    expect(() => rootFromPath(leaf, -1, path, 32)).toThrow(/out of range/);
    expect(() => rootFromPath(leaf, 3, path.slice(0, 1), 32)).toThrow(/levels/);
    expect(() => rootFromPath(leaf, 3, [...path, []], 32)).toThrow(/levels/);
    expect(() => rootFromPath(leaf, 3, [path[0]!.slice(1), path[1]!], 32)).toThrow(/needs 15 siblings/);
    expect(() => rootFromPath(leaf, 3, [path[0]!, [...path[1]!, 1n]], 32)).toThrow(/needs 1 siblings/);
    expect(() => rootFromPath(leaf, 3, [path[0]!, [FIELD_P]], 32)).toThrow(/not a field element/);
    expect(() => rootFromPath(leaf, 3, path, 24)).toThrow(ChunkTreeError);
    expect(() => chunkPath(leaves, 32)).toThrow(/out of range/);
  });
});
