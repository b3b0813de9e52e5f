// Audit events: a hash-linked, append-only log of every ledger write.
import { AuditLogError } from './errors.js';
import { HEX64_RE, sha256Hex, taggedHashInput, u64be } from './tagged-hash.js';

export const AUDIT_EVENT_TAG = 'zkreserve/1/audit-event';
export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_EVENT_TYPES = [
  'ACCOUNT_OPENED',
  'TX_POSTED',
  'TX_SETTLED',
  'TX_FAILED',
  'TX_REVERSED',
  'CURRENCY_REGISTERED',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEvent {
  /** 1, 2, 3, ... without gaps. */
  readonly sequence: number;
  readonly type: AuditEventType;
  /** Business time of the event, integer Unix ms; never decreases along the chain. */
  readonly at: number;
  /** RFC 8785 canonical JSON text of the payload (bigints as decimal strings). */
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditHead {
  /** 0 for the genesis head (empty chain). */
  readonly sequence: number;
  /** 64 lowercase hex digits; GENESIS_HASH for the empty chain. */
  readonly hash: string;
  /** Time of the head event, Unix ms; 0 for the genesis head. */
  readonly at: number;
}

export const GENESIS_HEAD: AuditHead = Object.freeze({ sequence: 0, hash: GENESIS_HASH, at: 0 });

/**
 * The exact bytes hashed for an event:
 * lp("zkreserve/1/audit-event") || lp(u64be(sequence)) || lp(utf8(type)) || lp(utf8(payload))
 * || lp(u64be(at)) || lp(prevHash as 32 raw bytes),   lp(x) = u32be(len(x)) || x.
 */
export function eventHashInput(
  sequence: number,
  type: string,
  payload: string,
  at: number,
  prevHash: string,
): Buffer {
  if (!HEX64_RE.test(prevHash)) throw new AuditLogError(`prevHash is not 64 lowercase hex digits`);
  return taggedHashInput(AUDIT_EVENT_TAG, [
    u64be(sequence),
    type,
    payload,
    u64be(at),
    Buffer.from(prevHash, 'hex'),
  ]);
}

export function computeEventHash(
  sequence: number,
  type: string,
  payload: string,
  at: number,
  prevHash: string,
): string {
  return sha256Hex(eventHashInput(sequence, type, payload, at, prevHash));
}

/** lp(tag) || lp-prefix of the 8-byte sequence: the constant start of every event's hash input. */
const EVENT_PREFIX = (() => {
  const tag = Buffer.from(AUDIT_EVENT_TAG, 'utf8');
  const b = Buffer.alloc(4 + tag.length + 4);
  b.writeUInt32BE(tag.length, 0);
  tag.copy(b, 4);
  b.writeUInt32BE(8, 4 + tag.length);
  return b;
})();
/** Reused input buffer of `nextEvent` (grown on demand); hashing is synchronous, so one buffer suffices. */
let scratch = Buffer.allocUnsafe(4096);

function writeU64(b: Buffer, n: number, off: number): number {
  b.writeUInt32BE(Math.floor(n / 0x1_0000_0000), off);
  b.writeUInt32BE(n % 0x1_0000_0000, off + 4);
  return off + 8;
}

/**
 * Builds the event that follows `head` (whose hash is trusted: it was computed here). Same bytes as
 * `eventHashInput`, written straight into a reused buffer (this is on the write path of every ledger write).
 */
export function nextEvent(head: AuditHead, type: AuditEventType, payload: string, at: number): AuditEvent {
  const sequence = head.sequence + 1;
  if (!Number.isSafeInteger(at) || at < 0) throw new AuditLogError(`invalid event time ${String(at)}`);
  // Upper bound of the input size: UTF-8 needs at most 3 bytes per UTF-16 unit.
  const max = EVENT_PREFIX.length + 8 + 4 + type.length + 4 + payload.length * 3 + 4 + 8 + 4 + 32;
  if (scratch.length < max) scratch = Buffer.allocUnsafe(Math.max(max, scratch.length * 2));
  const b = scratch;
  let off = EVENT_PREFIX.copy(b, 0);
  off = writeU64(b, sequence, off);
  b.writeUInt32BE(type.length, off); // event types are ASCII
  off += 4;
  off += b.write(type, off, 'latin1');
  const n = b.write(payload, off + 4, 'utf8');
  b.writeUInt32BE(n, off);
  off += 4 + n;
  b.writeUInt32BE(8, off);
  off = writeU64(b, at, off + 4);
  const h = b.write(head.hash, off + 4, 'hex');
  b.writeUInt32BE(h, off);
  off += 4 + h;
  const hash = sha256Hex(b.subarray(0, off));
  return Object.freeze({ sequence, type, at, payload, prevHash: head.hash, hash });
}

export function headOf(e: AuditEvent | undefined): AuditHead {
  return e ? Object.freeze({ sequence: e.sequence, hash: e.hash, at: e.at }) : GENESIS_HEAD;
}
