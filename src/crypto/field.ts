// The BN254 scalar field and the integer encodings of protocol.md §1. Browser-safe.
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

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * field31: the first 31 bytes of a 32-byte value read as a big-endian integer (248 bits, < p).
 * Accepts 64 hex digits (no 0x prefix) or a 32-byte Uint8Array.
 */
export function field31(value: string | Uint8Array): bigint {
  let hex: string;
  if (typeof value === 'string') {
    if (!HEX64.test(value)) {
      throw new FieldError(`field31 needs exactly 64 hex digits, got ${JSON.stringify(value)}`);
    }
    hex = value;
  } else if (value instanceof Uint8Array) {
    if (value.length !== 32) {
      throw new FieldError(`field31 needs 32 bytes, got ${value.length}`);
    }
    hex = bytesToHex(value);
  } else {
    throw new FieldError('field31 needs a 64-digit hex string or 32 bytes');
  }
  return BigInt('0x' + hex.slice(0, 62));
}

/** currencyId: the UTF-8 bytes of the currency code (1..31 bytes) as a big-endian integer. */
export function currencyId(code: string): bigint {
  if (typeof code !== 'string' || code.length === 0) {
    throw new FieldError('currency code must be a non-empty string');
  }
  const bytes = new TextEncoder().encode(code);
  if (bytes.length > 31) {
    throw new FieldError(`currency code ${JSON.stringify(code)} is ${bytes.length} UTF-8 bytes (at most 31)`);
  }
  return BigInt('0x' + bytesToHex(bytes));
}

function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
