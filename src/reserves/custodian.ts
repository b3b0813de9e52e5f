// Custodian and bank statements (docs/reserves.md "Custodian statements"): the exact text a custodian
// signs with Ed25519 (@noble/curves), the verifier's pinned custodian keys (`--custodians <file>`), and
// the check of one statement. Browser-safe.
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { PROTOCOL_VERSION } from '../bundle/format.js';
import { InvalidCustodiansError } from './errors.js';
import type { CustodianItem } from './evidence.js';

/** The format tag of a pinned-custodians file. */
export const CUSTODIANS_FORMAT = 'zkreserve/2/custodians';

/** Custodian name -> the Ed25519 public keys (hex) a verifier trusts for it. */
export type PinnedCustodians = ReadonlyMap<string, readonly string[]>;

/**
 * The statement text a custodian signs (UTF-8 bytes, LF line ends, no trailing newline):
 * `zkreserve/2 custodian statement`, `custodian: <name>`, `account: <label>`, `currency: <code>`,
 * `amount: <minor units>`, `as of: <ISO time>`, then `challenge:` and the challenge's five lines.
 */
export function custodianStatementText(s: Omit<CustodianItem, 'kind' | 'publicKey' | 'signature'>): string {
  return [
    `${PROTOCOL_VERSION} custodian statement`,
    `custodian: ${s.custodian}`,
    `account: ${s.account}`,
    `currency: ${s.currency}`,
    `amount: ${s.amount}`,
    `as of: ${s.asOf}`,
    'challenge:',
    s.challenge,
  ].join('\n');
}

/** Signs a statement (for custodians, the demo and tests): returns the item with publicKey and signature. */
export function signCustodianStatement(
  s: Omit<CustodianItem, 'kind' | 'publicKey' | 'signature'>,
  secretKey: Uint8Array,
): CustodianItem {
  const text = utf8ToBytes(custodianStatementText(s));
  return {
    kind: 'custodian',
    ...s,
    publicKey: bytesToHex(ed25519.getPublicKey(secretKey)),
    signature: bytesToHex(ed25519.sign(text, secretKey)),
  };
}

/**
 * Parses a pinned-custodians file: `{"format":"zkreserve/2/custodians","custodians":[{"name":..,
 * "publicKey": 64 hex}]}`. A name may be listed with several keys (key rotation).
 */
export function parseCustodians(text: string, what = 'custodians file'): Map<string, string[]> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InvalidCustodiansError(`${what} is not JSON: ${(e as Error).message}`);
  }
  const o = v as { format?: unknown; custodians?: unknown };
  if (!o || typeof o !== 'object' || o.format !== CUSTODIANS_FORMAT || !Array.isArray(o.custodians)) {
    throw new InvalidCustodiansError(`${what} must be {"format":"${CUSTODIANS_FORMAT}","custodians":[...]}`);
  }
  const map = new Map<string, string[]>();
  o.custodians.forEach((c: unknown, i: number) => {
    const e = c as { name?: unknown; publicKey?: unknown };
    if (typeof e?.name !== 'string' || !/^[\x20-\x7e]{1,100}$/.test(e.name)) {
      throw new InvalidCustodiansError(
        `${what}: custodians[${i}].name must be 1..100 printable ASCII characters`,
      );
    }
    if (typeof e.publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(e.publicKey)) {
      throw new InvalidCustodiansError(`${what}: custodians[${i}].publicKey must be 64 lowercase hex digits`);
    }
    map.set(e.name, [...(map.get(e.name) ?? []), e.publicKey]);
  });
  return map;
}

/** A statement's verdict: failed (bad signature, key not the pinned one), unverified (unpinned), verified. */
export type StatementVerdict =
  { status: 'verified' } | { status: 'unverified'; reason: string } | { status: 'failed'; reason: string };

/** Checks a statement's Ed25519 signature by its stated key and that key against the pinned ones. */
export function verifyCustodianStatement(item: CustodianItem, pinned: PinnedCustodians): StatementVerdict {
  let valid: boolean;
  try {
    valid = ed25519.verify(
      hexToBytes(item.signature),
      utf8ToBytes(custodianStatementText(item)),
      hexToBytes(item.publicKey),
    );
  } catch (e) {
    return { status: 'failed', reason: `malformed Ed25519 signature or key: ${(e as Error).message}` };
  }
  if (!valid) return { status: 'failed', reason: 'Ed25519 signature is not valid over this statement' };
  const keys = pinned.get(item.custodian);
  if (!keys) {
    return {
      status: 'unverified',
      reason: `custodian ${JSON.stringify(item.custodian)} is not pinned (--custodians): not counted`,
    };
  }
  if (!keys.includes(item.publicKey)) {
    return {
      status: 'failed',
      reason: `signed with key ${item.publicKey.slice(0, 16)}..., not a pinned key of ${JSON.stringify(item.custodian)}`,
    };
  }
  return { status: 'verified' };
}
