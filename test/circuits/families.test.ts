import { describe, expect, it } from 'vitest';
import {
  B100_N128_K16,
  B100_N8_K8,
  B64_N128_K16,
  B64_N8_K8,
  FAMILIES,
  circuitName,
  familyById,
  familyFor,
  familySize,
  mainSource,
  ptauPowerFor,
} from '../../src/protocol/families.js';
import { UnknownFamilyError } from '../../src/protocol/errors.js';

describe('circuit families', () => {
  it('have the protocol parameters and ids', () => {
    expect(FAMILIES.map((f) => f.id)).toEqual(['b64-n8-k8', 'b100-n8-k8', 'b64-n128-k16', 'b100-n128-k16']);
    for (const f of FAMILIES) {
      expect(f.id).toBe(`b${f.balanceBits}-n${f.chunkUsers}-k${f.aggChildren}`);
      expect(f.sumBits).toBe(f.balanceBits + 32);
      expect(familyById(f.id)).toBe(f);
    }
    expect(ptauPowerFor(B64_N8_K8)).toBe(12);
    expect(ptauPowerFor(B100_N128_K16)).toBe(16);
    expect(() => familyById('b64-n9-k8')).toThrow(UnknownFamilyError);
    expect(() => familySize({ ...B64_N8_K8, id: 'x' })).toThrow(UnknownFamilyError);
  });

  it('familyFor: B = 64 up to 8 decimals, else B = 100', () => {
    expect(familyFor(0, 'dev')).toBe(B64_N8_K8);
    expect(familyFor(2, 'dev')).toBe(B64_N8_K8);
    expect(familyFor(8, 'production')).toBe(B64_N128_K16);
    expect(familyFor(9, 'dev')).toBe(B100_N8_K8);
    expect(familyFor(18, 'production')).toBe(B100_N128_K16);
    expect(() => familyFor(-1, 'dev')).toThrow(UnknownFamilyError);
    expect(() => familyFor(2.5, 'dev')).toThrow(UnknownFamilyError);
    expect(() => familyFor(2, 'huge' as 'dev')).toThrow(UnknownFamilyError);
  });

  it('circuit names and main sources are deterministic', () => {
    expect(circuitName(B64_N8_K8, 'chunk')).toBe('b64-n8-k8-chunk');
    expect(circuitName(B100_N128_K16, 'solvency')).toBe('b100-n128-k16-solvency');
    expect(() => circuitName(B64_N8_K8, 'leaf' as 'chunk')).toThrow(UnknownFamilyError);
    expect(mainSource(B64_N8_K8, 'chunk')).toBe(mainSource(B64_N8_K8, 'chunk'));
    expect(mainSource(B64_N8_K8, 'chunk')).toContain('include "circuits/chunk.circom";');
    expect(mainSource(B64_N8_K8, 'chunk')).toContain('component main = Chunk(8, 64);');
    expect(mainSource(B100_N8_K8, 'aggregate')).toContain(
      'component main {public [childRoot, childSumCommit]} = Aggregate(8, 132);',
    );
    expect(mainSource(B64_N128_K16, 'solvency')).toContain(
      'component main {public [root, sumCommit, reserves, snapshotTime, currencyId, auditHeadHi, auditHeadLo, discloseTotal, disclosedTotal]} = Solvency(96);',
    );
    expect(mainSource(B64_N128_K16, 'aggregate')).toContain('Aggregate(16, 96)');
    expect(mainSource(B64_N128_K16, 'chunk')).toContain('Chunk(128, 64)');
  });
});
