// The protocol's integer encodings (protocol.md §1, §3): field31, currencyId (code and decimals), the account id as a field
// element and the audit head split into two 128-bit halves. One module for the tree builder, the prover
// and the verifier. Browser-safe.
//
// The encoders throw FieldError on a malformed value. `accountIdProblem` / `auditHeadProblem` say why a
// value is malformed (null when it is well formed), so that a caller validating a larger object (the tree's
// statement) can throw its own typed error with the same text.
import { FieldError } from '../crypto/errors.js';
import { bytesToHex } from '../crypto/sha256.js';
import { MAX_EXPONENT, isCurrencyCode } from '../money/currency.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const LOWER_HEX64 = /^[0-9a-f]{64}$/;

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

/** The most decimals a currency may have (money/currency.ts MAX_EXPONENT): one byte of currencyId. */
export const MAX_CURRENCY_DECIMALS = MAX_EXPONENT;

/**
 * currencyId(code, decimals) of protocol.md §1: `decimals * 2^248 + int(code)`, where int(code) is the code's
 * bytes (ASCII, grammar `[A-Z0-9]{1,31}`) read as a big-endian integer. In bytes: the 32-byte big-endian
 * value (one byte `decimals` || the code left-padded with 0x00 to 31 bytes). Always < p (decimals <= 36).
 * Binding decimals here puts them under the solvency proof: a manifest that rescales its figures fails.
 */
export function currencyId(code: string, decimals: number): bigint {
  if (!isCurrencyCode(code)) {
    throw new FieldError(
      `currency code ${JSON.stringify(code)} is not 1..31 uppercase ASCII letters or digits ([A-Z0-9]{1,31})`,
    );
  }
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > MAX_CURRENCY_DECIMALS) {
    throw new FieldError(
      `currency decimals must be an integer in [0, ${MAX_CURRENCY_DECIMALS}], got ${String(decimals)}`,
    );
  }
  const bytes = new TextEncoder().encode(code);
  return (BigInt(decimals) << 248n) + BigInt('0x' + bytesToHex(bytes));
}

/** Why `accountId` is not an account id (64 lowercase hex digits), or null when it is one. */
export function accountIdProblem(accountId: unknown): string | null {
  if (typeof accountId === 'string' && LOWER_HEX64.test(accountId)) return null;
  return `account id must be 64 lowercase hex digits, got ${JSON.stringify(accountId)}`;
}

/** `field31(accountId)` of an account id (protocol.md §3). Throws FieldError unless 64 lowercase hex digits. */
export function accountField(accountId: string): bigint {
  const problem = accountIdProblem(accountId);
  if (problem !== null) throw new FieldError(problem);
  return field31(accountId);
}

/** Why `hash` is not an audit head hash (64 lowercase hex digits), or null when it is one. */
export function auditHeadProblem(hash: unknown): string | null {
  if (typeof hash === 'string' && LOWER_HEX64.test(hash)) return null;
  return `audit head hash must be 64 lowercase hex digits, got ${JSON.stringify(hash)}`;
}

/** The audit head hash as hi / lo: its first and last 16 bytes as integers (protocol.md §1). */
export function splitAuditHead(hash: string): { hi: bigint; lo: bigint } {
  const problem = auditHeadProblem(hash);
  if (problem !== null) throw new FieldError(problem);
  return { hi: BigInt('0x' + hash.slice(0, 32)), lo: BigInt('0x' + hash.slice(32)) };
}
