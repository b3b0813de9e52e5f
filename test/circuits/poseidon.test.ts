import { afterAll, describe, expect, it } from 'vitest';
import { FIELD_P } from '../../src/crypto/field.js';
import { currencyId, field31 } from '../../src/protocol/encoding.js';
import { PAD_CHILD, leafHash, poseidon, sumCommitment, userCommitment } from '../../src/crypto/poseidon.js';
import { compileSource } from '../../src/zk/compile.js';
import { calculateWitness, publicSignalsOf } from '../support/witness.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { fe } from './support.js';

afterAll(terminateCurves);

function poseidonMain(n: number): string {
  return [
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
}

describe('poseidon (TypeScript) equals circomlib Poseidon (circuit)', () => {
  for (const n of [1, 2, 4, 8, 16]) {
    it(`arity ${n}`, async () => {
      const circuit = await compileSource(`test-poseidon-${n}`, poseidonMain(n));
      const cases = [
        Array.from({ length: n }, (_, i) => fe(`p-${n}-${i}`)),
        Array.from({ length: n }, () => 0n),
        Array.from({ length: n }, (_, i) => FIELD_P - 1n - BigInt(i)),
      ];
      for (const inputs of cases) {
        const wtns = await calculateWitness(circuit.wasmPath, { in: inputs });
        const [out] = await publicSignalsOf(wtns, 1);
        expect(out).toBe(poseidon(inputs));
      }
      // A different input gives a different hash (the comparison above is not vacuous).
      const other = [...cases[0]!];
      other[n - 1] = other[n - 1]! + 1n;
      expect(poseidon(other)).not.toBe(poseidon(cases[0]!));
    });
  }
});

describe('poseidon input checks', () => {
  it('refuses 0 or 17 inputs, JS numbers and values outside [0, p)', () => {
    expect(() => poseidon([])).toThrow(/1\.\.16/);
    expect(() => poseidon(Array.from({ length: 17 }, () => 1n))).toThrow(/1\.\.16/);
    expect(() => poseidon([1 as unknown as bigint])).toThrow(/bigint/);
    expect(() => poseidon([FIELD_P])).toThrow(/not in the field/);
    expect(() => poseidon([-1n])).toThrow(/not in the field/);
    expect(poseidon([FIELD_P - 1n])).toBeTypeOf('bigint');
  });

  it('commitments are the protocol formulas', () => {
    const id = fe('id');
    const salt = fe('salt');
    expect(userCommitment(id, salt)).toBe(poseidon([id, salt]));
    expect(leafHash(5n, 7n)).toBe(poseidon([5n, 7n]));
    expect(sumCommitment(9n, 11n)).toBe(poseidon([9n, 11n]));
    expect(PAD_CHILD.root).toBe(0n);
    expect(PAD_CHILD.sumCommit).toBe(poseidon([0n, 0n]));
    expect(Object.isFrozen(PAD_CHILD)).toBe(true);
  });
});

describe('field encodings', () => {
  it('field31 reads the first 31 bytes big-endian', () => {
    const hex = '0102030405060708091011121314151617181920212223242526272829303132';
    expect(field31(hex)).toBe(BigInt('0x' + hex.slice(0, 62)));
    expect(field31('f'.repeat(64))).toBe((1n << 248n) - 1n);
    expect(field31('f'.repeat(64)) < FIELD_P).toBe(true);
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    expect(field31(bytes)).toBe(field31(Buffer.from(bytes).toString('hex')));
    expect(field31('AB'.repeat(32))).toBe(field31('ab'.repeat(32)));
  });

  it('field31 refuses anything but 64 hex digits / 32 bytes', () => {
    expect(() => field31('ab'.repeat(31))).toThrow(/64 hex/);
    expect(() => field31('0x' + 'ab'.repeat(31))).toThrow(/64 hex/);
    expect(() => field31('g'.repeat(64))).toThrow(/64 hex/);
    expect(() => field31(new Uint8Array(31))).toThrow(/32 bytes/);
  });

  it('currencyId is decimals * 2^248 + the code as a big-endian integer', () => {
    expect(currencyId('USD', 0)).toBe(5591876n);
    expect(currencyId('JPYC', 18)).toBe((18n << 248n) + 0x4a505943n);
    expect(currencyId('A'.repeat(31), 2)).toBe(BigInt('0x02' + '41'.repeat(31)));
    expect(() => currencyId('A'.repeat(32), 2)).toThrow(/\[A-Z0-9\]\{1,31\}/);
    expect(() => currencyId('', 2)).toThrow(/\[A-Z0-9\]\{1,31\}/);
  });
});
