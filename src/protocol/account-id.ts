// The ledger's account id (docs/ledger.md §3), recomputed without node: so that the inclusion verifier can bind
// the account reference shown to the user (`externalRef`) to the account id committed in the leaf. Browser-safe.
import { bytesToHex, sha256 } from '../crypto/sha256.js';

const ACCOUNT_ID_TAG = 'zkreserve/1/account';
const encoder = new TextEncoder();

/** hex(SHA-256(lp("zkreserve/1/account") || lp(ownerType) || lp(currency) || lp(externalRef))), lp = u32be length || UTF-8. */
export function ledgerAccountId(ownerType: string, currency: string, externalRef: string): string {
  const parts = [ACCOUNT_ID_TAG, ownerType, currency, externalRef].map((s) => encoder.encode(s));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const p of parts) {
    view.setUint32(offset, p.length);
    bytes.set(p, offset + 4);
    offset += 4 + p.length;
  }
  return bytesToHex(sha256(bytes));
}
