// `zkreserve demo` / `npm run demo`: sample ledger -> reserve report -> USD and ETH proofs with the INSECURE
// dev keys -> verification by zkreserve and by the snarkjs CLI -> one user's inclusion check -> next steps.
// Rejects with DemoFailedError, after printing everything, when any check failed.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readBundle, readPacket } from '../bundle-io/read.js';
import { packetFileName, writeReservesEvidence } from '../bundle-io/write.js';
import { openSqliteLedger } from '../storage/open-ledger.js';
import type { Ledger } from '../ledger/ledger.js';
import { getCurrency } from '../money/currency.js';
import { proveSolvency, statementFromLedger } from '../prover/index.js';
import { devKeyDirs, ensureDevKeys } from '../setup/dev-ceremony.js';
import { INSECURE_DEV_KEYS_WARNING } from '../setup/keyset.js';
import { formatInstant } from '../time.js';
import { verifyBundle, verifyInclusion } from '../verify/index.js';
import { familyFor } from '../protocol/families.js';
import { banner, formatMinor, out } from '../terminal/output.js';
import { createProgress, stopwatch, type ProgressSink } from '../terminal/progress.js';
import { DemoFailedError } from './errors.js';
import { DEMO_CURRENCIES, buildDemoLedger, type DemoLedgerInfo } from './ledger.js';
import { verifyWithSnarkjsCli } from '../zk/snarkjs-cli.js';
import { parseCustodians } from '../reserves/custodian.js';
import { verifyReservesEvidence } from '../reserves/verify-evidence.js';
import { DEMO_OPERATOR, demoCustodiansFile, demoEvidence } from './reserves.js';

export interface DemoOptions {
  outDir: string;
  usdUsers?: number;
  ethUsers?: number;
}

interface DemoBundle {
  currency: string;
  bundle: string;
  packets: string;
}

/** What every step shares: where to write, how to talk, and the failures found so far. */
interface DemoContext {
  outDir: string;
  progress: ProgressSink;
  say: (line?: string) => void;
  failures: string[];
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const elapsed = stopwatch();
  const progress = createProgress(process.stderr);
  const ctx: DemoContext = {
    outDir: path.resolve(options.outDir),
    progress,
    say: (line = '') => progress.note(line),
    failures: [],
  };
  banner(
    [
      'zkreserve DEMO: every proof below is made with the INSECURE DEVELOPMENT KEYS.',
      INSECURE_DEV_KEYS_WARNING,
    ],
    ctx.say,
  );
  await rm(ctx.outDir, { recursive: true, force: true });
  await mkdir(ctx.outDir, { recursive: true });
  const ledgerFile = path.join(ctx.outDir, 'ledger.db');
  const { ledger, info } = openDemoLedger(ctx, ledgerFile, options);
  let bundles: DemoBundle[];
  try {
    reportReserves(ctx, ledger, info.snapshotTime);
    bundles = await proveCurrencies(ctx, ledger, info.snapshotTime);
  } finally {
    ledger.close();
  }
  const custodiansFile = await addReserveEvidence(ctx, bundles);
  await verifyWithZkreserve(ctx, bundles);
  await verifyWithSnarkjs(ctx, bundles);
  const packetFile = await checkSampleInclusion(ctx, bundles[0]!, info);
  printNextSteps(
    ctx.outDir,
    ledgerFile,
    formatInstant(info.snapshotTime),
    bundles,
    packetFile,
    elapsed(),
    custodiansFile,
  );
  if (ctx.failures.length > 0) throw new DemoFailedError(ctx.failures);
}

/** Step 1: a deterministic sample ledger in `ledgerFile`. */
function openDemoLedger(
  ctx: DemoContext,
  ledgerFile: string,
  options: DemoOptions,
): { ledger: Ledger; info: DemoLedgerInfo } {
  ctx.say(`\n[1/6] building the sample ledger ${ledgerFile}`);
  const ledger = openSqliteLedger(ledgerFile);
  let info;
  try {
    info = buildDemoLedger(ledger, {
      ...(options.usdUsers !== undefined ? { usdUsers: options.usdUsers } : {}),
      ...(options.ethUsers !== undefined ? { ethUsers: options.ethUsers } : {}),
    });
  } catch (e) {
    ledger.close();
    throw e;
  }
  ctx.say(
    `  ${info.users.USD} USD users, ${info.users.ETH} ETH users, reserve / platform / fee accounts; ` +
      `${info.pending.length} transactions pending at T, ${info.failed.length} failed, ${info.reversed.length} reversed, ` +
      `${info.negativeUsers.length} user(s) owing the platform; audit log of ${ledger.head.sequence} events`,
  );
  return { ledger, info };
}

