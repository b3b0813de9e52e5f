// HMAC-SHA256 salts of protocol.md §3-§5. Browser-safe (no `node:` import) so that the solvency tree, which
// derives them, stays browser-safe. Checked against node:crypto in test/tree/solvency-tree.test.ts.
import { bytesToHex, hmacSha256 } from '../crypto/sha256.js';
import { field31 } from './encoding.js';
import { SaltError } from './errors.js';

export const MIN_SECRET_BYTES = 32;

export function assertSecret(secret: unknown): asserts secret is Uint8Array {
  if (!(secret instanceof Uint8Array)) {
    throw new SaltError('the operator secret must be a Uint8Array (at least 32 random bytes)');
  }
  if (secret.length < MIN_SECRET_BYTES) {
    throw new SaltError(
      `the operator secret is ${secret.length} bytes; at least ${MIN_SECRET_BYTES} bytes are required`,
    );
  }
}

const encoder = new TextEncoder();

/** The keyed leaf order's domain (protocol.md §3). */
export const LEAF_ORDER_TAG = 'zkreserve/2/leaf-order';

/** The HMAC message: UTF-8 parts joined by single 0x00 bytes (protocol.md §3). */
export function saltMessage(parts: readonly string[]): Uint8Array {
  return encoder.encode(parts.join('\u0000'));
}

function mac(ctx: SaltContext, parts: readonly string[]): Uint8Array {
  assertSecret(ctx.secret);
  return (ctx.hmac ?? hmacSha256)(ctx.secret, saltMessage(parts));
}

function derive(ctx: SaltContext, parts: readonly string[]): bigint {
  return field31(mac(ctx, parts));
}

/** Context of one snapshot: every salt is bound to the currency code and the snapshot time T (ms). */
export interface SaltContext {
  secret: Uint8Array;
  currency: string;
  snapshotTime: number;
  /**
   * HMAC-SHA256 (default: @noble/hashes, src/crypto/sha256.ts). Node callers may pass node:crypto's, which
   * is faster; any correct HMAC-SHA256 gives the same salts.
   */
  hmac?: (key: Uint8Array, message: Uint8Array) => Uint8Array;
}

function userSaltParts(ctx: SaltContext, accountId: string): string[] {
  return ['zkreserve/2/user-salt', ctx.currency, String(ctx.snapshotTime), accountId];
}

function userOrderParts(ctx: SaltContext, accountId: string): string[] {
  return [LEAF_ORDER_TAG, ctx.currency, String(ctx.snapshotTime), 'user', accountId];
}

/** `salt_a` of protocol.md §3. */
export function userSalt(ctx: SaltContext, accountId: string): bigint {
  return derive(ctx, userSaltParts(ctx, accountId));
}

/**
 * The HMAC messages of userSalt and userOrderKey without the account id, which comes last: each message is
 * the UTF-8 of `prefix + accountId`. For computing them elsewhere in bulk (src/tree-build's workers).
 */
export function userMessagePrefixes(ctx: SaltContext): { salt: string; orderKey: string } {
  return { salt: userSaltParts(ctx, '').join('\u0000'), orderKey: userOrderParts(ctx, '').join('\u0000') };
}

/**
 * `padCommit_{c,i}` of protocol.md §3: the padding leaf in slot (c, i) of the ordered tree (c: chunk index,
 * i: leaf index inside the chunk, after the keyed leaf order of §3).
 */
export function padCommit(ctx: SaltContext, chunk: number, leaf: number): bigint {
  return derive(ctx, [
    'zkreserve/2/pad',
    ctx.currency,
    String(ctx.snapshotTime),
    String(chunk),
    String(leaf),
  ]);
}

/** `sumSalt_{l,j}` of protocol.md §4-§5 (level 0: chunks). */
export function sumSalt(ctx: SaltContext, level: number, index: number): bigint {
  return derive(ctx, [
    'zkreserve/2/sum-salt',
    ctx.currency,
    String(ctx.snapshotTime),
    String(level),
    String(index),
  ]);
}

/**
 * The sort key of a user's leaf in the keyed leaf order of protocol.md §3 (64 lowercase hex digits):
 * HMAC-SHA256(secret, "zkreserve/2/leaf-order" 0x00 currency 0x00 T 0x00 "user" 0x00 accountId).
 */
export function userOrderKey(ctx: SaltContext, accountId: string): string {
  return bytesToHex(mac(ctx, userOrderParts(ctx, accountId)));
}

/**
 * The sort key of padding leaf number `j` (0-based, j < slots - users) in the keyed leaf order:
 * HMAC-SHA256(secret, "zkreserve/2/leaf-order" 0x00 currency 0x00 T 0x00 "pad" 0x00 j).
 */
export function padOrderKey(ctx: SaltContext, j: number): string {
  return bytesToHex(mac(ctx, [LEAF_ORDER_TAG, ctx.currency, String(ctx.snapshotTime), 'pad', String(j)]));
}
