// Domain-separated SHA-256 over length-prefixed fields:
//   H(tag, f1..fn) = SHA-256( lp(tag) || lp(f1) || ... || lp(fn) ),  lp(x) = u32be(byteLength(x)) || x
// Strings are UTF-8 encoded. Used for account ids, transaction ids and audit event hashes.
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';

/** `crypto.hash` (Node >= 20.12): a faster one-shot digest; absent on older runtimes. */
const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'hex') => string }).hash;

export type HashField = string | Uint8Array;

export function lengthPrefixed(fields: readonly HashField[]): Buffer {
  let size = 0;
  const lens: number[] = [];
  for (const f of fields) {
    const n = typeof f === 'string' ? Buffer.byteLength(f, 'utf8') : f.byteLength;
    lens.push(n);
    size += 4 + n;
  }
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  fields.forEach((f, i) => {
    out.writeUInt32BE(lens[i]!, off);
    off += 4;
    if (typeof f === 'string') off += out.write(f, off, 'utf8');
    else {
      out.set(f, off);
      off += f.byteLength;
    }
  });
  return out;
}

/** The exact bytes hashed by `taggedHash`. */
export function taggedHashInput(tag: string, fields: readonly HashField[]): Buffer {
  return lengthPrefixed([tag, ...fields]);
}

/** Lowercase hex SHA-256 (64 chars) of `taggedHashInput(tag, fields)`. */
export function taggedHash(tag: string, fields: readonly HashField[]): string {
  const input = taggedHashInput(tag, fields);
  return oneShot ? oneShot('sha256', input, 'hex') : createHash('sha256').update(input).digest('hex');
}

/** 8-byte big-endian unsigned encoding of a non-negative safe integer. */
export function u64be(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n), 0);
  return b;
}

export const HEX64_RE = /^[0-9a-f]{64}$/;
