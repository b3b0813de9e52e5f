// The page's signed-publication section: the signers the user pins (a file, a URL or ?signers=<url>, with
// ?threshold=k), the bundle's signatures.json checked over the bundle's current digest, and the packet's own
// signature. Every check runs in the browser (src/verify/verify-publication.ts, src/publication/).
import type { ReadBundleFile } from '../../src/bundle/load.js';
import { loadBundle } from '../../src/bundle/load.js';
import type { InclusionPacket } from '../../src/bundle/format.js';
import { checkPacketSignature } from '../../src/publication/check-packet.js';
import type { PacketSignatureCheck } from '../../src/publication/check-packet.js';
import type { SignerSeen } from '../../src/publication/check-signatures.js';
import { SIGNATURES_FILE } from '../../src/publication/signature-file.js';
import { parseSignerSet } from '../../src/publication/signer-set.js';
import type { SignerSet } from '../../src/publication/signer-set.js';
import { verifyPublication } from '../../src/verify/verify-publication.js';

/** What the section needs from the rest of the page. */
export interface PublicationContext {
  reader: () => ReadBundleFile | null;
  packet: () => InclusionPacket | null;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};

let signers: SignerSet | null = null;

const STATUS: Record<SignerSeen['status'], string> = {
  'valid-pinned': '✔ valid, pinned',
  'valid-unpinned': '• valid, NOT pinned (does not count)',
  invalid: '✘ INVALID',
};

function item(text: string, status: string): HTMLLIElement {
  const li = document.createElement('li');
  li.textContent = text;
  li.dataset.status = status;
  return li;
}

async function loadSigners(text: Promise<string>, source: string): Promise<void> {
  try {
    signers = parseSignerSet(await text, source);
    $('signers-status').textContent = `Signers pinned from ${source}: ${[...signers.byKey.values()]
      .map((s) => `${s.role} "${s.name}"`)
      .join(', ')}.`;
  } catch (e) {
    signers = null;
    $('signers-status').textContent = `Signers not pinned: ${(e as Error).message}`;
  }
  $('publication').hidden = true;
}

function packetLine(p: PacketSignatureCheck): [string, string] {
  if (!p.signed) return ['Your packet is not signed: it is not evidence against anyone.', 'unsigned'];
  if (!p.valid) {
    return [
      `Your packet's signature is INVALID (key ${p.fingerprint}): ${p.reason}. The packet was changed after ` +
        'it was signed: it is not evidence.',
      'invalid',
    ];
  }
  const who = p.pinned ? `pinned as ${p.pinned.role} "${p.pinned.name}"` : 'not pinned';
  const op = p.bundleOperator
    ? 'the key that signed this bundle as operator'
    : 'not a key that signed this bundle';
  const text =
    `Your packet is signed by key ${p.fingerprint} (${who}; ${op}) for bundle digest ${p.bundleDigest}` +
    (p.matchesBundle === false ? " — NOT this bundle's digest." : '.');
  const evidence = p.attributable
    ? ' It holds the operator to this packet: if your balance is wrong or the inclusion check fails, keep ' +
      'this packet, the bundle and its signatures.json. Anyone can check the signature and the failing check.'
    : '';
  return [text + evidence, p.attributable ? 'attributable' : 'valid'];
}

async function check(ctx: PublicationContext): Promise<void> {
  const read = ctx.reader();
  if (!read) {
    $('signers-status').textContent = 'Load the bundle first (step 2).';
    return;
  }
  const raw = ($('threshold') as HTMLInputElement).value.trim();
  // Only a positive integer: a threshold of 0 would be met by no signature at all.
  const threshold = /^[1-9][0-9]*$/.test(raw) ? Number(raw) : 1;
  ($('threshold') as HTMLInputElement).value = String(threshold);
  $('signatures-progress').textContent = 'Reading the bundle to compute its digest…';
  const bundle = await loadBundle(read);
  const text = await read(SIGNATURES_FILE);
  const report = verifyPublication(bundle, text, signers ? { signers, threshold } : {});
  const list = $('signatures-list');
  list.replaceChildren();
  for (const s of report.check?.signers ?? []) {
    const claimed = s.claimed ? ` (claims ${s.claimed.role} "${s.claimed.name}")` : '';
    const why = s.status === 'invalid' ? `: ${s.reason}` : '';
    list.append(
      item(`${STATUS[s.status]}: ${s.role} "${s.name}", key ${s.fingerprint}${claimed}${why}`, s.status),
    );
  }
  const packet = ctx.packet();
  if (packet) {
    const [line, status] = packetLine(
      checkPacketSignature(packet, {
        bundleDigest: report.digest,
        bundleSignatures: report.check,
        signers: signers ?? undefined,
      }),
    );
    const p = $('packet-signature');
    p.textContent = line;
    p.dataset.status = status;
  } else {
    $('packet-signature').textContent = '';
  }
  const section = $('publication');
  section.hidden = false;
  section.dataset.outcome = !signers ? 'unpinned' : report.ok ? 'pass' : 'fail';
  section.className = `result ${!signers ? '' : report.ok ? 'pass' : 'fail'}`;
  const c = report.check;
  $('publication-verdict').textContent = !signers
    ? `Signatures shown, not checked against anyone: pin the signers you trust. ${report.problems.join(' ')}`
    : report.ok
      ? `✔ ${c!.validPinned} of the signers you pinned signed this bundle (${threshold} required).`
      : `✘ Not enough of the signers you pinned signed this bundle: ${report.problems.join(' ')}`;
  $('publication-digest').textContent = `Bundle digest: ${report.digest ?? 'not computed'}`;
  $('signatures-progress').textContent = '';
}

/** Wires the section; resolves once ?signers= (if any) is loaded. */
export function startPublication(
  ctx: PublicationContext,
  fetchText: (url: string) => Promise<string>,
): Promise<void> {
  $('signers-file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void loadSigners(file.text(), `the file ${file.name}`);
  });
  $('signers-load').addEventListener('click', () => {
    const url = ($('signers-url') as HTMLInputElement).value.trim();
    if (url) void loadSigners(fetchText(new URL(url, location.href).href), url);
  });
  $('check-signatures').addEventListener('click', () => {
    const button = $('check-signatures') as HTMLButtonElement;
    button.disabled = true;
    void check(ctx)
      .catch((e: unknown) => {
        $('publication').hidden = false;
        $('publication').dataset.outcome = 'fail';
        $('publication').className = 'result fail';
        $('publication-verdict').textContent =
          `✘ The signatures could not be checked: ${(e as Error).message}`;
      })
      .finally(() => {
        button.disabled = false;
        $('signatures-progress').textContent = '';
      });
  });
  const params = new URLSearchParams(location.search);
  const k = params.get('threshold');
  if (k !== null && /^[1-9][0-9]*$/.test(k)) ($('threshold') as HTMLInputElement).value = k;
  const url = params.get('signers');
  return url === null ? Promise.resolve() : loadSigners(fetchText(new URL(url, location.href).href), url);
}
