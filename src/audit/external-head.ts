// Checking a stored audit chain against a head published outside the ledger (a proof bundle's, or one the
// auditor noted): what catches a truncated log and a consistently re-hashed one, which the chain alone cannot.
import type { AuditEvent } from './event.js';
import { GENESIS_HASH } from './event.js';
import { formatInstant } from '../time.js';

export interface ExternalHead {
  /** 64 lowercase hex digits. */
  readonly hash: string;
  /** The sequence the hash must be at; undefined: the chain's last event (its head). */
  readonly sequence?: number;
  /** Snapshot time (Unix ms): when given, the event at `sequence` must be the chain's head at that time. */
  readonly at?: number;
  /** Where the head comes from, for messages ("the bundle's audit head", "--expect-head"). */
  readonly source: string;
}

export type ExternalHeadCheck =
  { ok: true; sequence: number; hash: string } | { ok: false; sequence: number; reason: string };

/**
 * Walks `events` (a chain that verifyAuditChain accepted) and checks that the event at `head.sequence` (or the
 * last event) has hash `head.hash`, and, with `head.at`, that it is the last event at or before that time.
 * On failure says what was found instead: where that hash is in the chain, if anywhere, and where the chain ends.
 */
export function checkExternalHead(events: Iterable<AuditEvent>, head: ExternalHead): ExternalHeadCheck {
  let last: AuditEvent | undefined;
  let atSeq: AuditEvent | undefined;
  let next: AuditEvent | undefined;
  let hashAt: number | undefined = head.hash === GENESIS_HASH ? 0 : undefined;
  for (const e of events) {
    if (head.sequence !== undefined) {
      if (e.sequence === head.sequence) atSeq = e;
      else if (e.sequence === head.sequence + 1) next = e;
    }
    if (e.hash === head.hash && hashAt === undefined) hashAt = e.sequence;
    last = e;
  }
  const lastSeq = last?.sequence ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  const elsewhere =
    hashAt === undefined
      ? `no event of this chain has that hash`
      : `that hash is event ${hashAt}'s in this chain`;
  if (head.sequence === undefined) {
    if (lastHash === head.hash) return { ok: true, sequence: lastSeq, hash: lastHash };
    return {
      ok: false,
      sequence: lastSeq,
      reason:
        `the chain's head is sequence ${lastSeq} (${lastHash}), not ${head.source} ${head.hash}: ` +
        `${elsewhere}` +
        (hashAt === undefined
          ? ' (the chain was rewritten, or it is another ledger)'
          : ` (check it with --sequence ${hashAt})`),
    };
  }
  const seq = head.sequence;
  const found = seq === 0 ? GENESIS_HASH : atSeq?.hash;
  if (found === undefined) {
    return {
      ok: false,
      sequence: seq,
      reason:
        `the chain ends at sequence ${lastSeq} (${lastHash}), before ${head.source} at sequence ${seq}: ` +
        `events are missing at the end (the log was truncated, or it is another ledger)`,
    };
  }
  if (found !== head.hash) {
    return {
      ok: false,
      sequence: seq,
      reason:
        `event ${seq} has hash ${found}, not ${head.source} ${head.hash}: ` +
        `the chain was rewritten at or before sequence ${seq} (or it is another ledger); ${elsewhere}`,
    };
  }
  if (head.at !== undefined) {
    if (atSeq !== undefined && atSeq.at > head.at) {
      return {
        ok: false,
        sequence: seq,
        reason: `event ${seq} is at ${formatInstant(atSeq.at)}, after the snapshot time ${formatInstant(head.at)}: it is not the head at that time`,
      };
    }
    if (next !== undefined && next.at <= head.at) {
      return {
        ok: false,
        sequence: seq,
        reason:
          `event ${seq + 1} is at ${formatInstant(next.at)}, at or before the snapshot time ${formatInstant(head.at)}: the head at that ` +
          `time is a later event than ${head.source}`,
      };
    }
  }
  return { ok: true, sequence: seq, hash: found };
}
