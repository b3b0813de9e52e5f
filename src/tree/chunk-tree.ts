// The chunk tree of protocol.md §4: N leaves, 16-ary levels then one r-ary level (N = 16^a * r,
// r in {1, 2, 4, 8}). Roots, inclusion paths (§8) and path verification. Browser-safe.
import { isFieldElement } from '../crypto/field.js';
import { poseidon } from '../crypto/poseidon.js';
import { ChunkTreeError } from './errors.js';

/** Arity of each chunk-tree level, bottom up (N = 8: [8]; N = 128: [16, 8]; N = 16: [16]; N = 1: []). */
export function chunkArities(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ChunkTreeError(`chunk size must be a positive integer, got ${String(n)}`);
  }
  const arities: number[] = [];
  let m = n;
  while (m > 1 && m % 16 === 0) {
    arities.push(16);
    m /= 16;
  }
  if (m !== 1 && m !== 2 && m !== 4 && m !== 8) {
    throw new ChunkTreeError(`chunk size ${n} is not 16^a * r with r in {1, 2, 4, 8}`);
  }
  if (m > 1) arities.push(m);
  return arities;
}

/** Every level of the chunk tree, bottom up: levels[0] = leaves, the last level = [root]. */
export function chunkLevels(leaves: readonly bigint[]): bigint[][] {
  const arities = chunkArities(leaves.length);
  leaves.forEach((x, i) => {
    if (!isFieldElement(x)) throw new ChunkTreeError(`leaf ${i} is not a field element`);
  });
  const levels: bigint[][] = [[...leaves]];
  for (const arity of arities) {
    const below = levels[levels.length - 1]!;
    const level: bigint[] = [];
    for (let j = 0; j < below.length; j += arity) level.push(poseidon(below.slice(j, j + arity)));
    levels.push(level);
  }
  return levels;
}

/** The chunk root of `leaves` (their count is the chunk size N). */
export function chunkRoot(leaves: readonly bigint[]): bigint {
  const levels = chunkLevels(leaves);
  return levels[levels.length - 1]![0]!;
}

function checkIndex(index: number, n: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new ChunkTreeError(`leaf index ${String(index)} is out of range [0, ${n})`);
  }
}

/**
 * The inclusion path of leaf `index` read from a chunk's levels (`chunkLevels`' output, or levels computed
 * the same way): per level, bottom up, the other children of the node on the path, in index order.
 */
export function pathFromLevels(levels: readonly (readonly bigint[])[], index: number): bigint[][] {
  const leaves = levels[0] ?? [];
  checkIndex(index, leaves.length);
  const arities = chunkArities(leaves.length);
  const siblings: bigint[][] = [];
  let idx = index;
  arities.forEach((arity, l) => {
    const start = idx - (idx % arity);
    const group = levels[l]!.slice(start, start + arity);
    group.splice(idx % arity, 1);
    siblings.push(group);
    idx = Math.floor(idx / arity);
  });
  return siblings;
}

/**
 * The inclusion path of leaf `index` (protocol.md §8): per level, bottom up, the other children of the
 * node on the path, in index order (arity - 1 values per level).
 */
export function chunkPath(leaves: readonly bigint[], index: number): bigint[][] {
  return pathFromLevels(chunkLevels(leaves), index);
}

/**
 * Recomputes the chunk root from a leaf, its index and its path in a chunk of `n` leaves.
 * Throws ChunkTreeError on a malformed path (wrong number of levels or siblings, a non-field value)
 * or an index out of range.
 */
export function rootFromPath(
  leaf: bigint,
  index: number,
  siblings: readonly (readonly bigint[])[],
  n: number,
): bigint {
  const arities = chunkArities(n);
  checkIndex(index, n);
  if (!isFieldElement(leaf)) throw new ChunkTreeError('leaf is not a field element');
  if (!Array.isArray(siblings) || siblings.length !== arities.length) {
    throw new ChunkTreeError(
      `path has ${Array.isArray(siblings) ? siblings.length : 'no'} levels, a chunk of ${n} has ${arities.length}`,
    );
  }
  let node = leaf;
  let idx = index;
  arities.forEach((arity, l) => {
    const level = siblings[l]!;
    if (!Array.isArray(level) || level.length !== arity - 1) {
      throw new ChunkTreeError(
        `path level ${l} needs ${arity - 1} siblings, got ${Array.isArray(level) ? level.length : 'none'}`,
      );
    }
    level.forEach((x, i) => {
      if (!isFieldElement(x)) throw new ChunkTreeError(`path level ${l} sibling ${i} is not a field element`);
    });
    const pos = idx % arity;
    node = poseidon([...level.slice(0, pos), node, ...level.slice(pos)]);
    idx = Math.floor(idx / arity);
  });
  return node;
}
