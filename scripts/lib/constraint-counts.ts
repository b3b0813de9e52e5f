// Constraint counts of compiled circuits, for the benchmarks (r1cs only; builds under build/bench-circuits).
import { compileSource } from '../../src/zk/compile.js';

const opts = { buildDir: 'build/bench-circuits', wasm: false, sym: false };

export async function chunkConstraints(n: number, b: number): Promise<number> {
  const source = [
    'pragma circom 2.2.0;',
    'include "circuits/chunk.circom";',
    '',
    `component main = Chunk(${n}, ${b});`,
    '',
  ];
  return (await compileSource(`bench-chunk-b${b}-n${n}`, source.join('\n'), opts)).constraints;
}

export async function naiveConstraints(n: number, b: number): Promise<number> {
  const source = [
    'pragma circom 2.2.0;',
    'include "circuits/naive-merkle-sum.circom";',
    '',
    `component main = NaiveMerkleSum(${n}, ${b});`,
    '',
  ];
  return (await compileSource(`bench-naive-b${b}-n${n}`, source.join('\n'), opts)).constraints;
}

export async function poseidonCost(arity: number): Promise<number> {
  const source = [
    'pragma circom 2.2.0;',
    'include "circomlib/circuits/poseidon.circom";',
    `component main = Poseidon(${arity});`,
    '',
  ];
  return (await compileSource(`bench-poseidon-${arity}`, source.join('\n'), opts)).constraints;
}

/** The naive circuit's size: N * (P(3) + B) + (N - 1) * P(4) + sum over heights h of (N / 2^h) * (B + h). */
export function naiveFormula(n: number, b: number, p3: number, p4: number): number {
  let total = n * (p3 + b) + (n - 1) * p4;
  for (let h = 1; 2 ** h <= n; h++) total += (n / 2 ** h) * (b + h);
  return total;
}
