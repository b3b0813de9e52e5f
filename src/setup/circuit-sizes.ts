// The powers-of-tau size each configured circuit needs (compiles the circuits; cached under build/circuits).
import { compileCircuit } from '../zk/compile.js';
import {
  CIRCUIT_KINDS,
  FAMILIES,
  circuitName,
  type CircuitFamily,
  type CircuitKind,
} from '../protocol/families.js';
import type { ProgressFn } from './progress.js';
import { requiredPower } from './ptau.js';

export interface CircuitSize {
  name: string;
  family: string;
  kind: CircuitKind;
  constraints: number;
  nPublic: number;
  /** ceil(log2(constraints + nPublic + 1)): the smallest ptau power that fits. */
  requiredPower: number;
}

/** Sizes and required ptau powers of every circuit of `families` (default: all configured families). */
export async function circuitSizes(
  families: readonly CircuitFamily[] = FAMILIES,
  options: { onProgress?: ProgressFn } = {},
): Promise<CircuitSize[]> {
  const out: CircuitSize[] = [];
  for (const family of families) {
    for (const kind of CIRCUIT_KINDS) {
      const name = circuitName(family, kind);
      const c = await compileCircuit(family, kind, {
        onProgress: (message) => options.onProgress?.({ stage: 'compile', circuit: name, message }),
      });
      out.push({
        name,
        family: family.id,
        kind,
        constraints: c.constraints,
        nPublic: c.nPublic,
        requiredPower: requiredPower(c.constraints, c.nPublic),
      });
    }
  }
  return out;
}

/** The largest power any of `sizes` needs. */
export function maxRequiredPower(sizes: readonly CircuitSize[]): number {
  return sizes.reduce((m, s) => Math.max(m, s.requiredPower), 0);
}
