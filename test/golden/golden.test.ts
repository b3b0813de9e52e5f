// Golden outputs: a fixed ledger, snapshot time and secret must give the same public outputs forever
// (roots, public signals, manifest, packets, the CLI's verification report). Proofs are randomised and
// are not compared; they are verified instead. Refactors must leave every expected file unchanged.
// To regenerate after an intended protocol change: ZKRESERVE_UPDATE_GOLDEN=1 npx vitest run test/golden
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionBuilder } from '../../src/ledger/index.js';
import type { Ledger } from '../../src/ledger/index.js';
import { openMemoryLedger } from '../../src/storage/open-ledger.js';
import { Money } from '../../src/money/index.js';
import { proveSolvency, statementFromLedger } from '../../src/prover/index.js';
import { readBundle } from '../../src/bundle-io/read.js';
import { verifyBundle } from '../../src/verify/index.js';
import { ensureDevKeys } from '../../src/setup/dev-ceremony.js';
import { B100_N8_K8, B64_N8_K8 } from '../../src/protocol/families.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { listFiles, tempDir } from '../prover/fixtures.js';

const run = promisify(execFile);
const EXPECTED = path.resolve('test/golden/expected');
const BIN = path.resolve('bin/zkreserve.js');
const UPDATE = process.env.ZKRESERVE_UPDATE_GOLDEN === '1';
const T0 = Date.UTC(2026, 0, 1);
const T = Date.UTC(2026, 5, 30, 12, 0, 0);
const SECRET = new Uint8Array(32).map((_, i) => (i * 101 + 7) & 0xff);

/** A fixed two-currency ledger: USD users (one overdrawn, one pending) and ETH users (18 decimals). */
function goldenLedger(): Ledger {
  const ledger = openMemoryLedger();
  let t = T0;
  const reserveUsd = ledger.openAccount('RESERVE', 'USD', 'bank-1', { openedAt: t++ });
  const platformUsd = ledger.openAccount('PLATFORM', 'USD', 'platform', { openedAt: t++ });
  const reserveEth = ledger.openAccount('RESERVE', 'ETH', 'cold-wallet', { openedAt: t++ });
  const platformEth = ledger.openAccount('PLATFORM', 'ETH', 'platform', { openedAt: t++ });
  const usd: string[] = [];
  for (let i = 0; i < 11; i++) {
    const u = ledger.openAccount('USER', 'USD', `golden-usd-${i}`, { openedAt: t++ });
    usd.push(u.id);
    const tx = new TransactionBuilder('deposit', `usd-${i}`, { initiatedAt: t++ })
      .transfer(reserveUsd, u, Money.of(1_000n * BigInt(i + 1) + 37n, 'USD'))
      .build();
    ledger.post(tx);
    if (i !== 3) ledger.settle(tx.id, t++);
  }
  const fee = new TransactionBuilder('fee', 'overdraw', { initiatedAt: t++ })
    .transfer(usd[0]!, platformUsd, Money.of(5_000n, 'USD'))
    .build();
  ledger.post(fee);
  ledger.settle(fee.id, t++);
  const equity = new TransactionBuilder('equity', 'usd', { initiatedAt: t++ })
    .transfer(reserveUsd, platformUsd, Money.of(20_000n, 'USD'))
    .build();
  ledger.post(equity);
  ledger.settle(equity.id, t++);
  for (let i = 0; i < 9; i++) {
    const u = ledger.openAccount('USER', 'ETH', `golden-eth-${i}`, { openedAt: t++ });
    const tx = new TransactionBuilder('deposit', `eth-${i}`, { initiatedAt: t++ })
      .transfer(reserveEth, u, Money.of(10n ** 17n * BigInt(i + 1) + 12345n, 'ETH'))
      .build();
    ledger.post(tx);
    ledger.settle(tx.id, t++);
  }
  const ethEquity = new TransactionBuilder('equity', 'eth', { initiatedAt: t++ })
    .transfer(reserveEth, platformEth, Money.of(10n ** 18n, 'ETH'))
    .build();
  ledger.post(ethEquity);
  ledger.settle(ethEquity.id, t++);
  return ledger;
}

/** The public outputs of one bundle as a map file -> text (proof.json excluded: proofs are randomised). */
async function publicOutputs(bundleDir: string, packetsDir: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const f of await listFiles(bundleDir)) {
    if (f.endsWith('proof.json')) continue;
    m.set(path.join('bundle', f), await readFile(path.join(bundleDir, f), 'utf8'));
  }
  for (const f of await listFiles(packetsDir)) {
    m.set(path.join('packets', f), await readFile(path.join(packetsDir, f), 'utf8'));
  }
  return m;
}

const cases = [
  { name: 'usd', currency: 'USD', family: B64_N8_K8, padToUsers: 40, publishTotal: false },
  { name: 'eth', currency: 'ETH', family: B100_N8_K8, padToUsers: undefined, publishTotal: true },
] as const;

const produced = new Map<string, Map<string, string>>();

beforeAll(async () => {
  const ledger = goldenLedger();
  const work = await tempDir('golden');
  for (const c of cases) {
    const keys = await ensureDevKeys(c.family, { checkCommitted: true });
    const statement = await statementFromLedger(ledger, T, c.currency);
    const bundleDir = path.join(work, `bundle-${c.name}`);
    const packetsDir = path.join(work, `packets-${c.name}`);
    await proveSolvency({
      statement,
      secret: SECRET,
      keys,
      outDir: bundleDir,
      packetsDir,
      allowInsecureDevKeys: true,
      publishTotal: c.publishTotal,
      ...(c.padToUsers !== undefined ? { padToUsers: c.padToUsers } : {}),
    });
    // The proofs themselves must verify; their bytes are random and are not compared.
    const report = await verifyBundle(await readBundle(bundleDir));
    expect(report.ok, report.errors.join('; ')).toBe(true);
    // The CLI's reports, run from the work directory so that the paths they print are the same each time.
    const cli = async (args: string[]) =>
      (await run('node', [BIN, 'verify', `bundle-${c.name}`, ...args], { cwd: work, maxBuffer: 1 << 24 }))
        .stdout;
    const outputs = await publicOutputs(bundleDir, packetsDir);
    outputs.set('verify-report.json', await cli(['--json']));
    outputs.set('verify-report.txt', await cli([]));
    produced.set(c.name, outputs);
  }
  if (UPDATE) {
    for (const [name, files] of produced) {
      for (const [f, text] of files) {
        const target = path.join(EXPECTED, name, f);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, text);
      }
    }
  }
}, 600_000);

afterAll(async () => {
  await terminateCurves();
});

describe('golden public outputs', () => {
  for (const c of cases) {
    it(`${c.name}: the same manifest, public signals, packets and verify report as committed`, async () => {
      const dir = path.join(EXPECTED, c.name);
      expect(existsSync(dir), `${dir} is missing: run with ZKRESERVE_UPDATE_GOLDEN=1 once`).toBe(true);
      const expectedFiles = await listFiles(dir);
      const got = produced.get(c.name)!;
      expect([...got.keys()].sort()).toEqual(expectedFiles);
      for (const f of expectedFiles) {
        expect(got.get(f), f).toBe(await readFile(path.join(dir, f), 'utf8'));
      }
    });
  }

  it('the verify report is the CLI JSON of a valid bundle', () => {
    const report = JSON.parse(produced.get('usd')!.get('verify-report.json')!) as { ok?: boolean };
    expect(report.ok).toBe(true);
  });
});
