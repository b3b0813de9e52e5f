// Circuit families (protocol.md §2): their parameters, circuit names and public signals.
import { UnknownFamilyError } from './errors.js';

/** The four parameters of protocol.md §2 plus the id `b{B}-n{N}-k{K}`. */
export interface CircuitFamily {
  readonly id: string;
  /** B: every balance is in [0, 2^B). */
  readonly balanceBits: number;
  /** N: users per chunk proof. */
  readonly chunkUsers: number;
  /** K: children per aggregation proof. */
  readonly aggChildren: number;
  /** S = B + 32: every partial sum, the total and the reserves are in [0, 2^S). */
  readonly sumBits: number;
}

export type CircuitKind = 'chunk' | 'aggregate' | 'solvency';
export type FamilySize = 'dev' | 'production';

export const CIRCUIT_KINDS: readonly CircuitKind[] = ['chunk', 'aggregate', 'solvency'];

function family(balanceBits: number, chunkUsers: number, aggChildren: number): CircuitFamily {
  return Object.freeze({
    id: `b${balanceBits}-n${chunkUsers}-k${aggChildren}`,
    balanceBits,
    chunkUsers,
    aggChildren,
    sumBits: balanceBits + 32,
  });
}

/** Dev/test/demo size: every circuit fits a 2^12 powers-of-tau (nConstraints + nPublic + 1 <= 4096). */
export const B64_N8_K8 = family(64, 8, 8);
export const B100_N8_K8 = family(100, 8, 8);
/** Production size: every circuit fits a 2^16 powers-of-tau. */
export const B64_N128_K16 = family(64, 128, 16);
export const B100_N128_K16 = family(100, 128, 16);

export const FAMILIES: readonly CircuitFamily[] = [B64_N8_K8, B100_N8_K8, B64_N128_K16, B100_N128_K16];

const SIZE: Readonly<Record<string, FamilySize>> = {
  [B64_N8_K8.id]: 'dev',
  [B100_N8_K8.id]: 'dev',
  [B64_N128_K16.id]: 'production',
  [B100_N128_K16.id]: 'production',
};

/** The protocol's rule tying B to the currency (protocol.md §2): B = 64 up to 8 decimals, else B = 100. */
export function balanceBitsFor(decimals: number): 64 | 100 {
  return decimals > 8 ? 100 : 64;
}

/** The family for a currency with `decimals` decimals: B = 64 up to 8 decimals, else B = 100. */
export function familyFor(decimals: number, size: FamilySize): CircuitFamily {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 30) {
    throw new UnknownFamilyError(`decimals must be an integer in [0, 30], got ${String(decimals)}`);
  }
  const wide = balanceBitsFor(decimals) === 100;
  if (size === 'dev') return wide ? B100_N8_K8 : B64_N8_K8;
  if (size === 'production') return wide ? B100_N128_K16 : B64_N128_K16;
  throw new UnknownFamilyError(`family size must be 'dev' or 'production', got ${JSON.stringify(size)}`);
}

/** The family with id `id` (e.g. 'b64-n8-k8'). */
export function familyById(id: string): CircuitFamily {
  const found = FAMILIES.find((f) => f.id === id);
  if (!found) throw new UnknownFamilyError(`unknown circuit family ${JSON.stringify(id)}`);
  return found;
}

/** 'dev' or 'production'. */
export function familySize(f: CircuitFamily): FamilySize {
  const size = SIZE[f.id];
  if (!size) throw new UnknownFamilyError(`unknown circuit family ${JSON.stringify(f.id)}`);
  return size;
}

/** The powers-of-tau size (log2) the family's circuits fit: 12 for dev, 16 for production. */
export function ptauPowerFor(f: CircuitFamily): number {
  return familySize(f) === 'dev' ? 12 : 16;
}

/** E.g. 'b64-n8-k8-chunk'. */
export function circuitName(f: CircuitFamily, kind: CircuitKind): string {
  checkKind(kind);
  return `${f.id}-${kind}`;
}

/** The names of the public signals in snarkjs public.json order (protocol.md §6). */
export function publicSignalNames(f: CircuitFamily, kind: CircuitKind): string[] {
  checkKind(kind);
  if (kind === 'chunk') return ['root', 'sumCommit'];
  if (kind === 'aggregate') {
    const k = f.aggChildren;
    return [
      'root',
      'sumCommit',
      ...Array.from({ length: k }, (_, i) => `childRoot[${i}]`),
      ...Array.from({ length: k }, (_, i) => `childSumCommit[${i}]`),
    ];
  }
  return [...SOLVENCY_PUBLIC_INPUTS];
}

/** The solvency circuit's public inputs, in public.json order (protocol.md §6). */
export const SOLVENCY_PUBLIC_INPUTS = [
  'root',
  'sumCommit',
  'reserves',
  'snapshotTime',
  'currencyId',
  'auditHeadHi',
  'auditHeadLo',
  'discloseTotal',
  'disclosedTotal',
] as const;

function checkKind(kind: CircuitKind): void {
  if (!CIRCUIT_KINDS.includes(kind)) {
    throw new UnknownFamilyError(`unknown circuit kind ${JSON.stringify(kind)}`);
  }
}
