// The verification page in a real browser (Debian's Chromium driven by playwright-core): built with
// scripts/build-web.ts, served with a small bundle from a local static server, and opened from file://.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../scripts/build-web.js';
import type { InclusionPacket } from '../../src/bundle/format.js';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { formatMinor } from '../../web/src/figures.js';
import { bundleDigest } from '../../src/bundle/digest.js';
import { readBundle } from '../../src/bundle-io/read.js';
import { signBundleDigest, signPacket } from '../../src/publication/sign.js';
import { signerKeyFromSeed } from '../../src/publication/signer-key.js';
import { signerSetText } from '../../src/publication/signer-set.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';
import { writeEvidencedCopy } from './reserves-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SHOTS = path.resolve('test-results', 'web');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI) {
  // In CI a missing browser is a broken environment, not a reason to skip the page's only real test.
  describe('verification page (browser)', () => {
    it('needs Chromium', () => {
      throw new Error(`${CHROMIUM} is missing: .ci/run must install Debian's chromium package`);
    });
  });
} else if (!haveChromium) {
  describe.skip(`verification page (browser): skipped, ${CHROMIUM} is not installed (apt-get install chromium)`, () => {
    it('runs the page in Chromium', () => {});
  });
} else {
  describe('verification page (browser)', () => {
    let work: string;
    let pageDir: string;
    let bundleDir: string;
    let packetPath: string;
    let packet: InclusionPacket;
    let tamperedPacketPath: string;
    let otherKeysPath: string;
    let signedPacketPath: string;
    let server: http.Server;
    let base: string;
    let browser: Browser;
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      work = await tempDir('web');
      pageDir = await buildWeb(path.join(work, 'site'));
      // A small bundle: 3 users in one chunk, levels [1, 1], the total disclosed.
      bundleDir = path.join(pageDir, 'bundle');
      const packetsDir = path.join(work, 'packets');
      await proveSolvency({
        statement: await statementFromLedger(makeLedger(3).ledger, T, 'USD'),
        secret: SECRET,
        keys: await devKeys(),
        outDir: bundleDir,
        packetsDir,
        allowInsecureDevKeys: true,
        publishTotal: true,
      });
      await terminateCurves();
      // A user with a positive balance (user-0 is overdrawn: 0).
      for (const file of (await readdir(packetsDir)).sort()) {
        const p = JSON.parse(await readFile(path.join(packetsDir, file), 'utf8')) as InclusionPacket;
        if (BigInt(p.balance) > 0n) {
          packet = p;
          packetPath = path.join(packetsDir, file);
          break;
        }
      }
      // The signed publication: the operator and an auditor sign the digest, the operator signs the packet;
      // the signer set pins both, and a third key that did not sign.
      const operatorKey = signerKeyFromSeed('01'.repeat(32), 'Example Ltd', 'operator');
      const auditorKey = signerKeyFromSeed('02'.repeat(32), 'Audit LLP', 'auditor');
      const absentKey = signerKeyFromSeed('03'.repeat(32), 'Absent Audit', 'auditor');
      const digest = bundleDigest(await readBundle(bundleDir));
      const signatures = [operatorKey, auditorKey].map((k) => signBundleDigest(digest, k));
      await writeFile(
        path.join(bundleDir, 'signatures.json'),
        JSON.stringify({ protocol: 'zkreserve/2', kind: 'bundle-signatures', signatures }, null, 2),
      );
      await writeFile(
        path.join(pageDir, 'signers.json'),
        signerSetText([operatorKey, auditorKey, absentKey]),
      );
      signedPacketPath = path.join(work, 'signed-packet.json');
      await writeFile(signedPacketPath, JSON.stringify(signPacket(packet, digest, operatorKey), null, 2));
      tamperedPacketPath = path.join(work, 'tampered-packet.json');
      await writeFile(
        tamperedPacketPath,
        JSON.stringify({ ...packet, balance: (BigInt(packet.balance) + 1n).toString() }, null, 2),
      );
      // The same bundle with one tampered public.json (the chunk's sumCommit: links and the proof break).
      const bad = path.join(pageDir, 'bad');
      await cp(bundleDir, bad, { recursive: true });
      const pub = path.join(bad, 'proofs', 'L0-000000', 'public.json');
      const signals = JSON.parse(await readFile(pub, 'utf8')) as string[];
      signals[1] = (BigInt(signals[1]!) + 1n).toString();
      await writeFile(pub, JSON.stringify(signals, null, 1));
      // The same bundle, its manifest claiming a real ceremony: the keys are still the dev keys.
      const liar = path.join(pageDir, 'liar');
      await cp(bundleDir, liar, { recursive: true });
      const manifestPath = path.join(liar, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
      manifest.keys.ceremony = 'ceremony';
      manifest.keys.insecure = false;
      await writeFile(manifestPath, JSON.stringify(manifest, null, 2));

      // Key-set manifests to pin: the dev keys' own (the bundle's keys), and one whose hashes are not.
      await cp(path.resolve('keys/dev/manifest.json'), path.join(pageDir, 'keys-dev.json'));
      const other = JSON.parse(await readFile(path.resolve('keys/dev/manifest.json'), 'utf8'));
      for (const c of Object.values(other.circuits) as { vkey: string }[]) c.vkey = 'ab'.repeat(32);
      otherKeysPath = path.join(pageDir, 'keys-other.json');
      await writeFile(otherKeysPath, JSON.stringify(other, null, 2));

      // The same bundle with reserve evidence (a custodian statement, an EVM address, a tampered statement).
      await writeEvidencedCopy(
        bundleDir,
        path.join(pageDir, 'evidenced'),
        path.join(pageDir, 'custodians.json'),
      );

      server = await serve(pageDir);
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
      await mkdir(SHOTS, { recursive: true });
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await terminateCurves();
    });

    async function open(url: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
      const page = await context.newPage();
      page.on('console', (m) => {
        // reserves/evidence.json is optional: the browser logs its 404 on a bundle without evidence.
        const optional404 = m.location().url.endsWith('/reserves/evidence.json') && /\b404\b/.test(m.text());
        if (m.type() === 'error' && !optional404) consoleErrors.push(`${url}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`${url}: uncaught ${e.message}`));
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
      return page;
    }

    async function waitForBundle(page: Page, from: RegExp): Promise<void> {
      await expect.poll(() => page.textContent('#bundle-status'), { timeout: 10_000 }).toMatch(from);
    }

    async function outcome(page: Page, click: '#verify' | '#verify-all'): Promise<string> {
      await page.click(click);
      await page.waitForSelector('#result[data-outcome]', { timeout: 30_000 });
      // Wait until the run is over (the buttons come back).
      await page.waitForFunction(
        () => !(document.getElementById('verify-all') as HTMLButtonElement).disabled,
      );
      return (await page.getAttribute('#result', 'data-outcome'))!;
    }

    const expectedBalance = (): string => `${formatMinor(BigInt(packet.balance), 2)} USD`;

    it('(a) hosted bundle + valid packet: PASS with the balance and the insecure-keys banner', async () => {
      const page = await open(base);
      await waitForBundle(page, /loaded from this site/);
      await page.setInputFiles('#packet-file', packetPath);
      await expect.poll(() => page.textContent('#packet-status')).toMatch(/Packet loaded/);
      expect(await outcome(page, '#verify')).toBe('pass');
      expect(await page.textContent('#verdict')).toMatch(/PASS: your balance is included/);
      const figures = await page.textContent('#figures');
      expect(figures).toContain(`Your balance${expectedBalance()}`);
      expect(figures).toContain(packet.externalRef);
      expect(figures).toMatch(/INSECURE DEVELOPMENT KEYS/);
      // The verification-key hashes are shown, for comparison with the ceremony's published ones.
      const shown = JSON.parse(await readFile(path.join(bundleDir, 'manifest.json'), 'utf8'));
      expect(figures).toContain(`chunk ${shown.keys.circuits.chunk.hashes.vkey}`);
      expect(figures).toContain(`solvency ${shown.keys.circuits.solvency.hashes.vkey}`);
      expect(await page.isVisible('#banner')).toBe(true);
      expect(await page.getAttribute('#banner', 'data-source')).toBe('keys');
      expect(await page.textContent('#banner')).toMatch(/anyone can make "proofs" like these/);
      await page.screenshot({ path: path.join(SHOTS, 'pass.png'), fullPage: true });
      await page.context().close();
    });

    it('(b) a tampered packet (balance + 1): FAIL with a reason', async () => {
      const page = await open(base);
      await waitForBundle(page, /loaded from this site/);
      await page.setInputFiles('#packet-file', tamperedPacketPath);
      await expect.poll(() => page.textContent('#packet-status')).toMatch(/Packet loaded/);
      expect(await outcome(page, '#verify')).toBe('fail');
      expect(await page.textContent('#verdict')).toMatch(/FAIL: your balance could not be confirmed/);
      expect(await page.textContent('#reason')).toMatch(/does not lead to the root of chunk proof L0-000000/);
      await page.screenshot({ path: path.join(SHOTS, 'fail.png'), fullPage: true });
      await page.context().close();
    });

    it('(c) file:// page, bundle folder picked with the webkitdirectory input: PASS', async () => {
      const page = await open(pathToFileURL(path.join(pageDir, 'index.html')).href);
      // Opened from disk, nothing is fetched: the user picks the folder.
      expect(await page.textContent('#bundle-status')).toBe('');
      expect(await page.isDisabled('#verify-all')).toBe(true);
      await page.setInputFiles('#bundle-dir', bundleDir);
      await waitForBundle(page, /loaded from the chosen folder \(3 proofs\)/);
      expect(await page.isVisible('#banner')).toBe(true);
      await page.setInputFiles('#packet-file', packetPath);
      expect(await outcome(page, '#verify')).toBe('pass');
      expect(await page.textContent('#figures')).toContain(`Your balance${expectedBalance()}`);
      await page.context().close();
    });

    it('(d) "Verify the whole bundle": PASS; with one tampered public.json: FAIL', async () => {
      const good = await open(base);
      await waitForBundle(good, /loaded from this site/);
      expect(await outcome(good, '#verify-all')).toBe('pass');
      expect(await good.textContent('#reason')).toMatch(/All 3 proofs verified/);
      await good.context().close();

      const bad = await open(`${base}?bundle=bad/`);
      await waitForBundle(bad, /loaded from this site/);
      expect(await outcome(bad, '#verify-all')).toBe('fail');
      expect(await bad.textContent('#verdict')).toMatch(/FAIL: the bundle does not verify/);
      const reason = await bad.textContent('#reason');
      expect(reason).toMatch(/link L1-000000 slot 0/);
      expect(reason).toMatch(/proof L0-000000 \(chunk\): Groth16 verification failed/);
      await bad.screenshot({ path: path.join(SHOTS, 'fail-bundle.png'), fullPage: true });
      await bad.context().close();
    });

    it('shows the banner from the keys themselves when the manifest claims a real ceremony', async () => {
      const page = await open(`${base}?bundle=liar/`);
      await waitForBundle(page, /loaded from this site/);
      // Before any check: the keys alone raise the banner, and it says the manifest is not telling the truth.
      expect(await page.isVisible('#banner')).toBe(true);
      expect(await page.getAttribute('#banner', 'data-source')).toBe('keys');
      expect(await page.textContent('#banner-detail')).toMatch(
        /claims .* ceremony "ceremony".*not telling the truth/,
      );
      expect(await outcome(page, '#verify-all')).toBe('fail');
      expect(await page.textContent('#reason')).toMatch(/public INSECURE DEV KEYS/);
      await page.setInputFiles('#packet-file', packetPath);
      expect(await outcome(page, '#verify')).toBe('fail');
      await page.context().close();
    });

    it('unpinned: the page says, prominently, that the keys were not checked, and the family is a claim', async () => {
      const page = await open(base);
      await waitForBundle(page, /loaded from this site/);
      expect(await page.isVisible('#unpinned')).toBe(true);
      expect(await page.textContent('#unpinned')).toMatch(
        /these proofs are only as good as keys you have not checked/,
      );
      await page.setInputFiles('#packet-file', packetPath);
      expect(await outcome(page, '#verify')).toBe('pass');
      expect(await page.textContent('#reason')).toMatch(/Keys not pinned/);
      const figures = await page.textContent('#figures');
      expect(figures).toMatch(/Circuit familyb64-n8-k8 \(claimed, not verified\): keys not pinned/);
      expect(figures).toMatch(/Audit-log entry#\d+ \(claimed, not verified\)/);
      expect(figures).toMatch(/Users policy\S+ \(claimed, not verified\)/);
      expect(figures).toMatch(/Ceremony transcript#1 beacon by .* \(claimed, not verified\)/);
      await page.screenshot({ path: path.join(SHOTS, 'unpinned.png'), fullPage: true });
      await page.context().close();
    });

    it('pinned with ?keys=<url>: PASS, the family pinned, no unpinned warning', async () => {
      const page = await open(`${base}?keys=keys-dev.json`);
      await waitForBundle(page, /loaded from this site/);
      expect(await page.textContent('#keys-status')).toMatch(/Keys pinned from keys-dev\.json/);
      expect(await page.isVisible('#unpinned')).toBe(false);
      await page.setInputFiles('#packet-file', packetPath);
      expect(await outcome(page, '#verify')).toBe('pass');
      expect(await page.textContent('#figures')).toMatch(
        /Circuit familyb64-n8-k8 \(pinned by your trusted keys\)/,
      );
      expect(await outcome(page, '#verify-all')).toBe('pass');
      await page.context().close();
    });

    it('pinned with a manifest that does not match the bundle keys: FAILED (file chooser and URL)', async () => {
      const page = await open(pathToFileURL(path.join(pageDir, 'index.html')).href);
      await page.setInputFiles('#keys-file', otherKeysPath);
      await expect.poll(() => page.textContent('#keys-status')).toMatch(/Keys pinned from the file/);
      expect(await page.isVisible('#unpinned')).toBe(false);
      await page.setInputFiles('#bundle-dir', bundleDir);
      await waitForBundle(page, /loaded from the chosen folder/);
      await page.setInputFiles('#packet-file', packetPath);
      expect(await outcome(page, '#verify')).toBe('fail');
      expect(await page.textContent('#verdict')).toMatch(/FAILED: the keys are not the ones you pinned/);
      expect(await page.textContent('#reason')).toMatch(
        /verification key chunk: SHA-256 .* is not the trusted key/,
      );
      // Keys that do not match pin nothing: the family is still only the bundle's claim.
      expect(await page.textContent('#figures')).toMatch(/Circuit familyb64-n8-k8 \(claimed, not verified\)/);
      expect(await outcome(page, '#verify-all')).toBe('fail');
      expect(await page.textContent('#verdict')).toMatch(/FAILED/);
      expect(await page.textContent('#figures')).toMatch(/Circuit familyb64-n8-k8 \(claimed, not verified\)/);
      await page.screenshot({ path: path.join(SHOTS, 'pinned-mismatch.png'), fullPage: true });
      await page.context().close();

      const hosted = await open(base);
      await waitForBundle(hosted, /loaded from this site/);
      await hosted.fill('#keys-url', 'keys-other.json');
      await hosted.click('#keys-load');
      await expect
        .poll(() => hosted.textContent('#keys-status'))
        .toMatch(/Keys pinned from keys-other\.json/);
      expect(await outcome(hosted, '#verify-all')).toBe('fail');
      expect(await hosted.textContent('#verdict')).toMatch(/FAILED: the keys are not the ones you pinned/);
      await hosted.context().close();
    });

    async function signaturesOutcome(page: Page): Promise<string> {
      await page.click('#check-signatures');
      await page.waitForSelector('#publication[data-outcome]', { timeout: 30_000 });
      await page.waitForFunction(
        () => !(document.getElementById('check-signatures') as HTMLButtonElement).disabled,
      );
      return (await page.getAttribute('#publication', 'data-outcome'))!;
    }

    it('signed publication: ?signers= pins the set, 2 of 3 required: met; 3 required: not met', async () => {
      const page = await open(`${base}?signers=signers.json&threshold=2`);
      await waitForBundle(page, /loaded from this site/);
      expect(await page.textContent('#signers-status')).toMatch(/Signers pinned from signers.json/);
      await page.setInputFiles('#packet-file', signedPacketPath);
      await expect.poll(() => page.textContent('#packet-status')).toMatch(/Packet loaded/);
      expect(await outcome(page, '#verify')).toBe('pass');
      expect(await signaturesOutcome(page)).toBe('pass');
      expect(await page.textContent('#publication-verdict')).toMatch(/2 of the signers you pinned signed/);
      const list = await page.$$eval('#signatures-list li', (lis) =>
        lis.map((li) => [li.getAttribute('data-status'), li.textContent]),
      );
      expect(list.map((l) => l[0])).toEqual(['valid-pinned', 'valid-pinned']);
      expect(list[0]![1]).toMatch(/operator "Example Ltd", key [0-9a-f]{4} /);
      expect(await page.getAttribute('#packet-signature', 'data-status')).toBe('attributable');
      expect(await page.textContent('#packet-signature')).toMatch(
        /signed by key [0-9a-f ]{19} \(pinned as operator "Example Ltd"; the key that signed this bundle as operator\)/,
      );
      await page.screenshot({ path: path.join(SHOTS, 'signatures.png'), fullPage: true });
      await page.fill('#threshold', '3');
      expect(await signaturesOutcome(page)).toBe('fail');
      expect(await page.textContent('#publication-verdict')).toMatch(/2 valid signatures .* 3 required/);
      await page.context().close();
    });

    it('signed publication: a tampered bundle breaks every signature; unpinned signatures are only shown', async () => {
      const bad = await open(`${base}?bundle=bad/&signers=signers.json`);
      await waitForBundle(bad, /loaded from this site/);
      expect(await signaturesOutcome(bad)).toBe('fail');
      const statuses = await bad.$$eval('#signatures-list li', (lis) =>
        lis.map((li) => li.getAttribute('data-status')),
      );
      expect(statuses).toEqual(['invalid', 'invalid']);
      expect(await bad.textContent('#signatures-list')).toMatch(/the data changed after it was signed/);
      await bad.context().close();

      const unpinned = await open(base);
      await waitForBundle(unpinned, /loaded from this site/);
      await unpinned.setInputFiles('#packet-file', tamperedPacketPath);
      expect(await signaturesOutcome(unpinned)).toBe('unpinned');
      const shown = await unpinned.$$eval('#signatures-list li', (lis) =>
        lis.map((li) => li.getAttribute('data-status')),
      );
      expect(shown).toEqual(['valid-unpinned', 'valid-unpinned']);
      expect(await unpinned.getAttribute('#packet-signature', 'data-status')).toBe('unsigned');
      await unpinned.context().close();
    });

    it('reserve evidence: each item checked in the browser, the total against the reserves; absent: not evidenced', async () => {
      const none = await open(base);
      await waitForBundle(none, /loaded from this site/);
      expect(await outcome(none, '#verify-all')).toBe('pass');
      expect(await none.getAttribute('#reserves', 'data-outcome')).toBe('absent');
      expect(await none.textContent('#reserves-summary')).toMatch(/Reserves not evidenced/);
      await none.context().close();

      // Unpinned custodian: its statement is shown, not counted.
      const unpinned = await open(`${base}?bundle=evidenced/`);
      await waitForBundle(unpinned, /loaded from this site/);
      expect(await outcome(unpinned, '#verify-all')).toBe('pass');
      const statuses = () =>
        unpinned.$$eval('#reserves-items li', (l) => l.map((x) => (x as HTMLElement).dataset.status));
      expect(await statuses()).toEqual(['unverified', 'verified', 'failed']);
      expect(await unpinned.textContent('#reserves-items')).toMatch(/not pinned/);
      expect(await unpinned.textContent('#reserves-items')).toMatch(
        /FAILED: custodian .*Ed25519 signature is not valid/,
      );
      expect(await unpinned.textContent('#reserves-summary')).toMatch(/Reserves NOT covered: .* shortfall/);

      // Pinned (?custodians=): verified, and the total covers the reserves; the tampered one still fails.
      const pinnedPage = await open(`${base}?bundle=evidenced/&custodians=custodians.json`);
      await waitForBundle(pinnedPage, /loaded from this site/);
      expect(await pinnedPage.textContent('#custodians-status')).toMatch(
        /Custodian keys pinned from custodians\.json/,
      );
      await pinnedPage.setInputFiles('#packet-file', packetPath);
      expect(await outcome(pinnedPage, '#verify')).toBe('pass');
      const items = await pinnedPage.$$eval('#reserves-items li', (l) =>
        l.map((x) => (x as HTMLElement).dataset.status),
      );
      expect(items).toEqual(['verified', 'verified', 'failed']);
      expect(await pinnedPage.textContent('#reserves-summary')).toMatch(
        /Reserves evidenced: .* covers the proven reserves/,
      );
      expect(await pinnedPage.getAttribute('#reserves', 'data-outcome')).toBe('fail'); // the failed item
      await pinnedPage.screenshot({ path: path.join(SHOTS, 'reserves.png'), fullPage: true });
      await pinnedPage.context().close();
    });

    it('logged no console errors', () => {
      expect(consoleErrors).toEqual([]);
    });
  });
}

/** A static file server for `root` on 127.0.0.1 (random port). */
async function serve(root: string): Promise<http.Server> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
  };
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
