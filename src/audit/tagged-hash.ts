// Domain-separated SHA-256 over length-prefixed fields:
//   H(tag, f1..fn) = SHA-256( lp(tag) || lp(f1) || ... || lp(fn) ),  lp(x) = u32be(byteLength(x)) || x
// Strings are UTF-8 encoded. Used for account ids, transaction ids and audit event hashes.
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';

/** `crypto.hash` (Node >= 20.12): a faster one-shot digest; absent on older runtimes. */
const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'hex') => string }).hash;

export type HashField = string | Uint8Array;

export function lengthPrefixed(fields: readonly HashField[]): Buffer {
  let max = 0;
  for (const f of fields) max += 4 + (typeof f === 'string' ? f.length * 3 : f.byteLength);
  const out = Buffer.allocUnsafe(max);
  let off = 0;
  for (const f of fields) {
    if (typeof f === 'string') {
      // Write the UTF-8 bytes first, then their length in front (one pass, no byteLength scan).
      const n = out.write(f, off + 4, 'utf8');
      out.writeUInt32BE(n, off);
      off += 4 + n;
    } else {
      out.writeUInt32BE(f.byteLength, off);
      out.set(f, off + 4);
      off += 4 + f.byteLength;
    }
  }
  return out.subarray(0, off);
}

/** The exact bytes hashed by `taggedHash`. */
export function taggedHashInput(tag: string, fields: readonly HashField[]): Buffer {
  return lengthPrefixed([tag, ...fields]);
}

/** Lowercase hex SHA-256 (64 chars) of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return oneShot ? oneShot('sha256', bytes, 'hex') : createHash('sha256').update(bytes).digest('hex');
}

/** Lowercase hex SHA-256 (64 chars) of `taggedHashInput(tag, fields)`. */
export function taggedHash(tag: string, fields: readonly HashField[]): string {
  return sha256Hex(taggedHashInput(tag, fields));
}

/** 8-byte big-endian unsigned encoding of a non-negative safe integer. */
export function u64be(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n), 0);
  return b;
}

export const HEX64_RE = /^[0-9a-f]{64}$/;
