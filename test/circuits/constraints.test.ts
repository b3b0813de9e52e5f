import { describe, expect, it } from 'vitest';
import { chunkArities } from '../../src/tree/chunk-tree.js';
import { compileCircuit, compileSource } from '../../src/zk/compile.js';
import {
  B100_N8_K8,
  B64_N128_K16,
  B64_N8_K8,
  CIRCUIT_KINDS,
  FAMILIES,
  circuitName,
  familySize,
  ptauPowerFor,
  publicSignalNames,
} from '../../src/protocol/families.js';
import type { CircuitFamily } from '../../src/protocol/families.js';
import { readSymbols } from '../support/witness.js';

// Exact constraint counts (circom 2.2.3 --O2) of every dev-family circuit.
const PINNED: Record<string, number> = {
  'b64-n8-k8-chunk': 3074,
  'b64-n8-k8-aggregate': 3426,
  'b64-n8-k8-solvency': 535,
  'b100-n8-k8-chunk': 3362,
  'b100-n8-k8-aggregate': 3750,
  'b100-n8-k8-solvency': 643,
};

const DEV = [B64_N8_K8, B100_N8_K8];

// Exact constraint counts (circom 2.2.3 --O2) of the production circuits (compiled: about a minute each here).
const PINNED_PRODUCTION: Record<string, number> = {
  'b64-n128-k16-chunk': 44426,
  'b64-n128-k16-aggregate': 6321,
  'b64-n128-k16-solvency': 535,
  'b100-n128-k16-chunk': 49034,
  'b100-n128-k16-aggregate': 6933,
  'b100-n128-k16-solvency': 643,
};

/**
 * Compile options for counting a production family's constraints. b64-n128-k16 is compiled in full: the
 * production tests prove with it and share the build. No test proves with b100-n128-k16, so it is compiled to
 * an r1cs alone: no witness generator, no symbols, about a quarter less compile time (a later full compile
 * replaces that build).
 */
function countingOnly(family: CircuitFamily): { wasm?: boolean; sym?: boolean } {
  return family === B64_N128_K16 ? {} : { wasm: false, sym: false };
}

/** Measures Poseidon(n) and Num2Bits(n) in isolation (the same wrappers as the Poseidon test). */
async function poseidonCost(n: number): Promise<number> {
  const source = [
    'pragma circom 2.2.0;',
    'include "circomlib/circuits/poseidon.circom";',
    'template PoseidonCheck(N) {',
    '    signal input in[N];',
    '    signal output out;',
    '    component h = Poseidon(N);',
    '    h.inputs <== in;',
    '    out <== h.out;',
    '}',
    `component main = PoseidonCheck(${n});`,
    '',
  ].join('\n');
  return (await compileSource(`test-poseidon-${n}`, source)).constraints;
}

async function num2BitsCost(n: number): Promise<number> {
  const source = [
    'pragma circom 2.2.0;',
    'include "circomlib/circuits/bitify.circom";',
    `component main = Num2Bits(${n});`,
    '',
  ].join('\n');
  return (await compileSource(`test-num2bits-${n}`, source, { wasm: false, sym: false })).constraints;
}

/** Sum of the Poseidon costs of the chunk-tree nodes. */
async function treeCost(n: number): Promise<number> {
  let cost = 0;
  let width = n;
  for (const arity of chunkArities(n)) {
    width /= arity;
    cost += width * (await poseidonCost(arity));
  }
  return cost;
}

/** The constraint formulas of the three circuits, from measured Poseidon / Num2Bits costs. */
async function predicted(f: CircuitFamily) {
  const p2 = await poseidonCost(2);
  const B = f.balanceBits;
  const S = f.sumBits;
  const bits = async (n: number) => num2BitsCost(n);
  return {
    // N * (leaf hash + balance range check) + tree nodes + sum commitment
    chunk: f.chunkUsers * (p2 + (await bits(B))) + (await treeCost(f.chunkUsers)) + p2,
    // K * (opening + child range check) + root hash + sum range check + sum commitment
    aggregate:
      f.aggChildren * (p2 + (await bits(S))) + (await poseidonCost(f.aggChildren)) + (await bits(S)) + p2,
    // opening + 2 range checks + LessEqThan's S+1 bits (its top bit is forced to 0 by out === 1 and
    // optimized away) + discloseTotal boolean + disclosedTotal product + 5 pass-through squares
    solvency: p2 + 2 * (await bits(S)) + S + 2 + 5,
  };
}

