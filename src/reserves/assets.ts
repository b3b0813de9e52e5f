// Which assets count as the bundle's currency (docs/reserves.md "Assets"): a small built-in registry of
// mainnet assets, plus the explicit mapping an evidence file declares (shown to the verifier as declared).
// Browser-safe.
import type { AssetMapping, EvidenceItem } from './evidence.js';

/** Built-in currency -> the on-chain assets that are that currency (mainnet). Fiat currencies have none. */
export const BUILTIN_ASSETS: Readonly<Record<string, readonly AssetMapping[]>> = Object.freeze({
  ETH: [{ kind: 'evm', chainId: 1, asset: 'native' }],
  USDC: [{ kind: 'evm', chainId: 1, asset: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' }],
  USDT: [{ kind: 'evm', chainId: 1, asset: '0xdac17f958d2ee523a2206206994597c13d831ec7' }],
  BTC: [{ kind: 'bitcoin', network: 'mainnet' }],
});

/** Where an item's asset was found to be the bundle currency, or why it is not. */
export type AssetVerdict = { ok: true; source: 'registry' | 'declared' } | { ok: false; reason: string };

function same(a: AssetMapping, item: EvidenceItem): boolean {
  if (a.kind === 'evm' && item.kind === 'evm') {
    return a.chainId === item.chainId && a.asset.toLowerCase() === item.asset.toLowerCase();
  }
  if (a.kind === 'bitcoin' && item.kind === 'bitcoin') return a.network === (item.network ?? 'mainnet');
  return false;
}

function describe(item: EvidenceItem): string {
  if (item.kind === 'evm') {
    return `${item.asset === 'native' ? 'the native coin' : `token ${item.asset}`} of chain ${item.chainId}`;
  }
  if (item.kind === 'bitcoin') return `bitcoin (${item.network ?? 'mainnet'})`;
  return `a ${item.currency} account`;
}

/** Is `item`'s asset the bundle `currency`, by the registry or by the evidence's declared `mapping`? */
export function assetMatches(
  item: EvidenceItem,
  currency: string,
  mapping: readonly AssetMapping[] = [],
): AssetVerdict {
  if (item.kind === 'custodian') {
    return item.currency === currency
      ? { ok: true, source: 'registry' }
      : { ok: false, reason: `statement is in ${item.currency}, the bundle is in ${currency}` };
  }
  if ((BUILTIN_ASSETS[currency] ?? []).some((a) => same(a, item))) return { ok: true, source: 'registry' };
  if (mapping.some((a) => same(a, item))) return { ok: true, source: 'declared' };
  return {
    ok: false,
    reason: `${describe(item)} is not ${currency} (neither the built-in registry nor the evidence's assets map it)`,
  };
}
