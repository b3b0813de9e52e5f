// The user-facing verification page: load a packet and a bundle, check inclusion in the browser.
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { loadBundle, parsePacket, pathProofIds, readFromPickedFolder, readFromUrl, type ReadFile } from './load-bundle.js';
import { describeBundle, formatMinor, type Figure } from './figures.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};

let packet: InclusionPacket | null = null;
let reader: ReadFile | null = null;

function setStatus(id: string, text: string): void {
  $(id).textContent = text;
}

function refreshButtons(): void {
  ($('verify') as HTMLButtonElement).disabled = !(packet && reader);
  ($('verify-all') as HTMLButtonElement).disabled = !reader;
}

function showResult(ok: boolean, verdict: string, reason: string, figures: Figure[]): void {
  const result = $('result');
  result.hidden = false;
  result.className = `result ${ok ? 'pass' : 'fail'}`;
  result.dataset.outcome = ok ? 'pass' : 'fail';
  $('verdict').textContent = verdict;
  $('reason').textContent = reason;
  const dl = $('figures');
  dl.replaceChildren();
  for (const f of figures) {
    const dt = document.createElement('dt');
    dt.textContent = f.label;
    const dd = document.createElement('dd');
    dd.textContent = f.value;
    dl.append(dt, dd);
  }
}

function showBanner(bundle: BundleData): void {
  const banner = $('banner');
  if (bundle.manifest.keys?.insecure) {
    banner.hidden = false;
    banner.textContent =
      'WARNING: this bundle was proven with INSECURE DEVELOPMENT KEYS. Anyone can forge such proofs: ' +
      'a pass here means nothing about real money. Production bundles use keys from a multi-party ceremony.';
  } else {
    banner.hidden = true;
  }
}

async function onPacket(file: File): Promise<void> {
  try {
    packet = parsePacket(await file.text());
    setStatus('packet-status', `Packet for account ${packet.accountId.slice(0, 12)}… (${packet.currency}) loaded.`);
  } catch (e) {
    packet = null;
    setStatus('packet-status', `Not loaded: ${(e as Error).message}`);
  }
  refreshButtons();
}

async function onFolder(files: FileList): Promise<void> {
  reader = readFromPickedFolder(files);
  try {
    const manifest = JSON.parse((await reader('manifest.json')) ?? 'null');
    if (!manifest) throw new Error('no manifest.json in the chosen folder');
    setStatus('bundle-status', `Bundle for ${manifest.currency} at ${manifest.snapshotTime} loaded.`);
  } catch (e) {
    reader = null;
    setStatus('bundle-status', `Not loaded: ${(e as Error).message}`);
  }
  refreshButtons();
}

async function runInclusion(): Promise<void> {
  if (!packet || !reader) return;
  setStatus('bundle-status', 'Checking…');
  try {
    const manifestText = await reader('manifest.json');
    if (!manifestText) throw new Error('the bundle has no manifest.json');
    const ids = pathProofIds(JSON.parse(manifestText), packet.chunk);
    const bundle = await loadBundle(reader, ids);
    showBanner(bundle);
    const outcome = await verifyInclusion(packet, bundle);
    const figures: Figure[] = [
      { label: 'Your balance', value: `${formatMinor(BigInt(packet.balance), bundle.manifest.decimals)} ${packet.currency}` },
      ...describeBundle(bundle),
    ];
    showResult(
      outcome.ok,
      outcome.ok ? 'PASS: your balance is included' : 'FAIL: your balance could not be confirmed',
      outcome.ok ? 'Every proof on your path verified and links to the solvency proof.' : outcome.reason,
      figures,
    );
    setStatus('bundle-status', 'Done.');
  } catch (e) {
    showResult(false, 'FAIL: the check could not run', (e as Error).message, []);
    setStatus('bundle-status', '');
  }
}

async function runBundle(): Promise<void> {
  if (!reader) return;
  setStatus('bundle-status', 'Verifying every proof…');
  try {
    const bundle = await loadBundle(reader);
    showBanner(bundle);
    const report = await verifyBundle(bundle);
    showResult(
      report.ok,
      report.ok ? 'PASS: the whole bundle verifies' : 'FAIL: the bundle does not verify',
      report.ok ? `${Object.keys(bundle.proofs).length} proofs verified.` : report.errors.join('; '),
      describeBundle(bundle),
    );
    setStatus('bundle-status', 'Done.');
  } catch (e) {
    showResult(false, 'FAIL: the check could not run', (e as Error).message, []);
    setStatus('bundle-status', '');
  }
}

async function tryHostedBundle(): Promise<void> {
  // Hosted next to a bundle: ?bundle=<relative or absolute URL>, else ./bundle/ when it exists.
  if (location.protocol === 'file:') return;
  const param = new URLSearchParams(location.search).get('bundle');
  const candidate = readFromUrl(new URL(param ?? 'bundle/', location.href).href);
  try {
    const text = await candidate('manifest.json');
    if (!text) return;
    const manifest = JSON.parse(text);
    reader = candidate;
    setStatus('bundle-status', `Bundle for ${manifest.currency} at ${manifest.snapshotTime} loaded from this site.`);
    refreshButtons();
  } catch {
    // No hosted bundle: the user picks a folder.
  }
}

$('packet-file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void onPacket(file);
});
$('bundle-dir').addEventListener('change', (e) => {
  const files = (e.target as HTMLInputElement).files;
  if (files && files.length > 0) void onFolder(files);
});
$('verify').addEventListener('click', () => void runInclusion());
$('verify-all').addEventListener('click', () => void runBundle());
void tryHostedBundle();
