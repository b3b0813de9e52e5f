// The worker-thread Poseidon (circomlibjs' WebAssembly field) against poseidon-lite, and the parallel tree
// build against the single-thread one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldError } from '../../src/crypto/errors.js';
import { FIELD_P } from '../../src/crypto/field.js';
import { bytesToHex, hmacSha256 } from '../../src/crypto/sha256.js';
import { poseidon } from '../../src/crypto/poseidon.js';
import { B64_N128_K16, B64_N8_K8 } from '../../src/protocol/families.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { InvalidStatementError } from '../../src/tree/errors.js';
import { buildSolvencyTreeParallel } from '../../src/tree-build/build-tree.js';
import { HashWorkerError } from '../../src/tree-build/errors.js';
import { createHashPool } from '../../src/tree-build/hash-pool.js';
import type { HashPool } from '../../src/tree-build/hash-pool.js';
import { syntheticStatement, treeFacts } from '../tree/tree-facts.js';

const SECRET = new Uint8Array(32).fill(3);

/** A deterministic pseudo-random field element, including values near 0 and near p. */
function element(i: number): bigint {
  let x = BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n;
  x = (x * x + BigInt(i)) % FIELD_P;
  if (i % 7 === 0) return FIELD_P - 1n - BigInt(i % 3);
  if (i % 11 === 0) return BigInt(i % 2);
  return x;
}

describe('worker-thread Poseidon', () => {
  let pool: HashPool;
  beforeAll(() => {
    pool = createHashPool({ workers: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('equals poseidon-lite for every arity 1..16 on random inputs', async () => {
    const inputs: bigint[][] = [];
    let k = 0;
    for (let round = 0; round < 6; round++) {
      for (let arity = 1; arity <= 16; arity++) {
        inputs.push(Array.from({ length: arity }, () => element(k++)));
      }
    }
    expect(await pool.hashMany(inputs)).toEqual(inputs.map(poseidon));
  });

  it('splits a large batch over the workers and keeps the order', async () => {
    const inputs = Array.from({ length: 700 }, (_, i) => [element(i), BigInt(i)]);
    expect(await pool.hashMany(inputs)).toEqual(inputs.map(poseidon));
  });

  it('refuses what poseidon-lite refuses (the WebAssembly field would reduce it silently)', async () => {
    for (const bad of [
      [FIELD_P],
      [-1n],
      [],
      Array.from({ length: 17 }, () => 1n),
      [1 as unknown as bigint],
    ]) {
      expect(() => poseidon(bad)).toThrow(FieldError);
      await expect(pool.hashMany([[1n, 2n], bad])).rejects.toThrow(FieldError);
    }
  });
});

it('MACs prefix + id with HMAC-SHA256 (@noble/hashes), prefix by prefix, ids in order, over uneven slices; no line feed in an id', async () => {
  const pool = createHashPool({ workers: 3 });
  try {
    const key = new Uint8Array(32).map((_, i) => i * 7 + 1);
    const ids = Array.from({ length: 101 }, (_, i) =>
      i % 9 === 0 ? `é-${i}` : i.toString(16).padStart(64, 'a'),
    );
    const prefixes = ['zkreserve/2/user-salt\u0000USD\u00001\u0000', 'other\u0000'];
    const macs = await pool.macMany(key, prefixes, ids);
    expect(macs).toHaveLength(2);
    prefixes.forEach((prefix, p) => {
      expect(macs[p]!.length).toBe(ids.length * 32);
      ids.forEach((id, k) => {
        const want = hmacSha256(key, new TextEncoder().encode(prefix + id));
        expect(bytesToHex(macs[p]!.subarray(k * 32, k * 32 + 32))).toBe(bytesToHex(want));
      });
    });
    expect(await pool.macMany(key, prefixes, [])).toEqual([new Uint8Array(0), new Uint8Array(0)]);
    await expect(pool.macMany(key, prefixes, ['a\nb'])).rejects.toThrow(HashWorkerError);
  } finally {
    await pool.close();
  }
});

it('a closed pool refuses work with a typed error', async () => {
  const pool = createHashPool({ workers: 1 });
  expect(await pool.hashMany([[1n, 2n]])).toEqual([poseidon([1n, 2n])]);
  await pool.close();
  await expect(pool.hashMany([[1n, 2n]])).rejects.toThrow(HashWorkerError);
});

describe('the parallel tree build', () => {
  it('equals the single-thread build (dev family, two aggregation levels; node:crypto HMAC vs @noble)', async () => {
    const st = syntheticStatement(75, 9);
    const parallel = await buildSolvencyTreeParallel(st, SECRET, B64_N8_K8, { minParallelSlots: 0 });
    expect(treeFacts(parallel)).toEqual(treeFacts(buildSolvencyTree(st, SECRET, B64_N8_K8)));
  });

  it('equals the single-thread build (production family, padding chunks)', async () => {
    const st = syntheticStatement(200, 4);
    const options = { padToUsers: 3 * 128 };
    const parallel = await buildSolvencyTreeParallel(st, SECRET, B64_N128_K16, {
      ...options,
      workers: 2,
      minParallelSlots: 0,
    });
    expect(parallel.levelCounts).toEqual([3, 1]);
    expect(treeFacts(parallel)).toEqual(treeFacts(buildSolvencyTree(st, SECRET, B64_N128_K16, options)));
  });

  it("refuses a bad statement with the single-thread build's error, and stops its workers", async () => {
    const st = syntheticStatement(3);
    st.users[1]!.accountId = st.users[0]!.accountId;
    await expect(buildSolvencyTreeParallel(st, SECRET, B64_N8_K8, { minParallelSlots: 0 })).rejects.toThrow(
      InvalidStatementError,
    );
  });
});