/** Step 2: the reserve report at T. */
function reportReserves(ctx: DemoContext, ledger: Ledger, T: number): void {
  ctx.say(`\n[2/6] required reserves at T = ${formatInstant(T)}`);
  for (const r of ledger.requiredReserves(T)) {
    const d = getCurrency(r.currency).exponent;
    ctx.say(
      `  ${r.currency}: owed to users ${formatMinor(r.required, d)} (incl. pending ${formatMinor(r.pendingObligations, d)}), ` +
        `reserves ${formatMinor(r.reserves, d)}, surplus ${formatMinor(r.surplus, d)}: ${r.solvent ? 'solvent' : 'INSOLVENT'}`,
    );
  }
}

/** Step 3: a bundle and packets per currency, with the INSECURE dev keys. */
async function proveCurrencies(ctx: DemoContext, ledger: Ledger, T: number): Promise<DemoBundle[]> {
  const { say, progress } = ctx;
  const secretFile = path.join(ctx.outDir, 'operator.secret');
  const secret = randomBytes(32);
  await writeFile(secretFile, `${secret.toString('hex')}\n`, { mode: 0o600 });
  say(`\n[3/6] proving solvency at T for ${DEMO_CURRENCIES.join(' and ')} (operator secret: ${secretFile})`);
  const committed = existsSync(path.join(devKeyDirs().committedDir, 'manifest.json'));
  const bundles: DemoBundle[] = [];
  for (const currency of DEMO_CURRENCIES) {
    const decimals = getCurrency(currency).exponent;
    const family = familyFor(decimals, 'dev');
    say(
      `  ${currency}: INSECURE dev keys of family ${family.id} (first run: compiles circuits and makes a 2^12 dev ptau)`,
    );
    const keys = await ensureDevKeys(family, {
      checkCommitted: committed,
      onProgress: (e) => {
        // snarkjs prints multi-line hash blocks: keep the first line of each message.
        const first = e.message.split('\n')[0]!.trim();
        if (first && !first.endsWith('cached dev key')) say(`    [keys] ${first}`);
      },
    });
    const statement = await statementFromLedger(ledger, T, currency);
    const bundle = path.join(ctx.outDir, currency, 'bundle');
    const packets = path.join(ctx.outDir, currency, 'packets');
    const result = await proveSolvency({
      statement,
      secret,
      keys,
      outDir: bundle,
      packetsDir: packets,
      allowInsecureDevKeys: true,
      onProgress: (p) => {
        if (p.phase !== 'write')
          progress.update({ phase: `  proving ${currency}`, done: p.done, total: p.total });
      },
    });
    say(`  ${currency}: ${result.userCount} users, ${result.proofs} proofs -> ${bundle}`);
    bundles.push({ currency, bundle, packets });
  }
  return bundles;
}

/**
 * Step 3 (continued): reserve evidence for each bundle, signed over its round's challenge with INSECURE
 * demo keys (never use them in production), and checked offline. Returns the pinned-custodians file.
 */
async function addReserveEvidence(ctx: DemoContext, bundles: readonly DemoBundle[]): Promise<string> {
  const custodiansFile = path.join(ctx.outDir, 'custodians.json');
  const pinned = demoCustodiansFile();
  await writeFile(custodiansFile, `${JSON.stringify(pinned, null, 2)}\n`);
  ctx.say(
    `  reserve evidence by "${DEMO_OPERATOR}", signed with INSECURE demo keys (never use these keys in production)`,
  );
  for (const b of bundles) {
    const bundle = await readBundle(b.bundle);
    const evidence = await demoEvidence(bundle);
    await writeReservesEvidence(b.bundle, evidence);
    const report = await verifyReservesEvidence(
      { ...bundle, reserves: evidence },
      { custodians: parseCustodians(JSON.stringify(pinned)) },
    );
    const item = report.items[0]!;
    ctx.say(
      `  ${b.currency}: ${item.status.toUpperCase()} (offline) ${item.label}: ${formatMinor(report.evidenced, report.decimals)} ${b.currency} ` +
        `${report.covered ? 'covers' : 'does NOT cover'} the reserves${item.kind === 'evm' ? ' (balance and block claimed, not checked on a chain)' : ` (custodian key pinned in ${custodiansFile})`}`,
    );
    if (!report.ok)
      ctx.failures.push(`reserve evidence ${b.currency}: ${item.reason || report.problems.join('; ')}`);
  }
  return custodiansFile;
}

