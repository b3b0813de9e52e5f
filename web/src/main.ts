// The user-facing verification page: load a packet and a bundle, check inclusion in the browser.
import { checkDevKeys } from '../../src/verify/dev-keys.js';
import { summarize, verifyBundle } from '../../src/verify/verify-bundle.js';
import { inclusionProofIds, verifyInclusion } from '../../src/verify/verify-inclusion.js';
import type { BundleData, BundleManifest, InclusionPacket } from '../../src/bundle/format.js';
import { loadBundle, type ReadBundleFile } from '../../src/bundle/load.js';
import { parsePacket } from '../../src/bundle/packet.js';
import type { CircuitKind } from '../../src/protocol/families.js';
import { parseTrustedKeys, pinnedFamilies, pinnedVkeyHashes } from '../../src/verify/trusted-keys.js';
import type { TrustedKeys } from '../../src/verify/trusted-keys.js';
import { readFromPickedFolder, readFromUrl } from './load-bundle.js';
import { describeBundle, formatAmount, formatInstant, type Figure } from './figures.js';
import { startPublication } from './publication.js';
import { initReserves, showReserves } from './reserves-view.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};

let packet: InclusionPacket | null = null;
let reader: ReadBundleFile | null = null;
/** The key-set manifest the user pinned (file, URL or ?keys=), or null: the keys are then unchecked. */
let trusted: TrustedKeys | null = null;
let busy = false;

function setStatus(id: string, text: string): void {
  $(id).textContent = text;
}

function refreshButtons(): void {
  ($('verify') as HTMLButtonElement).disabled = busy || !(packet && reader);
  ($('verify-all') as HTMLButtonElement).disabled = busy || !reader;
}

function showResult(ok: boolean, verdict: string, reasons: string[], figures: Figure[]): void {
  const result = $('result');
  result.hidden = false;
  result.className = `result ${ok ? 'pass' : 'fail'}`;
  result.dataset.outcome = ok ? 'pass' : 'fail';
  $('verdict').textContent = `${ok ? '✔' : '✘'} ${verdict}`;
  const reason = $('reason');
  reason.replaceChildren();
  if (reasons.length === 1) {
    reason.textContent = reasons[0]!;
  } else if (reasons.length > 1) {
    const ul = document.createElement('ul');
    for (const r of reasons.slice(0, 20)) {
      const li = document.createElement('li');
      li.textContent = r;
      ul.append(li);
    }
    if (reasons.length > 20) {
      const li = document.createElement('li');
      li.textContent = `… and ${reasons.length - 20} more problems`;
      ul.append(li);
    }
    reason.append(ul);
  }
  const dl = $('figures');
  dl.replaceChildren();
  for (const f of figures) {
    const dt = document.createElement('dt');
    dt.textContent = f.label;
    const dd = document.createElement('dd');
    dd.textContent = f.value;
    if (f.strong) dd.className = 'strong';
    dl.append(dt, dd);
  }
  result.scrollIntoView({ block: 'nearest' });
}

function hideResult(): void {
  $('result').hidden = true;
  $('reserves').hidden = true;
}

/**
 * The insecure-keys banner, shown when the verifier finds the keys ARE the public dev keys, or when the
 * manifest's claim alone says they are insecure. Returns whether it is shown.
 */
function showBanner(bundle: BundleData): boolean {
  const { declared, insecureDevKeys: knownDevKeys, insecure } = checkDevKeys(bundle);
  const keys = bundle.manifest?.keys;
  const banner = $('banner');
  banner.hidden = !insecure;
  banner.dataset.source = knownDevKeys ? 'keys' : declared ? 'manifest' : '';
  let detail = '';
  if (knownDevKeys && !declared) {
    detail =
      `The bundle's manifest claims its keys come from the ceremony "${String(keys?.ceremony)}", but this page ` +
      'recognised the keys themselves as the public development keys: the manifest is not telling the truth.';
  } else if (knownDevKeys) {
    detail = 'This page recognised the verification keys themselves as the public development keys.';
  } else if (declared) {
    detail = "The bundle's own manifest declares its keys insecure.";
  }
  $('banner-detail').textContent = detail;
  return !banner.hidden;
}

