// Shared fixtures of the prover and verifier tests: a small ledger and the dev keys.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TransactionBuilder } from '../../src/ledger/index.js';
import type { Ledger } from '../../src/ledger/index.js';
import { openMemoryLedger } from '../../src/storage/open-ledger.js';
import { Money } from '../../src/money/index.js';
import { ensureDevKeys, devKeyDirs } from '../../src/setup/dev-ceremony.js';
import type { KeySet } from '../../src/setup/keyset.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';

export const T0 = Date.UTC(2025, 0, 1);
export const T = Date.UTC(2025, 5, 30, 12, 0, 0);
export const SECRET = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);

/** The dev keys of b64-n8-k8 (compared with the committed keys/dev once they exist). */
export async function devKeys(): Promise<KeySet> {
  const committed = existsSync(path.join(devKeyDirs().committedDir, 'manifest.json'));
  return ensureDevKeys(B64_N8_K8, { checkCommitted: committed });
}

export interface LedgerFixture {
  ledger: Ledger;
  users: string[];
  negativeUser: string;
  reserve: string;
}

/**
 * A memory ledger with `users` users (deposits of 100.00 + i cents each), one of them overdrawn (it owes the
 * platform: liability 0), one pending deposit, and reserves = every settled deposit + 500.00 of equity
 * (minus `reserveShortfall`).
 */
export function makeLedger(
  users: number,
  options: { reserveShortfall?: bigint; ledger?: Ledger } = {},
): LedgerFixture {
  const ledger = options.ledger ?? openMemoryLedger();
  const reserve = ledger.openAccount('RESERVE', 'USD', 'bank-1', { openedAt: T0 });
  const platform = ledger.openAccount('PLATFORM', 'USD', 'platform', { openedAt: T0 });
  const ids: string[] = [];
  let t = T0 + 1000;
  for (let i = 0; i < users; i++) {
    const u = ledger.openAccount('USER', 'USD', `user-${i}`, { openedAt: t++ });
    ids.push(u.id);
    const tx = new TransactionBuilder('deposit', 'test', { initiatedAt: t++ })
      .transfer(reserve, u, Money.of(10_000n + BigInt(i), 'USD'))
      .build();
    ledger.post(tx);
    if (i !== 1) ledger.settle(tx.id, t++); // user-1's deposit stays pending: it still counts.
  }
  // user-0 spends more than it has: its balance goes negative and it counts as 0.
  const spend = new TransactionBuilder('fee', 'test', { initiatedAt: t++ })
    .transfer(ids[0]!, platform, Money.of(25_000n, 'USD'))
    .build();
  ledger.post(spend);
  ledger.settle(spend.id, t++);
  // Reserves: settled deposits plus 500.00 of platform equity. A shortfall moves reserves out again.
  const equity = new TransactionBuilder('equity', 'test', { initiatedAt: t++ })
    .transfer(reserve, platform, Money.of(50_000n, 'USD'))
    .build();
  ledger.post(equity);
  ledger.settle(equity.id, t++);
  if (options.reserveShortfall) {
    const out = new TransactionBuilder('withdraw', 'test', { initiatedAt: t++ })
      .transfer(platform, reserve, Money.of(options.reserveShortfall, 'USD'))
      .build();
    ledger.post(out);
    ledger.settle(out.id, t++);
  }
  return { ledger, users: ids, negativeUser: ids[0]!, reserve: reserve.id };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `zkreserve-${prefix}-`));
}

export async function copyDir(from: string, prefix: string): Promise<string> {
  const to = path.join(await tempDir(prefix), 'bundle');
  await cp(from, to, { recursive: true });
  return to;
}

/** Every file below `dir`, as sorted paths relative to it. */
export async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out.sort();
}
