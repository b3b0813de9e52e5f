// Verifies a bundle's reserve evidence offline (docs/reserves.md "What verification checks"): the evidence
// is for this round (its challenge is recomputed from the manifest), every item's signature is by the
// stated address or pinned custodian over that challenge, no holding or statement is listed twice, every
// asset is the bundle's currency, every block or as-of time lies in the declared window around T; then the
// evidenced total is compared with the proof's reserves signal. Online EVM results (src/reserves-online)
// are merged in when given. Browser-safe.
import { SOLVENCY, SOLVENCY_PROOF_ID } from '../bundle/format.js';
import type { BundleData, BundleManifest } from '../bundle/format.js';
import { formatMinorUnits } from '../money/amount.js';
import { formatInstant, parseInstant } from '../time.js';
import { assetMatches } from './assets.js';
import { verifyBip137 } from './bip137.js';
import { verifyBip322 } from './bip322.js';
import { challengeForManifest } from './challenge.js';
import { verifyCustodianStatement } from './custodian.js';
import type { PinnedCustodians } from './custodian.js';
import { parseEvidence } from './evidence.js';
import type { EvidenceItem, ReservesEvidence } from './evidence.js';
import { verifyEvmSignature } from './evm.js';

/** verified: counted; unverified: shown, not counted; failed: refused (the evidence is then not ok). */
export type ItemStatus = 'verified' | 'unverified' | 'failed';

/** One item's result. */
export interface EvidenceItemResult {
  index: number;
  kind: EvidenceItem['kind'];
  /** What the item is, e.g. `evm chain 1 0xab… native`, `bitcoin bc1q…`, `custodian "X" account "Y"`. */
  label: string;
  /** Claimed amount, minor units of the bundle currency. */
  amount: string;
  /** The block time or as-of time the item states. */
  time: string;
  status: ItemStatus;
  /** Why it is unverified or failed; empty when verified. */
  reason: string;
  /** Whether the asset was matched by the built-in registry or by the evidence's declared mapping. */
  assetSource: 'registry' | 'declared' | null;
  /** `confirmed`/`refused`: checked against an EVM node; `not checked`: offline only. */
  online: 'confirmed' | 'refused' | 'not checked';
}

/** An online check's outcome for one EVM item (src/reserves-online). */
export interface OnlineItemCheck {
  ok: boolean;
  reason: string;
}

/** The evidence report: per item, and the coverage of the reserves figure. */
export interface EvidenceReport {
  present: boolean;
  /** Evidence present, for this round, no failed item, and the verified total covers the reserves. */
  ok: boolean;
  operator: string | null;
  challenge: string | null;
  /** Evidence-level problems (malformed file, another round's challenge). */
  problems: string[];
  window: { from: string; to: string } | null;
  items: EvidenceItemResult[];
  counts: Record<ItemStatus, number>;
  currency: string;
  decimals: number;
  /** Sum of the verified items (minor units). */
  evidenced: string;
  /** The proof's reserves signal (minor units). */
  reserves: string;
  covered: boolean;
  /** reserves - evidenced when not covered, else 0 (minor units); `shortfallMajor` in major units. */
  shortfall: string;
  shortfallMajor: string;
  onlineChecked: boolean;
}

export interface VerifyEvidenceOptions {
  /** Pinned custodian keys (`--custodians`); an unpinned custodian's statement is unverified. */
  custodians?: PinnedCustodians;
  /** Online results by item index (src/reserves-online checkEvmOnline). */
  online?: ReadonlyMap<number, OnlineItemCheck>;
}

/** The reserves figure the proof states: the solvency proof's `reserves` signal, else the manifest's. */
export function provenReserves(bundle: Pick<BundleData, 'manifest' | 'proofs'>): bigint {
  const signal = bundle.proofs?.[SOLVENCY_PROOF_ID]?.publicSignals?.[SOLVENCY.reserves];
  const v = signal ?? bundle.manifest.reserves;
  return /^[0-9]+$/.test(String(v)) ? BigInt(String(v)) : 0n;
}

/** The key under which an item must be unique: the holding (chain, address, asset) or the account. */
export function holdingKey(item: EvidenceItem): string {
  if (item.kind === 'evm')
    return `evm:${item.chainId}:${item.address.toLowerCase()}:${item.asset.toLowerCase()}`;
  if (item.kind === 'bitcoin') {
    const a = /^(bc|tb)1/i.test(item.address) ? item.address.toLowerCase() : item.address;
    return `bitcoin:${item.network ?? 'mainnet'}:${a}`;
  }
  return `custodian:${JSON.stringify([item.custodian, item.account, item.currency])}`;
}

function label(item: EvidenceItem): string {
  if (item.kind === 'evm') {
    return `evm chain ${item.chainId} ${item.address} ${item.asset === 'native' ? 'native' : `token ${item.asset}`}${item.contract ? ' (contract wallet)' : ''}`;
  }
  if (item.kind === 'bitcoin') return `bitcoin ${item.address} (${item.format})`;
  return `custodian ${JSON.stringify(item.custodian)} account ${JSON.stringify(item.account)}`;
}

type Verdict = { status: ItemStatus; reason: string };

async function signatureVerdict(
  item: EvidenceItem,
  challenge: string,
  options: VerifyEvidenceOptions,
): Promise<Verdict> {
  if (item.kind === 'custodian') {
    if (item.challenge !== challenge) {
      return { status: 'failed', reason: "statement is over another challenge (not this round's)" };
    }
    const v = verifyCustodianStatement(item, options.custodians ?? new Map());
    return v.status === 'verified' ? { status: 'verified', reason: '' } : v;
  }
  if (item.kind === 'evm' && item.contract) {
    return {
      status: 'unverified',
      reason: 'EIP-1271 contract wallet: its signature is checked only online (--rpc)',
    };
  }
  const v =
    item.kind === 'evm'
      ? await verifyEvmSignature(item, challenge)
      : item.format === 'bip137'
        ? verifyBip137(challenge, item.address, item.signature, item.network)
        : verifyBip322(challenge, item.address, item.signature, item.network);
  return v.ok ? { status: 'verified', reason: '' } : { status: 'failed', reason: v.reason };
}

