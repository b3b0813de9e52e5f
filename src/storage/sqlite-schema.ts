// SQLite schema of a zkreserve ledger file, version 2. Ledger tables and the audit log are append-only:
// triggers refuse UPDATE and DELETE on them.
//   version 1: accounts, transactions, entries, tx_outcomes, tx_reversals, audit_events, meta.
//   version 2: + currencies (operator currencies recorded by CURRENCY_REGISTERED events). A version-1 file
//              is migrated in place when opened (one transaction), unless it has accounts in non-built-in
//              currencies: version 1 never stored their exponents, so it is refused (SchemaVersionError).
import type BetterSqlite3 from 'better-sqlite3';
import { SchemaVersionError } from './errors.js';
import { BUILTIN_CURRENCIES } from '../money/currency.js';

export const SCHEMA_VERSION = 2;
export const LEDGER_FORMAT = 'zkreserve-ledger';
export const APPEND_ONLY_TABLES = [
  'accounts',
  'transactions',
  'entries',
  'tx_outcomes',
  'tx_reversals',
  'audit_events',
  'currencies',
] as const;

const triggers = (t: string) => `
CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;
CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;`;

/** Added in version 2. */
const CURRENCIES_DDL = `
CREATE TABLE currencies (
  code TEXT PRIMARY KEY,
  exponent INTEGER NOT NULL,
  registered_at INTEGER NOT NULL
);
${triggers('currencies')}
`;

const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts (
  no INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  owner_type TEXT NOT NULL,
  currency TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  opened_at INTEGER NOT NULL
);
CREATE TABLE transactions (
  no INTEGER PRIMARY KEY,
  id BLOB NOT NULL UNIQUE, -- the 32 bytes of the 64-hex-digit id (smaller index than hex text)
  idempotency_key TEXT,
  initiated_at INTEGER NOT NULL,
  reverses TEXT,
  -- the TX_POSTED audit event holds the canonical body: {"id": ..., "transaction": body}
  posted_seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX transactions_idempotency ON transactions (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- amount = a0 + a1*2^32 + a2*2^64 + a3*2^96 (each limb in [0, 2^32)), so SQL SUM() stays exact in 64 bits.
-- side: 1 = debit, 0 = credit. initiated_at is copied from the transaction so a snapshot needs one join only.
CREATE TABLE entries (
  tx_no INTEGER NOT NULL,
  account_no INTEGER NOT NULL,
  initiated_at INTEGER NOT NULL,
  side INTEGER NOT NULL CHECK (side IN (0, 1)),
  a0 INTEGER NOT NULL, a1 INTEGER NOT NULL, a2 INTEGER NOT NULL, a3 INTEGER NOT NULL
);
CREATE TABLE tx_outcomes (
  tx_no INTEGER PRIMARY KEY,
  outcome TEXT NOT NULL CHECK (outcome IN ('SETTLED', 'FAILED')),
  at INTEGER NOT NULL,
  reason TEXT
);
CREATE TABLE tx_reversals (
  tx_no INTEGER PRIMARY KEY,
  reversal_tx_no INTEGER NOT NULL,
  at INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- No index on at: times never decrease along seq, so the head at T is found by binary search on seq.
${APPEND_ONLY_TABLES.filter((t) => t !== 'currencies')
  .map(triggers)
  .join('')}
${CURRENCIES_DDL}`;

/** Version 1 -> 2: adds the currencies table. Refused when v1 accounts use currencies whose exponent is lost. */
function migrateFrom1(db: BetterSqlite3.Database, path: string): void {
  db.transaction(() => {
    // Re-read under the write lock: another process may have migrated the file meanwhile.
    if ((db.pragma('user_version', { simple: true }) as number) !== 1) return;
    const used = db
      .prepare('SELECT DISTINCT currency FROM accounts ORDER BY currency')
      .pluck()
      .all() as string[];
    const builtin = new Set(BUILTIN_CURRENCIES.map((c) => c.code));
    const unknown = used.filter((c) => !builtin.has(c));
    if (unknown.length > 0) {
      throw new SchemaVersionError(
        `${path} is a version 1 ledger with accounts in operator currencies (${unknown.join(', ')}) whose ` +
          `exponents version 1 never stored; this build cannot migrate it to version ${SCHEMA_VERSION}`,
      );
    }
    db.exec(CURRENCIES_DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Creates the schema in an empty database, or checks the version of an existing one. */
export function ensureSchema(db: BetterSqlite3.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db
    .prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`)
    .pluck()
    .get() as number;
  if (version === 0 && tables === 0) {
    db.transaction(() => {
      db.exec(DDL);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', LEDGER_FORMAT);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    return;
  }
  let format: unknown;
  try {
    format = db.prepare(`SELECT value FROM meta WHERE key = 'format'`).pluck().get();
  } catch {
    format = undefined;
  }
  if (format !== LEDGER_FORMAT) {
    throw new SchemaVersionError(`${path} is not a zkreserve ledger (no "${LEDGER_FORMAT}" marker)`);
  }
  if (version === 1) {
    migrateFrom1(db, path);
    return;
  }
  if (version !== SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `${path} has ledger schema version ${version}; this build reads version ${SCHEMA_VERSION} only (refusing to guess)`,
    );
  }
}
