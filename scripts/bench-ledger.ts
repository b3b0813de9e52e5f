// Ledger import benchmark: posts and settles N entries (N/2 two-entry deposits) into a file-backed SQLite
// ledger, then times a snapshot of every account. Usage:
//   npx tsx scripts/bench-ledger.ts [--entries 1000000] [--accounts 100000] [--batch 5000] [--verify] [--keep]
// Measures elapsed wall time (allowed in scripts); nothing measured here feeds a proof.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Money, TransactionBuilder, openSqliteLedger } from '../src/index.js';
import type { Account } from '../src/index.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}

const entries = arg('entries', 1_000_000);
const accountsN = arg('accounts', 100_000);
const batchSize = arg('batch', 5_000);
const verify = process.argv.includes('--verify');
const keep = process.argv.includes('--keep');
const txCount = Math.ceil(entries / 2);

const dir = mkdtempSync(join(tmpdir(), 'zkreserve-bench-'));
const file = join(dir, 'ledger.db');
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

console.log(
  `bench-ledger: ${entries} entries (${txCount} transfers), ${accountsN} user accounts, batch ${batchSize}`,
);
console.log(`file: ${file}`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
console.log(`load average (1, 5, 15 min): ${load()}`);
const ledger = openSqliteLedger(file);
const T0 = Date.parse('2026-01-01T00:00:00Z');

let t = performance.now();
const reserve = ledger.openAccount('RESERVE', 'USD', 'bank-omnibus', { openedAt: T0 });
const users: Account[] = [];
for (let i = 0; i < accountsN; i += batchSize) {
  ledger.batch(() => {
    for (let j = i; j < Math.min(accountsN, i + batchSize); j++) {
      users.push(ledger.openAccount('USER', 'USD', `user-${j}`, { openedAt: T0 }));
    }
  });
}
const openS = (performance.now() - t) / 1000;
console.log(
  `opened ${accountsN + 1} accounts in ${openS.toFixed(2)} s (${Math.round((accountsN + 1) / openS)}/s)`,
);

const checkpoints = new Set([0.25, 0.5, 0.75].map((f) => Math.floor(txCount * f)));
const cpu0 = process.cpuUsage();
t = performance.now();
let expectedTotal = 0n;
for (let i = 0; i < txCount; i += batchSize) {
  ledger.batch(() => {
    for (let k = i; k < Math.min(txCount, i + batchSize); k++) {
      const at = T0 + 1000 + k;
      const amount = BigInt(100 + (k % 9973));
      expectedTotal += amount;
      const tx = ledger.post(
        new TransactionBuilder('deposit', 'bench', { initiatedAt: at })
          .transfer(reserve, users[k % accountsN]!, Money.of(amount, 'USD'))
          .reference(`dep-${k}`)
          .build(),
      );
      ledger.settle(tx.id, at);
    }
  });
  sample();
  for (const c of checkpoints) {
    if (c >= i && c < i + batchSize) {
      const m = process.memoryUsage();
      console.log(`  at ${((c / txCount) * 100).toFixed(0)}%: rss ${mb(m.rss)}, heapUsed ${mb(m.heapUsed)}`);
    }
  }
}
const importS = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
const m = process.memoryUsage();
console.log(
  `posted+settled ${txCount * 2} entries in ${importS.toFixed(2)} s: ${Math.round((txCount * 2) / importS)} entries/s ` +
    `(${Math.round(txCount / importS)} transfers/s, ${Math.round((txCount * 2) / importS)} audit events/s)`,
);
console.log(
  `  CPU ${cpuS.toFixed(2)} s (${Math.round((txCount * 2) / cpuS)} entries per CPU-second; ` +
    `${Math.round((cpuS / importS) * 100)}% of one core: the rest was waiting for I/O or for other processes)`,
);
console.log(`  load average after import: ${load()}`);
console.log(`  end: rss ${mb(m.rss)}, heapUsed ${mb(m.heapUsed)}; file ${mb(statSync(file).size)}`);

const at = T0 + 1000 + txCount;
t = performance.now();
const snap = ledger.snapshot(at);
const snapS = (performance.now() - t) / 1000;
sample();
const liab = snap.accounts.reduce((s, a) => s + a.liability, 0n);
console.log(
  `snapshot of ${snap.accounts.length} accounts at T in ${snapS.toFixed(3)} s; head seq ${snap.auditHead.sequence}; rss ${mb(process.memoryUsage().rss)}`,
);
if (liab !== expectedTotal) throw new Error(`snapshot liabilities ${liab} != posted ${expectedTotal}`);
t = performance.now();
const mid = ledger.snapshot(T0 + 1000 + Math.floor(txCount / 2));
console.log(`snapshot at T/2 (time travel) in ${((performance.now() - t) / 1000).toFixed(3)} s`);
const [r] = ledger.requiredReserves(at, 'USD');
console.log(
  `required ${r!.required}, reserves ${r!.reserves}, solvent ${r!.solvent}; mid users ${mid.accounts.length}`,
);

if (verify) {
  t = performance.now();
  const v = ledger.verifyChain();
  console.log(
    `verifyChain: ${v.ok ? `ok, ${v.length} events` : `BROKEN at ${v.sequence}`} in ${((performance.now() - t) / 1000).toFixed(2)} s; rss ${mb(process.memoryUsage().rss)}`,
  );
}
ledger.close();
sample();
console.log(
  `peak rss (sampled) ${mb(peakRss)}; maxRSS (resourceUsage) ${mb(process.resourceUsage().maxRSS * 1024)}`,
);
if (!keep) rmSync(dir, { recursive: true, force: true });
