// The witness threads reuse one compiled calculator per circuit: every witness must still be byte for byte
// what snarkjs' own `wtns.calculate` writes for that input, also for the second and later inputs of a
// circuit (no state left over from the previous witness) and when circuits alternate on one thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { planProofs } from '../../src/prover/plan.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { createWitnessPool } from '../../src/prover/witness-pool.js';
import type { WitnessPool } from '../../src/prover/witness-pool.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { CircuitInput } from '../../src/zk/circuit-inputs.js';
import { snarkjs } from '../../src/zk/snarkjs.js';
import { SECRET, T, devKeys, makeLedger } from './fixtures.js';

let keys: KeySet;
let pool: WitnessPool;

beforeAll(async () => {
  keys = await devKeys();
  pool = createWitnessPool(1);
});
afterAll(() => pool.close());

async function snarkjsWitness(input: CircuitInput, wasmPath: string): Promise<Uint8Array> {
  const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
  await snarkjs.wtns.calculate(input, wasmPath, out);
  return out.data!;
}

describe('witness pool', () => {
  it("gives snarkjs' wtns bytes for successive inputs and alternating circuits on one thread", async () => {
    const statement = await statementFromLedger(makeLedger(20).ledger, T, 'USD');
    const tree = buildSolvencyTree(statement, SECRET, keys.family);
    const jobs = planProofs(tree, false); // 3 chunks, then an aggregate and the solvency proof
    const order = [jobs[0]!, jobs[1]!, jobs.at(-2)!, jobs[2]!, jobs.at(-1)!];
    const seen = new Set<string>();
    for (const job of order) {
      const c = keys.circuits[job.kind];
      const input = typeof job.input === 'function' ? job.input() : job.input;
      const ours = await pool.calculate(input, { path: c.wasmPath, hash: c.hashes.wasm }, job.id);
      expect(Buffer.from(ours).equals(Buffer.from(await snarkjsWitness(input, c.wasmPath)))).toBe(true);
      seen.add(Buffer.from(ours).toString('hex'));
    }
    expect(seen.size).toBe(order.length); // different inputs, different witnesses
  });

  it('a wasm that does not exist fails that witness, naming the proof', async () => {
    await expect(
      pool.calculate({}, { path: '/nonexistent/circuit.wasm', hash: 'x' }, 'L0-000007'),
    ).rejects.toThrow(/witness of proof L0-000007 failed: .*ENOENT/);
  });
});