/** Checks one item (everything but the online part); `seen` holds earlier items' holding keys. */
async function checkItem(
  item: EvidenceItem,
  ctx: { evidence: ReservesEvidence; challenge: string; currency: string; from: number; to: number },
  seen: Map<string, number>,
  options: VerifyEvidenceOptions,
): Promise<Verdict & { assetSource: 'registry' | 'declared' | null }> {
  const key = holdingKey(item);
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    return {
      status: 'failed',
      reason: `listed twice (same holding as items[${earlier}]): counted once only`,
      assetSource: null,
    };
  }
  const asset = assetMatches(item, ctx.currency, ctx.evidence.assets);
  if (!asset.ok) return { status: 'failed', reason: `wrong asset: ${asset.reason}`, assetSource: null };
  const timeText = item.kind === 'custodian' ? item.asOf : item.blockTime;
  let t: number;
  try {
    t = parseInstant(timeText, 'time');
  } catch (e) {
    return { status: 'failed', reason: (e as Error).message, assetSource: asset.source };
  }
  if (t < ctx.from || t > ctx.to) {
    return {
      status: 'failed',
      reason: `time ${formatInstant(t)} is outside the declared window ${formatInstant(ctx.from)} .. ${formatInstant(ctx.to)}`,
      assetSource: asset.source,
    };
  }
  const sig = await signatureVerdict(item, ctx.challenge, options);
  return { ...sig, assetSource: asset.source };
}

function emptyReport(
  manifest: BundleManifest,
  reserves: bigint,
  problems: string[],
  present: boolean,
): EvidenceReport {
  const decimals = typeof manifest.decimals === 'number' ? manifest.decimals : 0;
  return {
    present,
    ok: false,
    operator: null,
    challenge: null,
    problems,
    window: null,
    items: [],
    counts: { verified: 0, unverified: 0, failed: 0 },
    currency: String(manifest.currency),
    decimals,
    evidenced: '0',
    reserves: reserves.toString(),
    covered: reserves === 0n,
    shortfall: reserves.toString(),
    shortfallMajor: formatMinorUnits(reserves, decimals),
    onlineChecked: false,
  };
}

/** Verifies `bundle.reserves` (absent: a report with present false, "reserves not evidenced"). */
export async function verifyReservesEvidence(
  bundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'>,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceReport> {
  const manifest = bundle.manifest;
  const reserves = provenReserves(bundle);
  if (bundle.reserves === undefined || bundle.reserves === null)
    return emptyReport(manifest, reserves, [], false);
  let evidence: ReservesEvidence;
  let challenge: string;
  try {
    evidence = parseEvidence(bundle.reserves);
    challenge = challengeForManifest(manifest, evidence.operator);
  } catch (e) {
    return emptyReport(manifest, reserves, [(e as Error).message], true);
  }
  const report = emptyReport(manifest, reserves, [], true);
  report.operator = evidence.operator;
  report.challenge = challenge;
  if (evidence.challenge !== challenge) {
    report.problems.push(
      "the evidence's challenge is not this round's (operator, currency, T and audit head of the manifest)",
    );
  }
  const T = parseInstant(manifest.snapshotTime, 'snapshot time');
  const from = T - evidence.window.beforeSeconds * 1000;
  const to = T + evidence.window.afterSeconds * 1000;
  report.window = { from: formatInstant(Math.max(0, from)), to: formatInstant(to) };
  const ctx = { evidence, challenge, currency: manifest.currency, from, to };
  const seen = new Map<string, number>();
  let total = 0n;
  for (const [index, item] of evidence.items.entries()) {
    const v = await checkItem(item, ctx, seen, options);
    seen.set(holdingKey(item), index);
    const result: EvidenceItemResult = {
      index,
      kind: item.kind,
      label: label(item),
      amount: item.kind === 'custodian' ? item.amount : item.balance,
      time: item.kind === 'custodian' ? item.asOf : item.blockTime,
      status: v.status,
      reason: v.reason,
      assetSource: v.assetSource,
      online: 'not checked',
    };
    mergeOnline(result, item, options.online?.get(index));
    if (result.status === 'verified') total += BigInt(result.amount);
    report.counts[result.status] += 1;
    report.items.push(result);
  }
  report.onlineChecked = options.online !== undefined;
  report.evidenced = total.toString();
  report.covered = total >= reserves;
  const short = report.covered ? 0n : reserves - total;
  report.shortfall = short.toString();
  report.shortfallMajor = formatMinorUnits(short, report.decimals);
  report.ok = report.problems.length === 0 && report.counts.failed === 0 && report.covered;
  return report;
}

/** Folds an online result into an item's result: a refusal fails it; a confirmation verifies a contract wallet. */
function mergeOnline(
  result: EvidenceItemResult,
  item: EvidenceItem,
  online: OnlineItemCheck | undefined,
): void {
  if (!online || item.kind !== 'evm') return;
  result.online = online.ok ? 'confirmed' : 'refused';
  if (result.status === 'failed') return;
  if (!online.ok) {
    result.status = 'failed';
    result.reason = `online: ${online.reason}`;
  } else if (item.contract) {
    result.status = 'verified';
    result.reason = '';
  }
}
