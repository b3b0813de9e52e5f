// Shared fixtures for the store adapters' tests: temporary ledger files, raw SQLite access.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { APPEND_ONLY_TABLES, SqliteStore, openLedger } from '../../src/index.js';
import type { Ledger } from '../../src/index.js';

/** A maker of fresh file paths in a temporary folder that is removed after the test file (call at top level). */
export function tempFiles(prefix: string): () => string {
  const dir = mkdtempSync(join(tmpdir(), `zkreserve-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let fileNo = 0;
  return () => join(dir, `${prefix}${++fileNo}.db`);
}

/** A ledger on an in-memory SQLite store, with the store for raw access. */
export function sqliteLedger(): { l: Ledger; store: SqliteStore } {
  const store = new SqliteStore(':memory:');
  return { l: openLedger(store), store };
}

/** Drops the append-only triggers, so that a test can tamper with rows as an attacker with file access would. */
export function dropTriggers(db: Database.Database): void {
  for (const t of APPEND_ONLY_TABLES) db.exec(`DROP TRIGGER ${t}_no_update; DROP TRIGGER ${t}_no_delete;`);
}
