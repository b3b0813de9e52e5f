// The page's reserve-evidence section (docs/reserves.md): every offline check of src/reserves runs here in
// the browser (EIP-191, BIP-137, BIP-322, Ed25519 against the custodian keys the user pins); the online
// EVM checks need a node and are the CLI's (`--rpc`). Shows each item (verified, unverified or failed, and
// why) and the evidenced total against the proven reserves, or "reserves not evidenced".
import type { BundleData } from '../../src/bundle/format.js';
import { parseCustodians } from '../../src/reserves/custodian.js';
import type { PinnedCustodians } from '../../src/reserves/custodian.js';
import { verifyReservesEvidence } from '../../src/reserves/verify-evidence.js';
import type { EvidenceReport } from '../../src/reserves/verify-evidence.js';
import { formatAmount } from './figures.js';

let custodians: PinnedCustodians = new Map();
let lastBundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'> | null = null;

const el = (id: string): HTMLElement => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page is missing #${id}`);
  return e;
};

function coverage(r: EvidenceReport): string {
  const f = (v: string) => formatAmount(v, r.decimals, r.currency);
  const counts = `${r.counts.verified} verified, ${r.counts.unverified} unverified, ${r.counts.failed} failed`;
  const problems = r.problems.length > 0 ? ` Problems: ${r.problems.join('; ')}.` : '';
  return r.covered
    ? `Reserves evidenced: ${f(r.evidenced)} verified covers the proven reserves of ${f(r.reserves)} (${counts}).${problems}`
    : `Reserves NOT covered: ${f(r.evidenced)} verified of the proven reserves of ${f(r.reserves)}, shortfall ${f(r.shortfall)} (${counts}).${problems}`;
}

function render(r: EvidenceReport): void {
  const section = el('reserves');
  section.hidden = false;
  section.dataset.outcome = !r.present ? 'absent' : r.ok ? 'pass' : 'fail';
  const list = el('reserves-items');
  list.replaceChildren();
  if (!r.present) {
    el('reserves-summary').textContent =
      "Reserves not evidenced: the bundle has no reserve evidence, so the reserves figure is the operator's own number.";
    return;
  }
  el('reserves-summary').textContent =
    `${coverage(r)} Evidence by "${r.operator}", times within ${r.window?.from} .. ${r.window?.to}; ` +
    'checked in this browser (EVM balances and contract wallets are confirmed only with a node: zkreserve reserves verify --rpc).';
  for (const i of r.items) {
    const li = document.createElement('li');
    li.className = `evidence ${i.status}`;
    li.dataset.status = i.status;
    const declared = i.assetSource === 'declared' ? ' (asset mapping declared by the operator)' : '';
    li.textContent =
      `${i.status.toUpperCase()}: ${i.label}: ${formatAmount(i.amount, r.decimals, r.currency)} at ${i.time}${declared}` +
      (i.reason ? ` — ${i.reason}` : '');
    list.append(li);
  }
}

/** Checks and shows `bundle`'s reserve evidence (kept, to re-check when the user pins custodian keys). */
export async function showReserves(
  bundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'>,
): Promise<void> {
  lastBundle = bundle;
  render(await verifyReservesEvidence(bundle, { custodians }));
}

function setCustodians(text: string, source: string): void {
  try {
    custodians = parseCustodians(text, source);
    el('custodians-status').textContent =
      `Custodian keys pinned from ${source}: ${[...custodians.keys()].join(', ') || 'none'}.`;
  } catch (e) {
    custodians = new Map();
    el('custodians-status').textContent = `Custodian keys not pinned: ${(e as Error).message}`;
  }
  if (lastBundle) void showReserves(lastBundle);
}

/** Wires the custodian-keys input and `?custodians=<url>`; resolves once a URL given is loaded. */
export async function initReserves(): Promise<void> {
  el('custodians-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void file.text().then((t) => setCustodians(t, `the file ${file.name}`));
  });
  const param = new URLSearchParams(location.search).get('custodians');
  if (param === null) return;
  try {
    const response = await fetch(new URL(param, location.href).href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    setCustodians(await response.text(), param);
  } catch (e) {
    el('custodians-status').textContent =
      `Custodian keys not pinned: could not fetch ${param}: ${(e as Error).message}`;
  }
}