/** Reads the manifest and keys, shows the banner, and reports what was loaded. */
async function useBundle(candidate: ReadBundleFile, where: string): Promise<void> {
  const head = await loadBundle(candidate, { only: [] });
  const m = head.manifest;
  reader = candidate;
  showBanner(head);
  const proofs = Array.isArray(m.proofs) ? m.proofs.length : 0;
  setStatus(
    'bundle-status',
    `Bundle for ${String(m.currency)} at ${formatInstant(m.snapshotTime)} loaded ${where} (${proofs} proofs).`,
  );
}

async function onPacket(file: File): Promise<void> {
  hideResult();
  try {
    packet = parsePacket(await file.text(), `the file ${file.name}`);
    setStatus(
      'packet-status',
      `Packet loaded: account reference "${String(packet.externalRef)}", ${String(packet.currency)}, ` +
        `snapshot ${formatInstant(packet.snapshotTime)}.`,
    );
  } catch (e) {
    packet = null;
    setStatus('packet-status', `Not loaded: ${(e as Error).message}`);
  }
  refreshButtons();
}

async function onFolder(files: FileList): Promise<void> {
  hideResult();
  try {
    await useBundle(readFromPickedFolder(files), 'from the chosen folder');
  } catch (e) {
    reader = null;
    setStatus('bundle-status', `Not loaded: ${(e as Error).message}`);
  }
  refreshButtons();
}

async function run(job: () => Promise<void>): Promise<void> {
  if (busy) return;
  busy = true;
  refreshButtons();
  try {
    await job();
  } catch (e) {
    showResult(false, 'FAIL: the check could not run', [(e as Error).message], []);
  } finally {
    busy = false;
    setStatus('progress', '');
    refreshButtons();
  }
}

function setTrusted(keys: TrustedKeys | null, status: string): void {
  trusted = keys;
  setStatus('keys-status', status);
  $('unpinned').hidden = keys !== null;
  document.body.dataset.keys = keys ? 'pinned' : 'unpinned';
  hideResult();
}

async function loadKeys(text: Promise<string>, source: string): Promise<void> {
  try {
    const keys = parseTrustedKeys(await text, source);
    const families = pinnedFamilies(keys);
    setTrusted(keys, `Keys pinned from ${source} (families: ${families.join(', ') || 'none'}).`);
  } catch (e) {
    setTrusted(null, `Keys not pinned: ${(e as Error).message}`);
  }
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  return response.text();
}

/** The pinned hashes for the bundle's family, null when unpinned, or the reason the bundle is refused. */
function pinnedFor(m: BundleManifest): { hashes: Record<CircuitKind, string> | null; error: string | null } {
  if (!trusted) return { hashes: null, error: null };
  const pinned = pinnedVkeyHashes(trusted, { id: String(m?.family?.id) });
  return pinned.ok ? { hashes: pinned.hashes, error: null } : { hashes: null, error: pinned.error };
}

const UNPINNED_REASON =
  'Keys not pinned: these proofs are only as good as keys you have not checked (see the warning above).';
const KEYS_FAILED = 'FAILED: the keys are not the ones you pinned';
const isPinFailure = (reason: string): boolean =>
  /is not the trusted key|the trusted keys .* have no /.test(reason);

async function runInclusion(): Promise<void> {
  if (!packet || !reader) return;
  const p = packet;
  const read = reader;
  const manifestText = await read('manifest.json');
  if (!manifestText) throw new Error('the bundle has no manifest.json');
  const m = JSON.parse(manifestText) as BundleManifest;
  const ids = inclusionProofIds(m.tree.levels, m.family.aggChildren, p.chunk);
  setStatus('progress', `Checking the ${ids.length} proofs on your path…`);
  const bundle = await loadBundle(read, { only: ids });
  const pin = pinnedFor(m);
  if (pin.error) {
    showBanner(bundle);
    showResult(false, KEYS_FAILED, [pin.error], describeBundle(summarize(bundle), bundle.manifest));
    return;
  }
  const options = pin.hashes ? { trustedVkeyHashes: pin.hashes } : {};
  const outcome = await verifyInclusion(p, bundle, options);
  await showReserves(bundle);
  const insecure = showBanner(bundle);
  const summary = summarize(bundle, outcome.figures?.keysPinned ? options : {});
  const figures: Figure[] = [
    {
      label: outcome.ok ? 'Your balance' : 'Balance in your packet (NOT confirmed)',
      value: formatAmount(p.balance, summary.decimals, p.currency),
      strong: true,
    },
    { label: 'Your account reference', value: String(p.externalRef) },
    { label: 'Your account id', value: String(p.accountId) },
    ...describeBundle(summary, bundle.manifest),
  ];
  const passReason =
    `Your balance is one of the amounts the operator proved, at ${formatInstant(summary.snapshotTime)}, ` +
    'are covered by its reserves: every proof on your path verified and links to the solvency proof. ' +
    'Check that the account reference and balance below are yours.';
  showResult(
    outcome.ok,
    outcome.ok
      ? 'PASS: your balance is included'
      : isPinFailure(outcome.reason)
        ? KEYS_FAILED
        : 'FAIL: your balance could not be confirmed',
    [
      outcome.ok ? passReason : outcome.reason,
      ...(insecure ? ['Insecure development keys: see the warning above.'] : []),
      ...(pin.hashes ? [] : [UNPINNED_REASON]),
    ],
    figures,
  );
}