describe('constraint counts', () => {
  it('measured building blocks: Poseidon(2/4/8/16) = 240/297/402/609, Num2Bits(64) = 64', async () => {
    expect([
      await poseidonCost(2),
      await poseidonCost(4),
      await poseidonCost(8),
      await poseidonCost(16),
    ]).toEqual([240, 297, 402, 609]);
    expect(await num2BitsCost(64)).toBe(64);
  });

  for (const family of DEV) {
    for (const kind of CIRCUIT_KINDS) {
      it(`${circuitName(family, kind)} is pinned, follows its formula and fits 2^${ptauPowerFor(family)}`, async () => {
        const c = await compileCircuit(family, kind);
        expect(c.constraints).toBe(PINNED[c.name]);
        expect(c.constraints).toBe((await predicted(family))[kind]);
        expect(c.nPublic).toBe(publicSignalNames(family, kind).length);
        expect(c.constraints + c.nPublic + 1).toBeLessThanOrEqual(2 ** ptauPowerFor(family));
      });
    }
  }

  for (const family of FAMILIES.filter((f) => familySize(f) === 'production')) {
    it(`${family.id}: compiled constraint counts are pinned, follow the formula and fit 2^16`, async () => {
      const p = await predicted(family);
      for (const kind of CIRCUIT_KINDS) {
        const c = await compileCircuit(family, kind, countingOnly(family));
        expect(c.constraints, c.name).toBe(PINNED_PRODUCTION[c.name]);
        expect(c.constraints, c.name).toBe(p[kind]);
        expect(c.nPublic).toBe(publicSignalNames(family, kind).length);
        expect(c.constraints + c.nPublic + 1).toBeLessThanOrEqual(2 ** 16);
      }
    }, 900_000);
  }

  it('chunk = N * (240 + B) + tree nodes + 240 (N = 8: tree = one Poseidon(8))', async () => {
    for (const family of DEV) {
      const c = await compileCircuit(family, 'chunk');
      expect(c.constraints).toBe(8 * (240 + family.balanceBits) + 402 + 240);
    }
  });

  it('production families are predicted to fit 2^16 and meet the per-user budget', async () => {
    for (const family of FAMILIES.filter((f) => familySize(f) === 'production')) {
      const p = await predicted(family);
      for (const kind of CIRCUIT_KINDS) {
        const nPublic = publicSignalNames(family, kind).length;
        expect(p[kind] + nPublic + 1, `${family.id} ${kind}`).toBeLessThanOrEqual(2 ** 16);
      }
      const budget = family.balanceBits === 64 ? 350 : 400;
      expect(p.chunk / family.chunkUsers).toBeLessThanOrEqual(budget);
    }
  });
});

describe('public signal order (protocol.md §6)', () => {
  for (const family of DEV) {
    for (const kind of CIRCUIT_KINDS) {
      it(`${circuitName(family, kind)}: witness indices 1..nPublic are ${kind === 'aggregate' ? '[root, sumCommit, childRoot[], childSumCommit[]]' : 'the protocol list'}`, async () => {
        const c = await compileCircuit(family, kind);
        const sym = await readSymbols(c.symPath);
        const names = publicSignalNames(family, kind);
        expect(names.map((n) => sym.get(`main.${n}`))).toEqual(names.map((_, i) => i + 1));
        // Nothing else sits in the public range.
        const publicRange = [...sym.entries()]
          .filter(([, idx]) => idx >= 1 && idx <= c.nPublic)
          .map(([n]) => n);
        expect(publicRange.sort()).toEqual(names.map((n) => `main.${n}`).sort());
      });
    }
  }

  it('the expected lists', () => {
    expect(publicSignalNames(B64_N8_K8, 'chunk')).toEqual(['root', 'sumCommit']);
    expect(publicSignalNames(B64_N8_K8, 'aggregate').slice(0, 4)).toEqual([
      'root',
      'sumCommit',
      'childRoot[0]',
      'childRoot[1]',
    ]);
    expect(publicSignalNames(B64_N8_K8, 'aggregate').slice(10, 12)).toEqual([
      'childSumCommit[0]',
      'childSumCommit[1]',
    ]);
    expect(publicSignalNames(B64_N8_K8, 'solvency')).toEqual([
      'root',
      'sumCommit',
      'reserves',
      'snapshotTime',
      'currencyId',
      'auditHeadHi',
      'auditHeadLo',
      'discloseTotal',
      'disclosedTotal',
    ]);
  });
});