/** Step 4: zkreserve's verifier on each bundle. */
async function verifyWithZkreserve(ctx: DemoContext, bundles: readonly DemoBundle[]): Promise<void> {
  ctx.say('\n[4/6] verifying each bundle with zkreserve');
  for (const b of bundles) {
    const report = await verifyBundle(await readBundle(b.bundle), {
      onProgress: (p) => ctx.progress.update({ phase: `  zkreserve verify ${b.currency}`, ...p }),
    });
    const s = report.summary!;
    ctx.say(
      `  ${b.currency}: ${report.ok ? 'VALID' : 'INVALID'}: reserves ${formatMinor(s.reserves, s.decimals)} ${s.currency}, ` +
        `at most ${s.paddedUsers} users, audit head #${s.auditHead.sequence} ${s.auditHead.hash.slice(0, 16)}..., ${report.proofsVerified} proofs`,
    );
    if (!report.ok) ctx.failures.push(`zkreserve verify ${b.currency}: ${report.errors.join('; ')}`);
  }
}

/** Step 5: the snarkjs CLI on every proof. */
async function verifyWithSnarkjs(ctx: DemoContext, bundles: readonly DemoBundle[]): Promise<void> {
  ctx.say(
    '\n[5/6] verifying every proof with the snarkjs CLI (node node_modules/snarkjs/build/cli.cjs groth16 verify, 2 at a time)',
  );
  for (const b of bundles) {
    const manifest = (await readBundle(b.bundle)).manifest;
    const results = await verifyWithSnarkjsCli(b.bundle, manifest.proofs, {
      concurrency: 2,
      onProgress: (done, total) =>
        ctx.progress.update({ phase: `  snarkjs verify ${b.currency}`, done, total }),
    });
    const bad = results.filter((r) => !r.ok);
    ctx.say(`  ${b.currency}: ${results.length - bad.length}/${results.length} proofs OK with snarkjs`);
    for (const r of bad) ctx.failures.push(`snarkjs ${b.currency} ${r.id}: ${r.output}`);
  }
}

/** Step 6: one user's inclusion packet against the USD bundle; returns the packet's path. */
async function checkSampleInclusion(
  ctx: DemoContext,
  usd: DemoBundle,
  info: DemoLedgerInfo,
): Promise<string> {
  const sample = info.sampleUser.USD;
  const packetFile = path.join(usd.packets, packetFileName(sample.accountId));
  ctx.say(`\n[6/6] checking user ${sample.externalRef}'s inclusion packet`);
  const inc = await verifyInclusion(
    await readPacket(packetFile),
    await readBundle(usd.bundle, { partial: true }),
  );
  if (inc.ok) {
    ctx.say(
      `  INCLUDED: ${sample.externalRef} balance ${formatMinor(inc.balance, inc.figures!.decimals)} USD is counted in the total ` +
        `proven <= reserves ${formatMinor(inc.figures!.reserves, inc.figures!.decimals)} USD (proofs ${inc.figures!.proofs.join(', ')})`,
    );
  } else ctx.failures.push(`inclusion of ${sample.externalRef}: ${inc.reason}`);
  return packetFile;
}

/** Where everything is and what a user or an auditor does next (stdout). */
function printNextSteps(
  outDir: string,
  ledgerFile: string,
  at: string,
  bundles: readonly DemoBundle[],
  packetFile: string,
  seconds: number,
  custodiansFile: string,
): void {
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const usd = bundles[0]!;
  out('');
  out(`Demo output in ${rel(outDir)}/ (finished in ${seconds.toFixed(0)} s):`);
  out(
    `  ledger           ${rel(ledgerFile)}   (SQLite; try: npx zkreserve reserve ${rel(ledgerFile)} --at ${at})`,
  );
  for (const b of bundles) {
    out(`  ${b.currency} bundle       ${rel(b.bundle)}   (public)`);
    out(`  ${b.currency} packets      ${rel(b.packets)}   (private, one per user)`);
  }
  out('');
  out('Next steps:');
  out(
    `  a user checks their packet:   npx zkreserve verify-inclusion ${rel(packetFile)} --bundle ${rel(usd.bundle)}`,
  );
  out(`  an auditor checks a bundle:   npx zkreserve verify ${rel(usd.bundle)}`);
  out(`  ... with snarkjs alone:       scripts/verify-with-snarkjs.sh ${rel(usd.bundle)}`);
  out(
    `  its reserve evidence:         npx zkreserve reserves verify ${rel(usd.bundle)} --custodians ${rel(custodiansFile)}`,
  );
  out(`  the audit log:                npx zkreserve audit verify ${rel(ledgerFile)}`);
  out(
    '  in a browser:                 npm run build:web, then open web/dist/index.html and load a bundle and a packet',
  );
  out('');
  banner(['REMINDER: these bundles were made with INSECURE DEVELOPMENT KEYS and prove nothing.'], out);
}
