// Account ids and validation of the fields that define an account.
import { taggedHash } from '../audit/tagged-hash.js';
import { InvalidArgumentError } from '../errors.js';
import { assertCurrencyCode } from '../money/currency.js';
import { isWellFormedText } from '../util/canonical-json.js';
import { InvalidExternalRefError } from './errors.js';
import type { OwnerType } from './types.js';
import { OWNER_TYPES } from './types.js';

export const ACCOUNT_ID_TAG = 'zkreserve/1/account';

const OWNER_SET = new Set<string>(OWNER_TYPES);

export function assertOwnerType(v: unknown): asserts v is OwnerType {
  if (typeof v !== 'string' || !OWNER_SET.has(v)) {
    throw new InvalidArgumentError(
      `invalid owner type ${JSON.stringify(v)}: expected one of ${OWNER_TYPES.join(', ')}`,
    );
  }
}

/** A non-empty, well-formed (no lone surrogates) string of at most `max` UTF-16 units. */
export function assertText(v: unknown, what: string, max = 1024): asserts v is string {
  if (typeof v !== 'string' || v.length === 0)
    throw new InvalidArgumentError(`${what} must be a non-empty string`);
  if (v.length > max) throw new InvalidArgumentError(`${what} is longer than ${max} characters`);
  if (!isWellFormedText(v)) throw new InvalidArgumentError(`${what} contains a lone UTF-16 surrogate`);
}

/** The most Unicode scalar values (code points) an external reference of a new account may have. */
export const EXTERNAL_REF_MAX = 128;

/** Control (C0, DEL, C1), format (bidi, zero-width, BOM), line/paragraph separator, lone surrogate. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * The rule for the external reference of a new account (openAccount, import; docs/ledger.md): 1 to
 * EXTERNAL_REF_MAX Unicode scalar values, none of them a control, format (bidi overrides and isolates,
 * zero-width characters), line or paragraph separator character, nor a lone surrogate. References are shown
 * to users on a terminal (verify-inclusion): what they cannot see, they cannot check. Accounts already in a
 * ledger are read as they are.
 */
export function assertExternalRef(v: unknown): asserts v is string {
  if (typeof v !== 'string' || v.length === 0)
    throw new InvalidExternalRefError('externalRef must be a non-empty string');
  const m = NOT_PRINTABLE.exec(v);
  if (m) {
    const c = m[0].codePointAt(0)!;
    const at = [...v.slice(0, m.index)].length + 1;
    if (c >= 0xd800 && c <= 0xdfff)
      throw new InvalidExternalRefError(`externalRef contains a lone UTF-16 surrogate at position ${at}`);
    throw new InvalidExternalRefError(
      `externalRef contains the non-printable character U+${c.toString(16).toUpperCase().padStart(4, '0')} ` +
        `at position ${at}: only printable characters are allowed`,
    );
  }
  const n = [...v].length;
  if (n > EXTERNAL_REF_MAX)
    throw new InvalidExternalRefError(
      `externalRef is ${n} characters long: at most ${EXTERNAL_REF_MAX} are allowed`,
    );
}

/**
 * Content-addressed account id: SHA-256 hex of
 * lp("zkreserve/1/account") || lp(ownerType) || lp(currency) || lp(externalRef)  (UTF-8, u32be length prefixes).
 * `openedAt` is deliberately not part of the id: the same (owner type, currency, external ref) is the same account.
 */
export function accountId(ownerType: OwnerType, currency: string, externalRef: string): string {
  assertOwnerType(ownerType);
  assertCurrencyCode(currency);
  assertText(externalRef, 'externalRef');
  return taggedHash(ACCOUNT_ID_TAG, [ownerType, currency, externalRef]);
}
