// Verification of the audit chain: recompute every link and hash, report the first broken sequence.
import { canonicalJson } from '../util/canonical-json.js';
import type { CanonicalValue } from '../util/canonical-json.js';
import type { AuditEvent, AuditHead } from './event.js';
import { AUDIT_EVENT_TYPES, GENESIS_HASH, computeEventHash } from './event.js';
import { HEX64_RE } from './tagged-hash.js';

export type ChainVerification =
  { ok: true; length: number; head: AuditHead } | { ok: false; sequence: number; reason: string };

const TYPES = new Set<string>(AUDIT_EVENT_TYPES);

function isCanonical(payload: string): boolean {
  try {
    return canonicalJson(JSON.parse(payload) as CanonicalValue) === payload;
  } catch {
    return false;
  }
}

/**
 * Walks events in stored order. `expectedHead`, when given (the latest head this ledger instance has seen),
 * also catches a truncated log: the stored chain must reach at least that head (it may be longer: another
 * Ledger instance on the same file may have appended since). Returns the first sequence at which the chain
 * breaks and why.
 */
export function verifyAuditChain(events: Iterable<AuditEvent>, expectedHead?: AuditHead): ChainVerification {
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let prevAt = 0;
  for (const e of events) {
    const expectedSeq = prevSeq + 1;
    const fail = (reason: string): ChainVerification => ({ ok: false, sequence: expectedSeq, reason });
    if (e.sequence !== expectedSeq) {
      return fail(
        e.sequence > expectedSeq
          ? `sequence gap: expected ${expectedSeq}, found ${e.sequence} (event deleted?)`
          : `sequence out of order: expected ${expectedSeq}, found ${e.sequence}`,
      );
    }
    if (!TYPES.has(e.type)) return fail(`unknown event type ${JSON.stringify(e.type)}`);
    if (!Number.isSafeInteger(e.at) || e.at < 0) return fail(`invalid timestamp ${String(e.at)}`);
    if (e.at < prevAt) return fail(`timestamp ${e.at} is earlier than the previous event's ${prevAt}`);
    if (typeof e.prevHash !== 'string' || e.prevHash !== prevHash) {
      return fail(`prevHash ${String(e.prevHash)} does not link to the previous event's hash ${prevHash}`);
    }
    if (typeof e.payload !== 'string' || !isCanonical(e.payload))
      return fail('payload is not canonical JSON');
    if (typeof e.hash !== 'string' || !HEX64_RE.test(e.hash))
      return fail('stored hash is not 64 lowercase hex digits');
    const recomputed = computeEventHash(e.sequence, e.type, e.payload, e.at, e.prevHash);
    if (recomputed !== e.hash) return fail(`hash mismatch: stored ${e.hash}, recomputed ${recomputed}`);
    if (expectedHead && e.sequence === expectedHead.sequence) {
      if (e.hash !== expectedHead.hash) {
        return fail(
          `event ${e.sequence} is not the event this ledger wrote or saw (hash ${expectedHead.hash})`,
        );
      }
    }
    prevHash = e.hash;
    prevSeq = e.sequence;
    prevAt = e.at;
  }
  const head: AuditHead = { sequence: prevSeq, hash: prevHash, at: prevAt };
  if (expectedHead && expectedHead.sequence > head.sequence) {
    return {
      ok: false,
      sequence: prevSeq + 1,
      reason: `log ends at sequence ${prevSeq} (${prevHash}) but the ledger head is sequence ${expectedHead.sequence} (${expectedHead.hash}): events missing at the end`,
    };
  }
  return { ok: true, length: prevSeq, head };
}