async function runBundle(): Promise<void> {
  if (!reader) return;
  setStatus('progress', 'Reading the bundle…');
  const bundle = await loadBundle(reader);
  const pin = pinnedFor(bundle.manifest);
  if (pin.error) {
    showBanner(bundle);
    showResult(false, KEYS_FAILED, [pin.error], describeBundle(summarize(bundle), bundle.manifest));
    return;
  }
  const options = pin.hashes ? { trustedVkeyHashes: pin.hashes } : {};
  const report = await verifyBundle(bundle, {
    ...options,
    onProgress: ({ done, total }) => setStatus('progress', `Verified ${done} of ${total} proofs…`),
  });
  await showReserves(bundle);
  const insecure = showBanner(bundle);
  showResult(
    report.ok,
    report.ok
      ? 'PASS: the whole bundle verifies'
      : report.errors.some(isPinFailure)
        ? KEYS_FAILED
        : 'FAIL: the bundle does not verify',
    report.ok
      ? [
          `All ${report.proofsVerified} proofs verified and link up to the solvency proof.`,
          ...(insecure ? ['Insecure development keys: see the warning above.'] : []),
          ...(pin.hashes ? [] : [UNPINNED_REASON]),
        ]
      : report.errors,
    [
      { label: 'Proofs checked', value: String(report.proofsVerified) },
      ...describeBundle(report.summary ?? summarize(bundle), bundle.manifest),
    ],
  );
}

async function tryHostedBundle(): Promise<void> {
  // Hosted next to a bundle: ?bundle=<relative or absolute URL>, else ./bundle/ when it exists.
  if (location.protocol === 'file:') return;
  const param = new URLSearchParams(location.search).get('bundle');
  try {
    await useBundle(readFromUrl(new URL(param ?? 'bundle/', location.href).href), 'from this site');
  } catch (e) {
    // No hosted bundle (or a broken one): the user picks a folder. Say so only when one was asked for.
    if (param !== null) setStatus('bundle-status', `Could not load ${param}: ${(e as Error).message}`);
  }
  refreshButtons();
}

function start(): void {
  $('packet-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void onPacket(file);
  });
  $('bundle-dir').addEventListener('change', (e) => {
    const files = (e.target as HTMLInputElement).files;
    if (files && files.length > 0) void onFolder(files);
  });
  $('keys-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void loadKeys(file.text(), `the file ${file.name}`);
  });
  $('keys-load').addEventListener('click', () => {
    const url = ($('keys-url') as HTMLInputElement).value.trim();
    if (url) void loadKeys(fetchText(new URL(url, location.href).href), url);
  });
  setTrusted(null, '');
  $('verify').addEventListener('click', () => void run(runInclusion));
  $('verify-all').addEventListener('click', () => void run(runBundle));
  // Operators who host the page pin their ceremony's keys with ?keys=<url>.
  const keysParam = new URLSearchParams(location.search).get('keys');
  const keysReady =
    keysParam === null
      ? Promise.resolve()
      : loadKeys(fetchText(new URL(keysParam, location.href).href), keysParam);
  const signersReady = startPublication({ reader: () => reader, packet: () => packet }, fetchText);
  void Promise.all([keysReady, signersReady, initReserves()]).then(() => {
    document.body.dataset.ready = 'true';
  });
  void tryHostedBundle();
}

start();
