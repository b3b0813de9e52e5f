// Audit events: a hash-linked, append-only log of every ledger write.
import { AuditLogError } from '../errors.js';
import { HEX64_RE, taggedHash, taggedHashInput, u64be } from './tagged-hash.js';

export const AUDIT_EVENT_TAG = 'zkreserve/1/audit-event';
export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_EVENT_TYPES = [
  'ACCOUNT_OPENED',
  'TX_POSTED',
  'TX_SETTLED',
  'TX_FAILED',
  'TX_REVERSED',
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
  if (!HEX64_RE.test(prevHash)) throw new AuditLogError(`prevHash is not 64 lowercase hex digits`);
  return taggedHash(AUDIT_EVENT_TAG, [
    u64be(sequence),
    type,
    payload,
    u64be(at),
    Buffer.from(prevHash, 'hex'),
  ]);
}

/** Builds the event that follows `head` (whose hash is trusted: it was computed here). */
export function nextEvent(head: AuditHead, type: AuditEventType, payload: string, at: number): AuditEvent {
  const sequence = head.sequence + 1;
  const hash = taggedHash(AUDIT_EVENT_TAG, [
    u64be(sequence),
    type,
    payload,
    u64be(at),
    Buffer.from(head.hash, 'hex'),
  ]);
  return Object.freeze({ sequence, type, at, payload, prevHash: head.hash, hash });
}

export function headOf(e: AuditEvent | undefined): AuditHead {
  return e ? Object.freeze({ sequence: e.sequence, hash: e.hash, at: e.at }) : GENESIS_HEAD;
}
