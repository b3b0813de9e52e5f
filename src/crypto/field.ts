// The BN254 scalar field: its modulus and field-element checks. Browser-safe. (The protocol's integer
// encodings, field31 and currencyId, live in src/protocol/encoding.ts.)
import { FieldError } from './errors.js';

/** The BN254 scalar field modulus p. */
export const FIELD_P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** True when `x` is a bigint in [0, p). */
export function isFieldElement(x: unknown): x is bigint {
  return typeof x === 'bigint' && x >= 0n && x < FIELD_P;
}

/** Throws unless `x` is a bigint in [0, p); `what` names the value in the message. */
export function assertFieldElement(x: unknown, what = 'value'): asserts x is bigint {
  if (typeof x !== 'bigint') {
    throw new FieldError(`${what} must be a bigint field element, got ${typeof x}`);
  }
  if (x < 0n || x >= FIELD_P) {
    throw new FieldError(`${what} = ${x} is not in the field [0, p)`);
  }
}
